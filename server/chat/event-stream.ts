import { db } from '../db/client.ts'
import { AsyncQueue } from './async-queue.ts'
import { instanceStream } from './instance-stream.ts'
import type { StreamItem } from './ordered-stream.ts'
import { backlogFor } from './stream-events.ts'
import type { ClientEvent, PositionedEvent } from './types.ts'

/** An event for one client and the stream position it is delivered through (its resume cursor). */
export type DeliveredEvent = { cursor: number; event: ClientEvent }

export type EventStreamOptions = { userId: string; lastEventId?: number | undefined; signal: AbortSignal }

/**
 * Everything one user should see, across all their rooms: first what they missed since
 * `lastEventId` (from the database), then live. Listens before it reads the backlog, so nothing
 * committed in between is missed; positions already yielded are skipped, so nothing comes twice.
 */
export async function* userEventStream({ userId, lastEventId, signal }: EventStreamOptions): AsyncGenerator<DeliveredEvent> {
  const stream = await instanceStream()
  const live = new AsyncQueue<StreamItem>()
  const stopListening = stream.listen((item) => live.push(item))
  try {
    const listenedFrom = stream.position
    // Room → position of this user's join: they see the room's events after it.
    const rooms = await membershipPositions(userId)
    let cursor = lastEventId ?? listenedFrom

    if (lastEventId !== undefined) {
      for (let done = false; !done && !signal.aborted; ) {
        const page = await backlogFor(userId, cursor)
        for (const event of page.events) {
          const delivered = deliverable(event, userId, rooms)
          if (delivered) yield { cursor: event.pos, event: delivered }
        }
        cursor = Math.max(cursor, page.throughPos)
        done = page.done
      }
    }
    // Everything up to listenedFrom is committed and was covered by the backlog (or predates us).
    cursor = Math.max(cursor, listenedFrom)
    yield { cursor, event: { type: 'ready' } }

    for (let item = await live.next(signal); item; item = await live.next(signal)) {
      if (item.type === 'room.left') {
        if (item.userId !== userId || !rooms.delete(item.roomId)) continue
        yield { cursor, event: { type: 'room.left', roomId: item.roomId } }
        continue
      }
      if (item.pos <= cursor) continue
      cursor = item.pos
      const delivered = deliverable(item, userId, rooms)
      if (delivered) yield { cursor, event: delivered }
    }
  } finally {
    stopListening()
  }
}

/** The client's view of a positioned event, or undefined when it is not this user's business. */
function deliverable(event: PositionedEvent, userId: string, rooms: Map<string, number>): ClientEvent | undefined {
  if (event.type === 'room.joined') {
    if (event.userId !== userId) return undefined
    rooms.set(event.room.id, event.pos)
    return { type: 'room.joined', room: event.room }
  }
  const joinedPos = rooms.get(event.message.roomId)
  if (joinedPos === undefined || event.pos <= joinedPos) return undefined
  return { type: 'message', message: event.message }
}

async function membershipPositions(userId: string): Promise<Map<string, number>> {
  const memberships = await db().membership.findMany({ where: { userId }, select: { roomId: true, joinedPos: true } })
  return new Map(memberships.map((membership) => [membership.roomId, Number(membership.joinedPos)]))
}

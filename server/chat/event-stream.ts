import { db } from '../db/client.ts'
import { AsyncQueue } from './async-queue.ts'
import { instancePresence, instanceStream } from './instance-stream.ts'
import type { StreamItem } from './ordered-stream.ts'
import { backlogFor } from './stream-events.ts'
import type { ClientEvent, PositionedEvent } from './types.ts'

/** An event for one client and the stream position it is delivered through (its resume cursor). */
export type DeliveredEvent = { cursor: number; event: ClientEvent }

export type EventStreamOptions = {
  userId: string
  lastEventId?: number | undefined
  signal: AbortSignal
  maxQueued?: number
}

/**
 * A subscriber that falls this far behind (it stopped reading) is cut off instead of buffering
 * without end; its client resubscribes with its last event id and catches up from the database.
 */
export const MAX_QUEUED_EVENTS = 5_000

/** A live event for this user, with its stream position (live-only events have none). */
type Routed = { pos?: number; event: ClientEvent }

/**
 * Everything one user should see, across all their rooms: first what they missed since
 * `lastEventId` (from the database), then live. Listens before it reads the backlog, so nothing
 * committed in between is missed; positions already yielded are skipped, so nothing comes twice.
 */
export async function* userEventStream({
  userId,
  lastEventId,
  signal,
  maxQueued = MAX_QUEUED_EVENTS,
}: EventStreamOptions): AsyncGenerator<DeliveredEvent> {
  const stream = await instanceStream()
  // This tab counts as the user being online for as long as it streams.
  const presence = await instancePresence()
  presence.opened(userId)
  const live = new AsyncQueue<Routed>()
  // Room → position of this user's join: they see the room's events after it.
  let rooms: Map<string, number> | undefined
  const beforeRoomsLoaded: StreamItem[] = []

  const route = (item: StreamItem) => {
    const routed = routeFor(item, userId, rooms!)
    if (!routed) return
    if (live.size >= maxQueued) {
      stopListening()
      live.close()
      return
    }
    live.push(routed)
  }
  // Filtered as they arrive (in position order), so a queue only ever holds this user's events.
  const stopListening = stream.listen((item) => (rooms ? route(item) : beforeRoomsLoaded.push(item)))
  try {
    // Every position up to here is committed; everything after it reaches us through `live`.
    const listenedFrom = stream.position
    rooms = await membershipPositions(userId)
    for (const item of beforeRoomsLoaded.splice(0)) route(item)

    // The backlog is exactly (lastEventId, listenedFrom]: read from the database, in pages.
    for (let from = lastEventId; from !== undefined && from < listenedFrom && !signal.aborted; ) {
      const page = await backlogFor(userId, from, listenedFrom)
      for (const event of page.events) {
        const delivered = deliverable(event, userId, rooms)
        if (delivered) yield { cursor: event.pos, event: delivered }
      }
      from = page.throughPos
    }
    // A cursor from an instance further along than this one: skip what the client has seen.
    let cursor = Math.max(lastEventId ?? listenedFrom, listenedFrom)
    yield { cursor, event: { type: 'ready' } }

    for (let routed = await live.next(signal); routed; routed = await live.next(signal)) {
      if (routed.pos !== undefined) {
        if (routed.pos <= cursor) continue
        cursor = routed.pos
      }
      yield { cursor, event: routed.event }
    }
  } finally {
    stopListening()
    presence.closed(userId)
  }
}

function routeFor(item: StreamItem, userId: string, rooms: Map<string, number>): Routed | undefined {
  if (item.type === 'room.left') {
    if (item.userId !== userId || !rooms.delete(item.roomId)) return undefined
    return { event: { type: 'room.left', roomId: item.roomId } }
  }
  if (item.type === 'room.read') {
    // The reader's other tabs clear the room's unread count too.
    if (item.userId !== userId) return undefined
    return { event: { type: 'room.read', roomId: item.roomId, lastReadSeq: item.lastReadSeq } }
  }
  if (item.type === 'presence') {
    if (!item.roomIds.some((roomId) => rooms.has(roomId))) return undefined
    return { event: { type: 'presence', userId: item.userId, online: item.online } }
  }
  if (item.type === 'typing') {
    // The typist's own tabs need not be told.
    if (item.user.id === userId || !rooms.has(item.roomId)) return undefined
    return { event: item }
  }
  const event = deliverable(item, userId, rooms)
  return event && { pos: item.pos, event }
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
  return { type: event.type, message: event.message }
}

async function membershipPositions(userId: string): Promise<Map<string, number>> {
  const memberships = await db().membership.findMany({ where: { userId }, select: { roomId: true, joinedPos: true } })
  return new Map(memberships.map((membership) => [membership.roomId, Number(membership.joinedPos)]))
}

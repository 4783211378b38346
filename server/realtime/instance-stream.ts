import { bus } from './index.ts'
import { LIVE_CHANNEL, STREAM_CHANNEL } from './bus.ts'
import { db } from '../db/client.ts'
import { processWideSlot } from '../process-wide.ts'
import { Hub } from './hub.ts'
import { OrderedStream } from './ordered-stream.ts'
import { Presence, type PresenceHeartbeat } from './presence.ts'
import { eventsInRange, headPosition } from './event-log.ts'
import type { LiveEvent, PositionedEvent } from '../chat/types.ts'
import { logger } from '../log.ts'

const log = logger('presence')

type Started = { stream: OrderedStream; hub: Hub; presence: Presence; stop(): void }
// One ordered stream per process, shared by both module copies.
const running = processWideSlot<Promise<Started>>('instance-stream')

/** This instance's ordered stream of every room's events, fed by the bus. */
export async function instanceStream(): Promise<OrderedStream> {
  return (await started()).stream
}

/** This instance's fan-out: which feeds each event goes to. */
export async function instanceHub(): Promise<Hub> {
  return (await started()).hub
}

/** This instance's view of who is online, cluster-wide. */
export async function instancePresence(): Promise<Presence> {
  return (await started()).presence
}

async function started(): Promise<Started> {
  if (!running.current) {
    const starting = start()
    running.current = starting
    // A failed start (database briefly unreachable) is not cached: the next subscriber tries again.
    starting.catch(() => {
      if (running.current === starting) running.current = undefined
    })
  }
  return running.current
}

export async function stopInstanceStream(): Promise<void> {
  const started = running.current
  running.current = undefined
  if (started) (await started).stop()
}

async function start(): Promise<Started> {
  const stream = new OrderedStream({ startPos: await headPosition(), source: { eventsInRange, headPosition } })
  const hub = new Hub(stream)
  // A user's presence changes reach the members of their rooms; lookups run one after another, in order.
  let announcing = Promise.resolve()
  const presence = new Presence({
    bus: bus(),
    onChange: (userId, online) => {
      announcing = announcing
        .then(async () => stream.acceptLive({ type: 'presence', userId, online, roomIds: await roomsOf(userId) }))
        .catch((error: unknown) => log.error('could not announce a presence change', { userId, error }))
    },
  })
  // Decoded once per instance; every subscriber shares the object.
  const stopStream = bus().subscribe(STREAM_CHANNEL, (payload) => stream.acceptPositioned(JSON.parse(payload) as PositionedEvent))
  const stopLive = bus().subscribe(LIVE_CHANNEL, (payload) => {
    const event = JSON.parse(payload) as LiveEvent | PresenceHeartbeat
    if (event.type === 'presence.heartbeat') presence.heard(event)
    else stream.acceptLive(event)
  })
  // Whatever was published while this instance was deaf is in the database: read it now rather than at the next poll.
  const stopRecovery = bus().onResubscribed(() => void stream.catchUpToHead())
  return {
    stream,
    hub,
    presence,
    stop() {
      hub.stop()
      presence.stop()
      stopStream()
      stopLive()
      stopRecovery()
      stream.stop()
    },
  }
}

async function roomsOf(userId: string): Promise<string[]> {
  const memberships = await db().membership.findMany({ where: { userId }, select: { roomId: true } })
  return memberships.map((membership) => membership.roomId)
}

import { bus } from '../realtime/index.ts'
import { LIVE_CHANNEL, STREAM_CHANNEL } from '../realtime/bus.ts'
import { OrderedStream } from './ordered-stream.ts'
import { eventsInRange, headPosition } from './stream-events.ts'
import type { LiveEvent, PositionedEvent } from './types.ts'

type Holder = { __chatStream?: Promise<{ stream: OrderedStream; stop(): void }> }
// One ordered stream per process, shared by both module copies (see server/db/client.ts).
const holder = globalThis as Holder

/** This instance's ordered stream of every room's events, fed by the bus. */
export async function instanceStream(): Promise<OrderedStream> {
  if (!holder.__chatStream) {
    const starting = start()
    holder.__chatStream = starting
    // A failed start (database briefly unreachable) is not cached: the next subscriber tries again.
    starting.catch(() => {
      if (holder.__chatStream === starting) holder.__chatStream = undefined
    })
  }
  return (await holder.__chatStream).stream
}

export async function stopInstanceStream(): Promise<void> {
  const started = holder.__chatStream
  holder.__chatStream = undefined
  if (started) (await started).stop()
}

async function start() {
  const stream = new OrderedStream({ startPos: await headPosition(), source: { eventsInRange, headPosition } })
  // Decoded once per instance; every subscriber shares the object.
  const stopStream = bus().subscribe(STREAM_CHANNEL, (payload) => stream.acceptPositioned(JSON.parse(payload) as PositionedEvent))
  const stopLive = bus().subscribe(LIVE_CHANNEL, (payload) => stream.acceptLive(JSON.parse(payload) as LiveEvent))
  // Whatever was published while this instance was deaf is in the database: read it now rather than at the next poll.
  const stopRecovery = bus().onResubscribed(() => void stream.catchUpToHead())
  return {
    stream,
    stop() {
      stopStream()
      stopLive()
      stopRecovery()
      stream.stop()
    },
  }
}

import type { DeliveredEvent } from '../realtime/user-feed.ts'
import { streamToSink, type StreamEnd } from '../realtime/stream-to-sink.ts'
import type { ClientEvent } from '../chat/types.ts'

type EventOf<Type extends ClientEvent['type']> = Extract<ClientEvent, { type: Type }>

/**
 * Reads a user's events.stream in the background (as one open tab) until stopped, recording every
 * event: the transports' own path (streamToSink) with an array as the sink. `capacity`: the reader
 * stops reading after that many events, as a stalled tab whose socket fills up.
 */
export function readEvents(userId: string, lastEventId?: number, { capacity = Infinity }: { capacity?: number } = {}) {
  const received: DeliveredEvent[] = []
  let ended: (outcome: StreamEnd) => void = () => {}
  const outcome = new Promise<StreamEnd>((resolve) => (ended = resolve))
  const stream = streamToSink(userId, lastEventId, {
    hasRoom: () => received.length < capacity,
    write: (cursor, event) => received.push({ cursor, event }),
    end: (how) => ended(how),
  })
  return {
    received,
    /** Resolves when the stream ends by itself (the reader fell behind, a failure) or once stopped. */
    ended: outcome,
    ready: () => received.some((delivered) => delivered.event.type === 'ready'),
    /** The events of one type received so far, in order. */
    events: <Type extends ClientEvent['type']>(type: Type): EventOf<Type>[] =>
      received.flatMap((delivered) => (delivered.event.type === type ? [delivered.event as EventOf<Type>] : [])),
    /** The cursor of the last event received. */
    cursor: () => received.at(-1)?.cursor,
    async stop() {
      stream.stop()
      await outcome
    },
  }
}

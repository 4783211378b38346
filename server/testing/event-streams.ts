import { userEventStream, type DeliveredEvent } from '../chat/event-stream.ts'
import type { ClientEvent } from '../chat/types.ts'

type EventOf<Type extends ClientEvent['type']> = Extract<ClientEvent, { type: Type }>

/** Reads a user's events.stream in the background (as one open tab) until stopped, recording every event. */
export function readEvents(userId: string, lastEventId?: number) {
  const controller = new AbortController()
  const received: DeliveredEvent[] = []
  const done = (async () => {
    for await (const delivered of userEventStream({ userId, lastEventId, signal: controller.signal })) received.push(delivered)
  })()
  return {
    received,
    ready: () => received.some((delivered) => delivered.event.type === 'ready'),
    /** The events of one type received so far, in order. */
    events: <Type extends ClientEvent['type']>(type: Type): EventOf<Type>[] =>
      received.flatMap((delivered) => (delivered.event.type === type ? [delivered.event as EventOf<Type>] : [])),
    async stop() {
      controller.abort()
      await done
    },
  }
}


import { TRPCError, type TrackedEnvelope } from '@trpc/server'
import { z } from 'zod'
import type { ClientEvent } from '../../chat/types.ts'
import { authedProcedure, expectedUserInput, router } from '../init.ts'

export const EVENTS_STREAM_PATH = 'events.stream'

export const streamInput = z.object({
  // The id of the last event received; tRPC's links send it back on every reconnect.
  lastEventId: z
    .string()
    .regex(/^\d{1,15}$/, 'lastEventId must be an event id this server sent.')
    .nullish(),
  asUserId: expectedUserInput,
})

/**
 * The contract of the live stream: its input and what it yields (tracked events, the id being the
 * resume cursor), from which the browser's links take their types. Its transports serve it
 * themselves, on `/api/ws` (server/transport/ws/event-stream-socket.ts) and as Server-Sent Events
 * (server/transport/sse/event-stream-response.ts), both through server/realtime/stream-to-sink.ts, so an event
 * is encoded once per fan-out instead of once per subscriber through tRPC's async iterators.
 */
export const eventsRouter = router({
  stream: authedProcedure.input(streamInput).subscription(async function* (): AsyncGenerator<TrackedEnvelope<ClientEvent>> {
    throw new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: 'events.stream is served on /api/ws and as Server-Sent Events at /api/trpc/events.stream.' })
  }),
})

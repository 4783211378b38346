import { tracked, TRPCError } from '@trpc/server'
import { watchSession } from '../../auth.ts'
import { z } from 'zod'
import { userEventStream } from '../../chat/event-stream.ts'
import { shutdownSignal } from '../../lifecycle.ts'
import { assertExpectedUser, authedProcedure, expectedUserInput, router } from '../init.ts'

/** Also served natively on the WebSocket (server/ws/event-stream-socket.ts), with this same schema. */
export const EVENTS_STREAM_PATH = 'events.stream'

export const streamInput = z.object({
  // The id of the last event received; tRPC's links send it back on every reconnect.
  lastEventId: z
    .string()
    .regex(/^\d{1,15}$/, 'lastEventId must be an event id this server sent.')
    .nullish(),
  asUserId: expectedUserInput,
})

export const eventsRouter = router({
  stream: authedProcedure.input(streamInput).subscription(async function* ({ ctx, input, signal }) {
    assertExpectedUser(ctx.user.id, input.asUserId)
    // Ends on client disconnect, on shutdown (clients reconnect to a live instance), and when the
    // session ends elsewhere (sign-out, expiry): a stream can outlive the check that opened it.
    const sessionEnded = new AbortController()
    // A WebSocket watches its session already and closes when it ends; an SSE stream watches here.
    const stopWatching = ctx.sessionWatchedByConnection ? () => {} : watchSession(ctx.headers, ctx.user.id, () => sessionEnded.abort())
    const stop = AbortSignal.any([signal ?? new AbortController().signal, shutdownSignal(), sessionEnded.signal])
    const lastEventId = input.lastEventId ? Number(input.lastEventId) : undefined
    try {
      for await (const { cursor, event } of userEventStream({ userId: ctx.user.id, lastEventId, signal: stop })) {
        yield tracked(String(cursor), event)
      }
    } finally {
      stopWatching()
    }
    if (sessionEnded.signal.aborted) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session ended. Sign in again.' })
  }),
})

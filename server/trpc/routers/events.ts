import { tracked } from '@trpc/server'
import { z } from 'zod'
import { userEventStream } from '../../chat/event-stream.ts'
import { shutdownSignal } from '../../lifecycle.ts'
import { authedProcedure, router } from '../init.ts'

const streamInput = z.object({
  // The id of the last event received; tRPC's links send it back on every reconnect.
  lastEventId: z
    .string()
    .regex(/^\d{1,15}$/, 'lastEventId must be an event id this server sent.')
    .nullish(),
})

export const eventsRouter = router({
  stream: authedProcedure.input(streamInput).subscription(async function* ({ ctx, input, signal }) {
    // Ends on client disconnect, and on shutdown so clients reconnect to a live instance.
    const stop = AbortSignal.any([signal ?? new AbortController().signal, shutdownSignal()])
    const lastEventId = input.lastEventId ? Number(input.lastEventId) : undefined
    for await (const { cursor, event } of userEventStream({ userId: ctx.user.id, lastEventId, signal: stop })) {
      yield tracked(String(cursor), event)
    }
  }),
})

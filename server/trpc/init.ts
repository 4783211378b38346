import { initTRPC, TRPCError } from '@trpc/server'
import { z } from 'zod'
import { ChatError } from '../chat/errors.ts'
import { SSE_PING_MS, SSE_RECONNECT_AFTER_INACTIVITY_MS } from '../realtime/heartbeat.ts'
import type { Context } from './context.ts'

const t = initTRPC.context<Context>().create({
  sse: {
    ping: { enabled: true, intervalMs: SSE_PING_MS },
    client: { reconnectAfterInactivityMs: SSE_RECONNECT_AFTER_INACTIVITY_MS },
  },
  errorFormatter({ shape, error }) {
    const fields = error.cause instanceof z.ZodError ? z.flattenError(error.cause).fieldErrors : undefined
    return { ...shape, data: { ...shape.data, fields } }
  },
})

export const router = t.router
export const createCallerFactory = t.createCallerFactory

/** Turns the chat domain's errors into tRPC errors with the same code and sentence. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next()
  if (!result.ok && result.error.cause instanceof ChatError) {
    throw new TRPCError({ code: result.error.cause.code, message: result.error.cause.message })
  }
  return result
})

export const publicProcedure = t.procedure.use(domainErrors)

/**
 * The user a tab believes is signed in. Another person may have signed in since (a shared
 * browser): what the tab queued or is subscribed to must not go out or arrive under their name.
 */
export const expectedUserInput = z.string().min(1).max(64).optional()

export function assertExpectedUser(userId: string, expectedUserId: string | undefined): void {
  if (expectedUserId === undefined || expectedUserId === userId) return
  throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Someone else signed in on this browser. Reload the page.' })
}

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' })
  return next({ ctx: { user: ctx.user } })
})

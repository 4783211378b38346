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

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' })
  return next({ ctx: { user: ctx.user } })
})

import { randomBytes } from 'node:crypto'
import { initTRPC, TRPCError } from '@trpc/server'
import { z } from 'zod'
import { ChatError } from '../chat/errors.ts'
import { fairQueue } from '../limits/fair-queue.ts'
import { RetryAfter } from '../limits/refusals.ts'
import { unacceptableInput } from './input-guard.ts'
import type { Context } from './context.ts'
import { logger } from '../log.ts'

const log = logger('api')

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, path }) {
    // An unexpected error never leaves the server: the client gets a sentence and a reference the log has beside the details.
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      const reference = randomBytes(4).toString('hex')
      log.error('internal error', { reference, path, error: error.cause ?? error })
      const data = { ...shape.data, stack: undefined, fields: undefined, reference, retryAfterMs: undefined }
      return { ...shape, message: `Something went wrong on the server (reference ${reference}).`, data }
    }
    const fields = error.cause instanceof z.ZodError ? z.flattenError(error.cause).fieldErrors : undefined
    const retryAfterMs = error.cause instanceof RetryAfter ? error.cause.ms : undefined
    return { ...shape, data: { ...shape.data, fields, reference: undefined, retryAfterMs } }
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

/** Text the database cannot store, and shapes no procedure takes, are refused before any schema or query. */
const acceptableInput = t.middleware(async ({ getRawInput, next }) => {
  const problem = unacceptableInput(await getRawInput())
  if (problem) throw new TRPCError({ code: 'BAD_REQUEST', message: problem })
  return next()
})

export const publicProcedure = t.procedure.use(acceptableInput).use(domainErrors)

/**
 * The user a tab believes is signed in. Another person may have signed in since (a shared
 * browser): what the tab queued or is subscribed to must not go out or arrive under their name.
 */
export const expectedUserInput = z.string().min(1).max(64).optional()

export function assertExpectedUser(userId: string, expectedUserId: string | undefined): void {
  if (expectedUserId === undefined || expectedUserId === userId) return
  throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Someone else signed in on this browser. Reload the page.' })
}

/** The signed-in user, or UNAUTHORIZED. */
const signedIn = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' })
  return next({ ctx: { user: ctx.user } })
})

/**
 * Each query and mutation takes its turn with the user's others (server/limits/fair-queue.ts),
 * one call at a time, however they came (a batch of twenty counts as twenty); a call whose
 * client went away meanwhile is dropped before it starts. Live streams are not calls.
 */
export const authedProcedure = signedIn.use(({ ctx, type, signal, next }) => {
  if (type === 'subscription') return next()
  return fairQueue().run(ctx.user.id, () => {
    if (signal?.aborted) throw new TRPCError({ code: 'CLIENT_CLOSED_REQUEST', message: 'The request was cancelled.' })
    return next()
  })
})

/**
 * Signed in, without a turn: for sends, which the group commit (server/chat/message-writer.ts)
 * already stores many to a statement. Taking turns would store one person's burst (an outbox
 * flushing after a trip offline) one commit at a time. Their rate is limited like any request.
 */
export const groupCommittedProcedure = signedIn

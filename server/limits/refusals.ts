import { TRPCError } from '@trpc/server'

/** The cause of a refusal that passes with time: how long to wait (the errorFormatter puts it in the answer as `retryAfterMs`). */
export class RetryAfter extends Error {
  constructor(readonly ms: number) {
    super(`retry after ${ms} ms`)
    this.name = 'RetryAfter'
  }
}

/** The client asked faster than its allowance. */
export function rateLimited(retryAfterMs: number): TRPCError {
  return new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `Too many requests: try again in ${retrySeconds(retryAfterMs)} s.`, cause: new RetryAfter(retryAfterMs) })
}

/** The instance is shedding load. */
export function sheddingLoad(retryAfterMs: number): TRPCError {
  return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: `The server is busy: try again in ${retrySeconds(retryAfterMs)} s.`, cause: new RetryAfter(retryAfterMs) })
}

/** Whole seconds, at least one, as Retry-After says them. */
export const retrySeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000))

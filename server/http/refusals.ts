import type { TRPCError } from '@trpc/server'
import { errorShape } from '../transport/trpc-wire.ts'
import { retrySeconds, sheddingLoad } from '../limits/refusals.ts'

/** The body of a refused tRPC HTTP request, in tRPC's format: one error per call of a batch. */
export function trpcRefusalBody(url: URL, method: string | undefined, error: TRPCError): unknown {
  const paths = decodeURIComponent(url.pathname.replace(/^\/api\/trpc\/?/, '')).split(',')
  const type = method === 'GET' ? 'query' : 'mutation'
  const errors = paths.map((path) => ({ error: errorShape(error, { type, path, input: undefined }) }))
  return url.searchParams.get('batch') === '1' ? errors : errors[0]
}

/**
 * A tRPC HTTP request refused before it ran, answered in tRPC's format so the client sees the
 * code: the outbox retries TOO_MANY_REQUESTS and stops on FORBIDDEN.
 */
export function refuseTrpcRequest(req: Request, error: TRPCError, status: number, headers: Record<string, string> = {}): Response {
  return Response.json(trpcRefusalBody(new URL(req.url), req.method, error), { status, headers: { 'cache-control': 'no-store', ...headers } })
}

/** The calls in a tRPC HTTP request (a batch names several paths), each counted against the rate. */
export function callsIn(url: URL): number {
  return url.pathname.split(',').length
}

/** The instance is shedding load: 503 and when to try again. */
export function overloaded(req: Request, retryAfterMs: number): Response {
  return refuseTrpcRequest(req, sheddingLoad(retryAfterMs), 503, retryAfterHeader(retryAfterMs))
}

export const retryAfterHeader = (ms: number) => ({ 'retry-after': String(retrySeconds(ms)) })

export const FOREIGN_ORIGIN_MESSAGE = 'This request came from a page of another site; it was refused.'

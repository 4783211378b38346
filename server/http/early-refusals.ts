import type { IncomingMessage, ServerResponse } from 'node:http'
import { addressRates, STREAM_OPEN_COST, userRates } from '../limits/request-limits.ts'
import { rateLimited, retrySeconds } from '../limits/refusals.ts'
import { callsIn, retryAfterHeader, trpcRefusalBody } from './refusals.ts'
import { sessionToken } from './session-token.ts'

/** Not counted: build files, and the health checks a load balancer (or a browser telling "blocked" from "down") must always get. */
const UNCOUNTED = /^\/(_next\/static\/|api\/health$|api\/ready$)/

/**
 * Turns away a client past its rate before Next or the session check spend anything on it (a
 * refusal here costs microseconds, one after routing a millisecond or more): every request of a
 * client address, and every tRPC call of a session (keyed by its cookie, unverified: a forged
 * one earns nothing but a refusal later). Returns true when it answered.
 */
export function refusedEarly(req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (UNCOUNTED.test(url.pathname)) return false
  let waitMs = addressRates().admit(clientAddress(req), 1)
  const trpc = url.pathname.startsWith('/api/trpc/')
  const session = trpc ? sessionToken(req.headers.cookie) : undefined
  if (waitMs === 0 && session) waitMs = userRates().admit(`session:${session}`, url.pathname === STREAM_PATH ? STREAM_OPEN_COST : callsIn(url))
  if (waitMs === 0) return false
  const body = refusalBody(url, req.method, trpc, waitMs)
  // The refusal is held for the wait it announces (up to a second): a client that asks again the
  // moment it hears back on a kept-alive connection asks a few times a second, not thousands.
  const answer = () => {
    if (!res.destroyed) res.writeHead(429, { 'content-type': 'application/json', 'cache-control': 'no-store', ...retryAfterHeader(waitMs) }).end(body)
  }
  setTimeout(answer, Math.min(waitMs, REFUSAL_HELD_AT_MOST_MS)).unref()
  return true
}

const REFUSAL_HELD_AT_MOST_MS = 1_000

const STREAM_PATH = '/api/trpc/events.stream'

/** Refusals repeat themselves (a flood asks the same thing again and again): each body is built once. */
const refusalBodies = new Map<string, string>()

function refusalBody(url: URL, method: string | undefined, trpc: boolean, waitMs: number): string {
  const key = `${method} ${url.pathname} ${url.searchParams.get('batch')} ${retrySeconds(waitMs)}`
  let body = refusalBodies.get(key)
  if (body === undefined) {
    const error = rateLimited(retrySeconds(waitMs) * 1000)
    body = JSON.stringify(trpc ? trpcRefusalBody(url, method, error) : { error: { message: error.message, code: 'TOO_MANY_REQUESTS' } })
    if (refusalBodies.size >= 256) refusalBodies.clear()
    refusalBodies.set(key, body)
  }
  return body
}

/** The client's address: the socket's, or the first hop a trusted proxy names (server/http/forwarded.ts). */
export function clientAddress(req: IncomingMessage): string {
  const forwarded = req.headers['x-forwarded-for']
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim()
  return first || req.socket.remoteAddress || 'unknown'
}

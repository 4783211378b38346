import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { TRPCError } from '@trpc/server'
import { sessionUser } from '@/server/auth'
import { HTTP_MAX_BATCH_SIZE } from '@/server/chat/limits'
import { env } from '@/server/env'
import { withBodyLimit } from '@/server/http/body-limit'
import { isForeignWrite, trustedOrigins } from '@/server/http/origin'
import { FOREIGN_ORIGIN_MESSAGE, overloaded, refuseTrpcRequest } from '@/server/http/refusals'
import { loadShedder } from '@/server/limits/load-shedder'
import { eventStreamResponse, isEventStreamRequest } from '@/server/transport/sse/event-stream-response'
import { createContext } from '@/server/trpc/context'
import { appRouter } from '@/server/trpc/root'

export const dynamic = 'force-dynamic'

// Queries, mutations, and subscriptions as Server-Sent Events (the WebSocket fallback).
async function handler(incoming: Request): Promise<Response> {
  // Refused before anything is read: a page of another site, or an instance shedding load.
  if (isForeignWrite(incoming, trustedOrigins(env()))) return refuseTrpcRequest(incoming, new TRPCError({ code: 'FORBIDDEN', message: FOREIGN_ORIGIN_MESSAGE }), 403)
  const shedder = loadShedder()
  if (shedder.overloaded()) return overloaded(incoming, shedder.retryAfterMs())
  // The live stream is served by our own fan-out (same schema, checks and wire format as tRPC's).
  if (isEventStreamRequest(incoming)) return eventStreamResponse(incoming)
  const req = await withBodyLimit(incoming)
  if (req instanceof Response) return req
  // The session's rate was checked before routing (server/http/early-refusals.ts); the cookie is read once, here.
  const user = await sessionUser(req.headers)
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    maxBatchSize: HTTP_MAX_BATCH_SIZE,
    createContext: () => createContext({ headers: req.headers, user }),
  })
}

export { handler as GET, handler as POST }

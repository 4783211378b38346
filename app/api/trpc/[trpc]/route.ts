import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { HTTP_MAX_BATCH_SIZE } from '@/server/chat/limits'
import { withBodyLimit } from '@/server/http/body-limit'
import { eventStreamResponse, isEventStreamRequest } from '@/server/sse/event-stream-response'
import { createContext } from '@/server/trpc/context'
import { appRouter } from '@/server/trpc/root'

export const dynamic = 'force-dynamic'

// Queries, mutations, and subscriptions as Server-Sent Events (the WebSocket fallback).
async function handler(incoming: Request): Promise<Response> {
  // The live stream is served by our own fan-out (same schema, checks and wire format as tRPC's).
  if (isEventStreamRequest(incoming)) return eventStreamResponse(incoming)
  const req = await withBodyLimit(incoming)
  if (req instanceof Response) return req
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    maxBatchSize: HTTP_MAX_BATCH_SIZE,
    createContext: () => createContext({ headers: req.headers }),
  })
}

export { handler as GET, handler as POST }

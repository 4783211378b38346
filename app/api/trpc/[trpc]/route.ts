import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { HTTP_MAX_BATCH_SIZE } from '@/server/chat/limits'
import { withBodyLimit } from '@/server/http/body-limit'
import { createContext } from '@/server/trpc/context'
import { appRouter } from '@/server/trpc/root'

export const dynamic = 'force-dynamic'

// Queries, mutations, and subscriptions as Server-Sent Events (the WebSocket fallback).
async function handler(incoming: Request): Promise<Response> {
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

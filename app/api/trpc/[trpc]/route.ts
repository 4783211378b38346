import { fetchRequestHandler } from '@trpc/server/adapters/fetch'
import { createContext } from '@/server/trpc/context'
import { appRouter } from '@/server/trpc/root'

export const dynamic = 'force-dynamic'

// Queries, mutations, and subscriptions as Server-Sent Events (the WebSocket fallback).
function handler(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => createContext({ headers: req.headers }),
  })
}

export { handler as GET, handler as POST }

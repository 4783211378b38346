'use client'
import { createTRPCClient, httpBatchLink } from '@trpc/client'
import { createTRPCContext } from '@trpc/tanstack-react-query'
import { HTTP_MAX_BATCH_SIZE } from '@/server/chat/limits'
import type { AppRouter } from '@/server/trpc/root'

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>()

/** Queries and mutations always go over HTTP, whatever carries the live events. */
export function createHttpClient() {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/api/trpc', maxItems: HTTP_MAX_BATCH_SIZE })] })
}

export type HttpClient = ReturnType<typeof createHttpClient>

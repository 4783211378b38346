'use client'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { createContext, useContext, useState, type ReactNode } from 'react'
import { createAppClient, RequestRoute, TRPCProvider } from './_lib/trpc'

const RequestRouteContext = createContext<RequestRoute | null>(null)

/** Where this tab's queries and mutations go; the chat pages plug their live connection into it. */
export function useRequestRoute(): RequestRoute {
  const route = useContext(RequestRouteContext)
  if (!route) throw new Error('useRequestRoute must be used inside <Providers>')
  return route
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: 1 } } }))
  const [route] = useState(() => new RequestRoute())
  const [trpcClient] = useState(() => createAppClient(route))
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <RequestRouteContext.Provider value={route}>{children}</RequestRouteContext.Provider>
      </TRPCProvider>
    </QueryClientProvider>
  )
}

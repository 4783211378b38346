'use client'
import { createTRPCClient, httpBatchLink, splitLink, TRPCClientError, type TRPCLink } from '@trpc/client'
import { createTRPCContext } from '@trpc/tanstack-react-query'
import { observable } from '@trpc/server/observable'
import { HTTP_MAX_BATCH_SIZE } from '@/server/chat/limits'
import type { AppRouter } from '@/server/trpc/root'
import type { CarriedRequest } from './live/relayed-requests'

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>()

/** Something that can carry queries and mutations instead of HTTP: the live WebSocket, while it is up. */
export type RequestCarrier = {
  carriesRequests(): boolean
  request(request: CarriedRequest, signal: AbortSignal | undefined): Promise<unknown>
}

/** Where this tab's queries and mutations go. The chat pages plug their live connection in; until then, HTTP. */
export class RequestRoute {
  private carrier: RequestCarrier | undefined

  /** Routes requests through `carrier` while it carries them; returns the function that unplugs it. */
  use(carrier: RequestCarrier): () => void {
    this.carrier = carrier
    return () => {
      if (this.carrier === carrier) this.carrier = undefined
    }
  }

  current(): RequestCarrier | undefined {
    return this.carrier?.carriesRequests() ? this.carrier : undefined
  }
}

/** Queries and mutations ride the live WebSocket while it is up (this tab's or another tab's); otherwise HTTP. */
export function createAppClient(route: RequestRoute) {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type !== 'subscription' && route.current() !== undefined,
        true: carriedLink(route),
        false: httpBatchLink({ url: '/api/trpc', maxItems: HTTP_MAX_BATCH_SIZE }),
      }),
    ],
  })
}

export type AppClient = ReturnType<typeof createAppClient>

function carriedLink(route: RequestRoute): TRPCLink<AppRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        const abort = new AbortController()
        const onAbort = () => abort.abort()
        op.signal?.addEventListener('abort', onAbort, { once: true })
        const carrier = route.current()
        const request: CarriedRequest = { type: op.type === 'query' ? 'query' : 'mutation', path: op.path, input: op.input }
        const answer = carrier ? carrier.request(request, abort.signal) : Promise.reject(new TRPCClientError('The live connection went away.'))
        answer.then(
          (data) => {
            observer.next({ result: { type: 'data', data } })
            observer.complete()
          },
          (cause: unknown) => observer.error(TRPCClientError.from(cause as Error)),
        )
        return () => {
          op.signal?.removeEventListener('abort', onAbort)
          abort.abort()
        }
      })
}

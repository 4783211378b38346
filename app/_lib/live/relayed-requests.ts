'use client'
import { TRPCClientError, type TRPCUntypedClient } from '@trpc/client'
import { newUuid } from '@/app/_lib/uuid'
import type { AppRouter } from '@/server/trpc/root'
import type { RelayedError, RequestType, TabChannel, TabMessage } from './tab-channel'

export type CarriedRequest = { type: RequestType; path: string; input: unknown }

type Waiting = { resolve(data: unknown): void; reject(error: unknown): void }

/**
 * Queries and mutations of tabs that do not hold the connection, carried by the tab that does.
 * The asking side waits for the answer on the channel; the holding side runs the request on its
 * WebSocket and answers. A request whose holder goes away fails as a lost connection would
 * (retryable: the outbox sends again with the same clientId, so nothing is stored twice).
 */
export class RelayedRequests {
  private readonly waiting = new Map<string, Waiting>()
  private readonly serving = new Map<string, AbortController>()

  /** Asks the holder to carry a request; settles with its answer. */
  send(channel: TabChannel, request: CarriedRequest, signal: AbortSignal | undefined): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(aborted())
    const requestId = newUuid()
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (!this.waiting.delete(requestId)) return
        channel.post({ kind: 'abort', requestId })
        reject(aborted())
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      const done = () => signal?.removeEventListener('abort', onAbort)
      this.waiting.set(requestId, {
        resolve: (data) => (done(), resolve(data)),
        reject: (error) => (done(), reject(error)),
      })
      channel.post({ kind: 'request', requestId, ...request })
    })
  }

  /** The holder answered one of this tab's requests. */
  settle({ requestId, data, error }: Extract<TabMessage, { kind: 'response' }>): void {
    const waiting = this.waiting.get(requestId)
    if (!waiting) return
    this.waiting.delete(requestId)
    if (error) waiting.reject(clientErrorOf(error))
    else waiting.resolve(data)
  }

  /** The holder changed or left: nothing will answer what this tab is waiting for. */
  failAll(): void {
    const waiting = [...this.waiting.values()]
    this.waiting.clear()
    for (const request of waiting) request.reject(new TRPCClientError('The tab holding the connection went away before it answered.'))
  }

  /** Runs another tab's request on this tab's WebSocket (or refuses it as retryable when the socket is not live). */
  serve(channel: TabChannel, from: string, { requestId, type, path, input }: Extract<TabMessage, { kind: 'request' }>, client: TRPCUntypedClient<AppRouter> | undefined): void {
    const answer = (result: { data?: unknown; error?: RelayedError }) => channel.post({ kind: 'response', to: from, requestId, ...result })
    if (!client) return answer({ error: { message: 'The live connection is not up right now.' } })
    const key = `${from}:${requestId}`
    const controller = new AbortController()
    this.serving.set(key, controller)
    const call = type === 'query' ? client.query(path, input, { signal: controller.signal }) : client.mutation(path, input, { signal: controller.signal })
    call.then(
      (data) => answer({ data }),
      (error: unknown) => answer({ error: relayedErrorOf(error) }),
    ).finally(() => this.serving.delete(key))
  }

  /** The asking tab gave up on a request (its timeout, or it navigated away). */
  abortServed(from: string, requestId: string): void {
    this.serving.get(`${from}:${requestId}`)?.abort()
  }
}

function relayedErrorOf(error: unknown): RelayedError {
  if (error instanceof TRPCClientError) return { message: error.message, shape: error.shape as unknown }
  return { message: error instanceof Error ? error.message : 'The request failed.' }
}

/** A refusal keeps its code (FORBIDDEN, BAD_REQUEST…); anything else reads as a lost connection. */
function clientErrorOf(error: RelayedError): TRPCClientError<AppRouter> {
  return error.shape ? TRPCClientError.from<AppRouter>({ error: error.shape as never }) : new TRPCClientError(error.message)
}

function aborted(): TRPCClientError<AppRouter> {
  return new TRPCClientError('The request was cancelled.')
}

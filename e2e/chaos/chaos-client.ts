// One chat user in the chaos run: a live subscription over WebSocket or SSE through the tRPC
// client links the browser uses, resuming from its last event id after every drop, and a sender
// that retries each message with the same clientId until the server acknowledges it. Senders
// "like the browser" send over their WebSocket while the stream is live on it (HTTP otherwise);
// the others always send over HTTP.
import { randomUUID } from 'node:crypto'
import { createTRPCClient, createWSClient, httpSubscriptionLink, TRPCClientError, wsLink, type TRPCClient } from '@trpc/client'
import { EventSource } from 'eventsource'
import WebSocket from 'ws'
import { backoffDelay } from '../../app/_lib/live/backoff.ts'
import { WS_PING_INTERVAL_MS, WS_PONG_TIMEOUT_MS } from '../../server/realtime/heartbeat.ts'
import type { AppRouter } from '../../server/trpc/root.ts'

export type Transport = 'ws' | 'sse'
export type Acknowledged = { clientId: string; roomId: string; seq: number }

/** Retry delays, doubling with jitter as in the browser, kept short so the run stays short. */
const STREAM_RETRY_BACKOFF = { baseMs: 100, maxMs: 2_000 }
const SEND_RETRY_BACKOFF = { baseMs: 50, maxMs: 2_000 }
/** Wait for a close handshake this long before dropping the socket (a frozen peer never answers). */
const CLOSE_HANDSHAKE_WAIT_MS = 500

export class ChaosClient {
  /** Room → seqs in the order they arrived, duplicates included: what a naive UI would show. */
  readonly arrivals = new Map<string, number[]>()
  readonly acknowledged: Acknowledged[] = []
  sendRetries = 0
  switches = 0
  ready = false
  /** When each subscription (the first and every resumption) became ready, on performance.now(). */
  readonly readyTimes: number[] = []
  /** Sends over WebSocket (while live there) and how many did. */
  sentOverWebSocket = 0
  private lastEventId: string | undefined
  private session: { close(): void } | undefined
  /** The WebSocket session's client while the stream is live on it: sends ride it, as in the browser. */
  private liveSocket: TRPCClient<AppRouter> | undefined
  private retryAttempt = 0
  private stopped = false

  constructor(
    readonly name: string,
    private readonly baseUrl: string,
    readonly cookie: string,
    public transport: Transport,
    private readonly sendsLikeTheBrowser: boolean,
  ) {}

  subscribe(): void {
    this.session?.close()
    if (this.stopped) return
    const session = { close: () => {} }
    this.session = session
    this.liveSocket = undefined
    const { client, close } = this.transport === 'ws' ? this.webSocketClient() : this.sseClient()
    const isCurrent = () => this.session === session && !this.stopped
    const resubscribeLater = () => {
      if (!isCurrent()) return
      this.liveSocket = undefined
      setTimeout(() => isCurrent() && this.subscribe(), backoffDelay(this.retryAttempt++, STREAM_RETRY_BACKOFF))
    }
    const subscription = client.events.stream.subscribe(
      { lastEventId: this.lastEventId ?? null },
      {
        onData: ({ id, data }) => {
          if (!isCurrent()) return
          this.lastEventId = id
          if (data.type === 'ready') {
            this.ready = true
            this.readyTimes.push(performance.now())
            this.retryAttempt = 0
            if (this.transport === 'ws') this.liveSocket = client
          }
          if (data.type !== 'message') return
          const seqs = this.arrivals.get(data.message.roomId) ?? []
          seqs.push(data.message.seq)
          this.arrivals.set(data.message.roomId, seqs)
        },
        onError: resubscribeLater,
        onComplete: resubscribeLater,
      },
    )
    session.close = () => {
      if (this.liveSocket === client) this.liveSocket = undefined
      subscription.unsubscribe()
      close()
    }
  }

  /** Moves the subscription to the other transport, resuming from the last event id. */
  switchTransport(): void {
    this.transport = this.transport === 'ws' ? 'sse' : 'ws'
    this.switches++
    this.subscribe()
  }

  /** Sends `count` messages one after another, alternating between `roomIds`. */
  async sendMessages(roomIds: readonly string[], count: number, pauseMs: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const roomId = roomIds[i % roomIds.length]!
      const clientId = randomUUID()
      const seq = await this.sendUntilStored(roomId, clientId, `${this.name} #${i}`)
      this.acknowledged.push({ clientId, roomId, seq })
      await sleep(pauseMs)
    }
  }

  /** Message events received so far, over every stream. */
  received(): number {
    let count = 0
    for (const seqs of this.arrivals.values()) count += seqs.length
    return count
  }

  stop(): void {
    this.stopped = true
    this.session?.close()
  }

  private async sendUntilStored(roomId: string, clientId: string, text: string): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const socket = this.sendsLikeTheBrowser ? this.liveSocket : undefined
      const outcome = socket ? await this.sendOverWebSocket(socket, roomId, clientId, text) : await this.sendOverHttp(roomId, clientId, text)
      if (typeof outcome === 'number') return outcome
      if (outcome === 'refused') throw new Error(`message.send refused (${socket ? 'WebSocket' : 'HTTP'})`)
      this.sendRetries++
      await sleep(backoffDelay(attempt, SEND_RETRY_BACKOFF))
    }
  }

  /** The stored seq, 'refused' (a 4xx: a bug in the run), or 'retry' (the connection failed, a 5xx, a 429). */
  private async sendOverHttp(roomId: string, clientId: string, text: string): Promise<number | 'refused' | 'retry'> {
    try {
      const response = await fetch(`${this.baseUrl}/api/trpc/message.send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: this.cookie },
        body: JSON.stringify({ roomId, text, clientId }),
        signal: AbortSignal.timeout(5_000),
      })
      const body = (await response.json()) as { result?: { data: { seq: number } }; error?: unknown }
      if (body.result) return body.result.data.seq
      return isRefusal(response.status) ? 'refused' : 'retry'
    } catch {
      return 'retry'
    }
  }

  private async sendOverWebSocket(socket: TRPCClient<AppRouter>, roomId: string, clientId: string, text: string): Promise<number | 'refused' | 'retry'> {
    try {
      const stored = await socket.message.send.mutate({ roomId, text, clientId }, { signal: AbortSignal.timeout(5_000) })
      this.sentOverWebSocket++
      return stored.seq
    } catch (error) {
      // A socket that died with the request on it has no code; a refusal has one (and a status below 500).
      const status = error instanceof TRPCClientError ? (error.data as { httpStatus?: number } | undefined)?.httpStatus : undefined
      return status !== undefined && isRefusal(status) ? 'refused' : 'retry'
    }
  }

  private webSocketClient(): { client: TRPCClient<AppRouter>; close(): void } {
    const cookie = this.cookie
    class CookieWebSocket extends WebSocket {
      constructor(url: string | URL) {
        super(url, { headers: { cookie } })
      }
      override close(code?: number, reason?: string): void {
        super.close(code, reason)
        setTimeout(() => this.terminate(), CLOSE_HANDSHAKE_WAIT_MS).unref()
      }
    }
    const wsClient = createWSClient({
      url: `${this.baseUrl.replace(/^http/, 'ws')}/api/ws`,
      WebSocket: CookieWebSocket as unknown as typeof globalThis.WebSocket,
      retryDelayMs: (attempt) => backoffDelay(attempt, STREAM_RETRY_BACKOFF),
      keepAlive: { enabled: true, intervalMs: WS_PING_INTERVAL_MS, pongTimeoutMs: WS_PONG_TIMEOUT_MS },
    })
    return { client: createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] }), close: () => void wsClient.close() }
  }

  private sseClient(): { client: TRPCClient<AppRouter>; close(): void } {
    const cookie = this.cookie
    const link = httpSubscriptionLink({
      url: `${this.baseUrl}/api/trpc`,
      EventSource,
      eventSourceOptions: () => ({
        fetch: (input: string | URL, init?: RequestInit) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } }),
      }),
    })
    return { client: createTRPCClient<AppRouter>({ links: [link] }), close: () => {} }
  }
}

/** A 4xx other than "too many requests": asking again cannot help (a bug in the run). */
function isRefusal(status: number): boolean {
  return status < 500 && status !== 429
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

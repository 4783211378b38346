'use client'
import { createTRPCClient, createWSClient, getUntypedClient, httpSubscriptionLink, TRPCClientError, wsLink, type TRPCClient, type TRPCUntypedClient } from '@trpc/client'
import type { ClientEvent } from '@/server/chat/types'
import { FLOODING_CLOSE_CODE, FLOODING_COOLDOWN_MS, SESSION_ENDED_CLOSE_CODE, TOO_MANY_CONNECTIONS_CLOSE_CODE } from '@/server/transport/ws/socket-protocol'
import { WS_PING_INTERVAL_MS, WS_PONG_TIMEOUT_MS } from '@/server/realtime/heartbeat'
import type { AppRouter } from '@/server/trpc/root'
import { backoffDelay } from './backoff'
import { promptCloseWebSocket } from './prompt-close-web-socket'
import type { FallbackReason, LiveState, Transport, TransportStatus } from './status'
import { probeWebSocket, serverAnswersHttp, webSocketUrl, WS_OPEN_TIMEOUT_MS } from './transport-checks'

/** How long to stay away after the server closed the socket for these reasons. */
const PAUSE_AFTER_CLOSE_MS: Record<number, number> = { [TOO_MANY_CONNECTIONS_CLOSE_CODE]: 60_000, [FLOODING_CLOSE_CODE]: FLOODING_COOLDOWN_MS + 2_000 }
/** While on SSE, WebSocket is probed again after 5 s, backing off to a minute. */
const PROBE_BACKOFF = { baseMs: 5_000, maxMs: 60_000 }

export type LiveConnectionOptions = {
  /** Who this tab shows: a stream under another person's session (a new sign-in) is refused. */
  userId: string
  /** `?transport=ws|sse` pins one transport (diagnostics, tests): no fallback, no probing. */
  forcedTransport?: Transport | undefined
  /** Where a previous holder of the connection (another tab) left off: resume there, on its transport. */
  resumeFrom?: { lastEventId: string | undefined; status: TransportStatus | undefined } | undefined
  onEvent(event: ClientEvent, id: string): void
  onStatus(status: TransportStatus): void
  /** The session is gone (signed out elsewhere, expired): reconnecting cannot help. */
  onSignedOut(): void
}

/** One subscription attempt on one transport. Callbacks of a replaced session are ignored. */
type Session = {
  transport: Transport
  close(): void
  /** The socket's tRPC client for queries and mutations (WebSocket sessions only). */
  requests?: TRPCUntypedClient<AppRouter>
  /** WebSocket: the stream was live on it once, and the socket of the current attempt opened. */
  wasLive: boolean
  socketOpened: boolean
  /** A fallback check found the server down (restarting): once it answers, WebSocket gets a fresh try. */
  serverWasDown: boolean
}

/**
 * Keeps one `events.stream` subscription alive. Tries WebSocket first, falls back to SSE when
 * WebSocket cannot carry the stream while HTTP works, probes WebSocket in the background to
 * switch back, and resumes from the last event id on every (re)subscription: nothing missed,
 * nothing twice. While the stream is live on a WebSocket, queries and mutations can ride it too.
 */
export class LiveConnection {
  private lastEventId: string | undefined
  private session: Session | undefined
  private status: TransportStatus
  private fallbackTimer: ReturnType<typeof setTimeout> | undefined
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private probeTimer: ReturnType<typeof setTimeout> | undefined
  private abandonProbe: (() => void) | undefined
  private probeAttempt = 0
  private retryAttempt = 0
  private stopped = false

  constructor(private readonly options: LiveConnectionOptions) {
    const previous = options.resumeFrom?.status
    // A tab taking over from another resumes on the transport that worked there, not after another 3 s WebSocket wait.
    const onSse = options.forcedTransport === 'sse' || (!options.forcedTransport && previous?.transport === 'sse')
    this.status = { state: 'connecting', transport: onSse ? 'sse' : 'ws', fallback: onSse ? (options.forcedTransport ? 'pinned' : previous?.fallback) : undefined }
    this.lastEventId = options.resumeFrom?.lastEventId
  }

  start(): void {
    window.addEventListener('online', this.handleOnline)
    window.addEventListener('offline', this.handleOffline)
    this.options.onStatus(this.currentStatus())
    this.connect(this.status.transport, this.status.fallback)
  }

  stop(): void {
    this.stopped = true
    window.removeEventListener('online', this.handleOnline)
    window.removeEventListener('offline', this.handleOffline)
    this.clearTimers()
    this.session?.close()
    this.session = undefined
  }

  /** The WebSocket's client while the stream is live on it: queries and mutations go there rather than over HTTP. */
  requests(): TRPCUntypedClient<AppRouter> | undefined {
    return this.isLive() && this.session?.transport === 'ws' ? this.session.requests : undefined
  }

  private connect(transport: Transport, fallback?: FallbackReason): void {
    if (this.stopped) return
    this.clearTimers()
    this.session?.close()
    const session: Session = { transport, close: () => {}, wasLive: false, socketOpened: false, serverWasDown: false }
    this.session = session
    this.setState(this.isLive() ? 'reconnecting' : this.status.state, transport, transport === 'sse' ? fallback : undefined)
    session.close = transport === 'ws' ? this.openWebSocket(session) : this.openSse(session)
    if (transport === 'sse' && !this.options.forcedTransport) this.scheduleProbe()
  }

  private isLive(): boolean {
    return this.status.state === 'live'
  }

  private isCurrent(session: Session): boolean {
    return this.session === session && !this.stopped
  }

  private openWebSocket(session: Session): () => void {
    this.armFallback(session)
    const wsClient = createWSClient({
      url: webSocketUrl(),
      WebSocket: promptCloseWebSocket(),
      retryDelayMs: (attempt) => backoffDelay(attempt),
      // Client pings too: a half-open connection is noticed within 8 s even if the server is silent.
      keepAlive: { enabled: true, intervalMs: WS_PING_INTERVAL_MS, pongTimeoutMs: WS_PONG_TIMEOUT_MS },
      onOpen: () => {
        session.socketOpened = true
      },
      onClose: (cause) => {
        if (!this.isCurrent(session)) return
        if (cause?.code === SESSION_ENDED_CLOSE_CODE) return this.signedOut()
        // Told to go away for a while (too many connections on this account, or too many requests): no quick return.
        const pause = cause?.code === undefined ? undefined : PAUSE_AFTER_CLOSE_MS[cause.code]
        if (pause !== undefined) return this.pauseThenReconnect(session, pause)
        const refused = !session.socketOpened
        session.socketOpened = false
        this.setState('reconnecting', 'ws')
        // Refused before it opened: no point waiting out the timeout if plain HTTP works.
        if (refused && !session.wasLive) void this.fallBackIfHttpWorks(session, 'refused')
        else this.armFallback(session)
      },
    })
    const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] })
    // The same client (one request-id counter for the socket) carries the stream, queries and mutations.
    session.requests = getUntypedClient(client)
    const subscription = this.subscribe(client, session)
    return () => {
      subscription.unsubscribe()
      void wsClient.close()
    }
  }

  private openSse(session: Session): () => void {
    const client = createTRPCClient<AppRouter>({ links: [httpSubscriptionLink({ url: '/api/trpc' })] })
    const subscription = this.subscribe(client, session)
    return () => subscription.unsubscribe()
  }

  private subscribe(client: TRPCClient<AppRouter>, session: Session) {
    return client.events.stream.subscribe(
      { lastEventId: this.lastEventId ?? null, asUserId: this.options.userId },
      {
        onData: ({ id, data }) => {
          if (!this.isCurrent(session)) return
          this.lastEventId = id
          // The stream answers (a long backlog may come before `ready`): WebSocket works.
          clearTimeout(this.fallbackTimer)
          if (data.type === 'ready') {
            this.retryAttempt = 0
            session.wasLive = true
            if (session.transport === 'ws') this.probeAttempt = 0
            this.setState('live', session.transport, this.status.fallback)
          }
          this.options.onEvent(data, id)
        },
        onConnectionStateChange: (connection) => {
          if (!this.isCurrent(session) || connection.state !== 'connecting' || !connection.error) return
          if (isUnauthorized(connection.error)) return this.signedOut()
          this.setState('reconnecting', session.transport, this.status.fallback)
        },
        // The server ended the stream (restart, overload): subscribe again, resuming.
        onError: (error) => {
          if (!this.isCurrent(session)) return
          if (isUnauthorized(error)) return this.signedOut()
          this.retryLater(session)
        },
        onComplete: () => this.retryLater(session),
      },
    )
  }

  private pauseThenReconnect(session: Session, ms: number): void {
    session.close()
    this.clearTimers()
    this.setState('reconnecting', session.transport, this.status.fallback)
    this.retryTimer = setTimeout(() => {
      if (this.isCurrent(session)) this.connect(session.transport, this.status.fallback)
    }, backoffDelay(0, { baseMs: ms, maxMs: ms }))
  }

  private retryLater(session: Session): void {
    if (!this.isCurrent(session)) return
    this.setState('reconnecting', session.transport, this.status.fallback)
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => {
      if (this.isCurrent(session)) this.connect(session.transport, this.status.fallback)
    }, backoffDelay(this.retryAttempt++))
  }

  /**
   * Falls back to SSE unless the WebSocket stream answers in time, but only while plain HTTP
   * works: when the server itself is down (restarting) SSE would fail too.
   */
  private armFallback(session: Session): void {
    if (this.options.forcedTransport) return
    clearTimeout(this.fallbackTimer)
    this.fallbackTimer = setTimeout(() => void this.fallBackIfHttpWorks(session, session.wasLive ? 'closed' : 'timed out'), WS_OPEN_TIMEOUT_MS)
  }

  private async fallBackIfHttpWorks(session: Session, reason: FallbackReason): Promise<void> {
    if (this.options.forcedTransport || !this.isCurrent(session) || this.isLive()) return
    clearTimeout(this.fallbackTimer)
    const serverUp = await serverAnswersHttp()
    if (!this.isCurrent(session) || this.isLive()) return
    if (!serverUp) {
      session.serverWasDown = true
      return this.armFallback(session)
    }
    // Back from a restart: WebSocket gets a fresh try before it is judged blocked.
    if (session.serverWasDown) this.connect('ws')
    else this.connect('sse', reason)
  }

  private scheduleProbe(): void {
    clearTimeout(this.probeTimer)
    this.probeTimer = setTimeout(() => this.probeWebSocket(), backoffDelay(this.probeAttempt++, PROBE_BACKOFF))
  }

  private probeWebSocket(): void {
    const session = this.session
    if (!session || !this.isCurrent(session) || session.transport !== 'sse') return
    this.abandonProbe = probeWebSocket((works) => {
      this.abandonProbe = undefined
      if (!this.isCurrent(session)) return
      if (works) this.connect('ws')
      else this.scheduleProbe()
    })
  }

  private signedOut(): void {
    this.stop()
    this.options.onSignedOut()
  }

  private readonly handleOnline = () => {
    this.retryAttempt = 0
    this.connect(this.session?.transport ?? this.options.forcedTransport ?? 'ws', this.status.fallback)
  }

  private readonly handleOffline = () => this.setState('offline', this.status.transport, this.status.fallback)

  private currentStatus(): TransportStatus {
    return { ...this.status, state: navigator.onLine ? this.status.state : 'offline' }
  }

  private setState(state: LiveState, transport: Transport, fallback?: FallbackReason): void {
    const next: TransportStatus = { state: navigator.onLine ? state : 'offline', transport, fallback: transport === 'sse' ? fallback : undefined }
    if (next.state === this.status.state && next.transport === this.status.transport && next.fallback === this.status.fallback) return
    this.status = next
    this.options.onStatus(next)
  }

  private clearTimers(): void {
    clearTimeout(this.fallbackTimer)
    clearTimeout(this.retryTimer)
    clearTimeout(this.probeTimer)
    this.abandonProbe?.()
    this.abandonProbe = undefined
  }
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED'
}

'use client'
import { createTRPCClient, createWSClient, httpSubscriptionLink, TRPCClientError, wsLink, type TRPCClient } from '@trpc/client'
import type { ClientEvent } from '@/server/chat/types'
import { WS_PING_INTERVAL_MS, WS_PONG_TIMEOUT_MS } from '@/server/realtime/heartbeat'
import type { AppRouter } from '@/server/trpc/root'
import { backoffDelay } from './backoff'
import { promptCloseWebSocket } from './prompt-close-web-socket'
import type { LiveState, LiveStatus, Transport } from './status'

/** A WebSocket subscription not answering by then is taken as blocked, and SSE takes over. */
const WS_OPEN_TIMEOUT_MS = 3_000
/** While on SSE, WebSocket is probed again after 5 s, backing off to a minute. */
const PROBE_BACKOFF = { baseMs: 5_000, maxMs: 60_000 }
/** The server closes a socket with this code when its session ended (server/ws/attach.ts). */
const SESSION_ENDED_CLOSE_CODE = 4401

export type LiveConnectionOptions = {
  /** Who this tab shows: a stream under another person's session (a new sign-in) is refused. */
  userId: string
  /** `?transport=ws|sse` pins one transport (diagnostics, tests): no fallback, no probing. */
  forcedTransport?: Transport | undefined
  onEvent(event: ClientEvent): void
  onStatus(status: LiveStatus): void
  /** The session is gone (signed out elsewhere, expired): reconnecting cannot help. */
  onSignedOut(): void
}

/** One subscription attempt on one transport. Callbacks of a replaced session are ignored. */
type Session = { transport: Transport; close(): void }

/**
 * Keeps one `events.stream` subscription alive for the tab. Tries WebSocket first, falls back to
 * SSE when WebSocket cannot carry the stream while HTTP works, probes WebSocket in the background
 * to switch back, and resumes from the last event id on every (re)subscription: nothing missed,
 * nothing twice.
 */
export class LiveConnection {
  private lastEventId: string | undefined
  private session: Session | undefined
  private status: LiveStatus
  private fallbackTimer: ReturnType<typeof setTimeout> | undefined
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private probeTimer: ReturnType<typeof setTimeout> | undefined
  private probeSocket: WebSocket | undefined
  private probeAttempt = 0
  private retryAttempt = 0
  private stopped = false

  constructor(private readonly options: LiveConnectionOptions) {
    this.status = { state: 'connecting', transport: options.forcedTransport ?? 'ws' }
  }

  start(): void {
    window.addEventListener('online', this.handleOnline)
    window.addEventListener('offline', this.handleOffline)
    if (!navigator.onLine) this.setState('offline', this.status.transport)
    this.connect(this.options.forcedTransport ?? 'ws')
  }

  stop(): void {
    this.stopped = true
    window.removeEventListener('online', this.handleOnline)
    window.removeEventListener('offline', this.handleOffline)
    this.clearTimers()
    this.session?.close()
    this.session = undefined
  }

  private connect(transport: Transport): void {
    if (this.stopped) return
    this.clearTimers()
    this.session?.close()
    const session: Session = { transport, close: () => {} }
    this.session = session
    this.setState(this.status.state === 'live' ? 'reconnecting' : this.status.state, transport)
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
      onClose: (cause) => {
        if (!this.isCurrent(session)) return
        if (cause?.code === SESSION_ENDED_CLOSE_CODE) return this.signedOut()
        this.setState('reconnecting', 'ws')
        this.armFallback(session)
      },
    })
    const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] })
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
            if (session.transport === 'ws') this.probeAttempt = 0
            this.setState('live', session.transport)
          }
          this.options.onEvent(data)
        },
        onConnectionStateChange: (connection) => {
          if (!this.isCurrent(session) || connection.state !== 'connecting' || !connection.error) return
          if (isUnauthorized(connection.error)) return this.signedOut()
          this.setState('reconnecting', session.transport)
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

  private retryLater(session: Session): void {
    if (!this.isCurrent(session)) return
    this.setState('reconnecting', session.transport)
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => {
      if (this.isCurrent(session)) this.connect(session.transport)
    }, backoffDelay(this.retryAttempt++))
  }

  /**
   * Falls back to SSE unless the WebSocket stream answers in time, but only while plain HTTP
   * works: when the server itself is down (restarting) SSE would fail too. Once the server
   * answers again, WebSocket gets a fresh try before it is judged blocked.
   */
  private armFallback(session: Session, serverWasDown = false): void {
    if (this.options.forcedTransport) return
    clearTimeout(this.fallbackTimer)
    this.fallbackTimer = setTimeout(async () => {
      if (!this.isCurrent(session) || this.isLive()) return
      const serverUp = await serverAnswersHttp()
      if (!this.isCurrent(session) || this.isLive()) return
      if (!serverUp) return this.armFallback(session, true)
      this.connect(serverWasDown ? 'ws' : 'sse')
    }, WS_OPEN_TIMEOUT_MS)
  }

  private scheduleProbe(): void {
    clearTimeout(this.probeTimer)
    this.probeTimer = setTimeout(() => this.probeWebSocket(), backoffDelay(this.probeAttempt++, PROBE_BACKOFF))
  }

  /**
   * Opens a throwaway WebSocket and exchanges one PING/PONG with the tRPC server: only a socket
   * that carries messages both ways (not one a proxy opens and kills) moves the subscription back.
   */
  private probeWebSocket(): void {
    const session = this.session
    if (!session || !this.isCurrent(session) || session.transport !== 'sse') return
    const socket = new WebSocket(webSocketUrl())
    this.probeSocket = socket
    const giveUp = setTimeout(() => socket.close(), WS_OPEN_TIMEOUT_MS)
    let answered = false
    socket.onopen = () => socket.send('PING')
    socket.onmessage = (message) => {
      if (message.data !== 'PONG') return
      answered = true
      socket.close()
      if (this.isCurrent(session)) this.connect('ws')
    }
    socket.onclose = () => {
      clearTimeout(giveUp)
      if (this.probeSocket === socket) this.probeSocket = undefined
      if (!answered && this.isCurrent(session)) this.scheduleProbe()
    }
  }

  private signedOut(): void {
    this.stop()
    this.options.onSignedOut()
  }

  private readonly handleOnline = () => {
    this.retryAttempt = 0
    this.connect(this.session?.transport ?? this.options.forcedTransport ?? 'ws')
  }

  private readonly handleOffline = () => this.setState('offline', this.status.transport)

  private setState(state: LiveState, transport: Transport): void {
    const next: LiveStatus = { state: !navigator.onLine ? 'offline' : state, transport }
    if (next.state === this.status.state && next.transport === this.status.transport) return
    this.status = next
    this.options.onStatus(next)
  }

  private clearTimers(): void {
    clearTimeout(this.fallbackTimer)
    clearTimeout(this.retryTimer)
    clearTimeout(this.probeTimer)
    this.probeSocket?.close()
    this.probeSocket = undefined
  }
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED'
}

async function serverAnswersHttp(): Promise<boolean> {
  try {
    const response = await fetch('/api/health', { cache: 'no-store', signal: AbortSignal.timeout(WS_OPEN_TIMEOUT_MS) })
    return response.ok
  } catch {
    return false
  }
}

function webSocketUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`
}

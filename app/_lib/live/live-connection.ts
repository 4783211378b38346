'use client'
import { createTRPCClient, createWSClient, httpSubscriptionLink, wsLink, type TRPCClient } from '@trpc/client'
import type { ClientEvent } from '@/server/chat/types'
import type { AppRouter } from '@/server/trpc/root'
import { backoffDelay } from './backoff'
import type { LiveState, LiveStatus, Transport } from './status'

/** A WebSocket subscription not live by then is taken as blocked, and SSE takes over. */
const WS_OPEN_TIMEOUT_MS = 3_000
/** While on SSE, WebSocket is probed again after 5 s, backing off to a minute. */
const PROBE_BACKOFF = { baseMs: 5_000, maxMs: 60_000 }

export type LiveConnectionOptions = {
  /** `?transport=ws|sse` pins one transport (diagnostics, tests): no fallback, no probing. */
  forcedTransport?: Transport | undefined
  onEvent(event: ClientEvent): void
  onStatus(status: LiveStatus): void
}

type Session = { transport: Transport; stop(): void }

/**
 * Keeps one `events.stream` subscription alive for the tab. Tries WebSocket first, falls back to
 * SSE when WebSocket cannot open or dies, probes WebSocket in the background to switch back, and
 * resumes from the last event id on every (re)subscription: nothing missed, nothing twice.
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
    this.session?.stop()
    this.session = undefined
  }

  private connect(transport: Transport): void {
    if (this.stopped) return
    this.clearTimers()
    this.session?.stop()
    this.setState(this.status.state === 'live' ? 'reconnecting' : this.status.state, transport)
    this.session = transport === 'ws' ? this.openWebSocket() : this.openSse()
    if (transport === 'sse' && !this.options.forcedTransport) this.scheduleProbe()
  }

  private openWebSocket(): Session {
    this.armFallback()
    const wsClient = createWSClient({
      url: webSocketUrl(),
      retryDelayMs: (attempt) => backoffDelay(attempt),
      // Client pings too: a half-open connection is noticed within ~10 s even if the server is silent.
      keepAlive: { enabled: true, intervalMs: 5_000, pongTimeoutMs: 5_000 },
      onClose: () => {
        if (this.session?.transport !== 'ws' || this.stopped) return
        this.setState('reconnecting', 'ws')
        this.armFallback()
      },
    })
    const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] })
    const subscription = this.subscribe(client, 'ws')
    return {
      transport: 'ws',
      stop: () => {
        subscription.unsubscribe()
        void wsClient.close()
      },
    }
  }

  private openSse(): Session {
    const client = createTRPCClient<AppRouter>({ links: [httpSubscriptionLink({ url: '/api/trpc' })] })
    const subscription = this.subscribe(client, 'sse')
    return { transport: 'sse', stop: () => subscription.unsubscribe() }
  }

  private subscribe(client: TRPCClient<AppRouter>, transport: Transport) {
    return client.events.stream.subscribe(
      { lastEventId: this.lastEventId ?? null },
      {
        onData: ({ id, data }) => {
          if (this.session?.transport !== transport) return
          this.lastEventId = id
          if (data.type === 'ready') {
            // Healthy only once the stream answers: a socket that opens and dies still falls back.
            clearTimeout(this.fallbackTimer)
            this.retryAttempt = 0
            if (transport === 'ws') this.probeAttempt = 0
            this.setState('live', transport)
          }
          this.options.onEvent(data)
        },
        onConnectionStateChange: (connection) => {
          if (this.session?.transport === transport && connection.state === 'connecting' && connection.error) {
            this.setState('reconnecting', transport)
          }
        },
        // The server ended the stream (restart, expired session): subscribe again, resuming.
        onError: () => this.retryLater(transport),
        onComplete: () => this.retryLater(transport),
      },
    )
  }

  private retryLater(transport: Transport): void {
    if (this.stopped || this.session?.transport !== transport) return
    this.setState('reconnecting', transport)
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => this.connect(transport), backoffDelay(this.retryAttempt++))
  }

  /**
   * Falls back to SSE unless the WebSocket subscription is live in time. Only when plain HTTP
   * still works, though: if the server is down (restarting), SSE would fail too, and staying on
   * WebSocket means coming straight back to it when the server returns.
   */
  private armFallback(): void {
    if (this.options.forcedTransport) return
    clearTimeout(this.fallbackTimer)
    this.fallbackTimer = setTimeout(async () => {
      if (this.session?.transport !== 'ws') return
      if (!(await serverAnswersHttp())) return this.armFallback()
      // The socket may have come up while we asked.
      if (this.session?.transport === 'ws' && this.status.state !== 'live') this.connect('sse')
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
    if (this.stopped || this.session?.transport !== 'sse') return
    const socket = new WebSocket(webSocketUrl())
    this.probeSocket = socket
    const giveUp = setTimeout(() => socket.close(), WS_OPEN_TIMEOUT_MS)
    let answered = false
    socket.onopen = () => socket.send('PING')
    socket.onmessage = (message) => {
      if (message.data !== 'PONG') return
      answered = true
      socket.close()
      if (this.session?.transport === 'sse') this.connect('ws')
    }
    socket.onclose = () => {
      clearTimeout(giveUp)
      if (this.probeSocket === socket) this.probeSocket = undefined
      if (!answered && this.session?.transport === 'sse') this.scheduleProbe()
    }
  }

  private readonly handleOnline = () => {
    this.retryAttempt = 0
    this.setState('reconnecting', this.status.transport)
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

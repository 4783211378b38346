import { WebSocket } from 'ws'

type Heard = { lastHeardAt: number; pingedAt: number }

/** How often every socket is looked at: a dead peer is dropped at most this much later than pingMs + pongWaitMs. */
const SWEEP_MS = 250

/**
 * The server's half of tRPC's keep-alive (the same text PING/PONG the browser's wsLink answers),
 * for every socket from one timer: a socket silent for `pingMs` is sent "PING", and one still
 * silent `pongWaitMs` later is terminated. tRPC's own handleKeepAlive keeps two timers and four
 * closures per socket; here a socket costs one small record (memory per idle connection).
 */
export class KeepAlive {
  private readonly sockets = new Map<WebSocket, Heard>()
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly pingMs: number,
    private readonly pongWaitMs: number,
  ) {}

  track(socket: WebSocket): void {
    this.sockets.set(socket, { lastHeardAt: performance.now(), pingedAt: 0 })
    this.timer ??= setInterval(() => this.sweep(), SWEEP_MS).unref()
  }

  forget(socket: WebSocket): void {
    this.sockets.delete(socket)
  }

  /** Any frame from the peer shows it is alive. */
  heard(socket: WebSocket): void {
    const heard = this.sockets.get(socket)
    if (!heard) return
    heard.lastHeardAt = performance.now()
    heard.pingedAt = 0
  }

  private sweep(): void {
    const now = performance.now()
    for (const [socket, heard] of this.sockets) {
      if (heard.pingedAt > 0) {
        if (now - heard.pingedAt >= this.pongWaitMs) socket.terminate()
      } else if (now - heard.lastHeardAt >= this.pingMs && socket.readyState === WebSocket.OPEN) {
        heard.pingedAt = now
        socket.send('PING')
      }
    }
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }
}

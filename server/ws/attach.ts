import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { applyWSSHandler } from '@trpc/server/adapters/ws'
import { WebSocketServer } from 'ws'
import { SESSION_RECHECK_MS, sessionUser, watchSession, type SessionUser } from '../auth.ts'
import { WS_MAX_PAYLOAD_BYTES } from '../chat/limits.ts'
import { WS_PING_INTERVAL_MS, WS_PONG_TIMEOUT_MS } from '../realtime/heartbeat.ts'
import { createContext } from '../trpc/context.ts'
import { appRouter } from '../trpc/root.ts'
import { isOriginAllowed } from './origin.ts'

export const WS_PATH = '/api/ws'

/** The server's half of the heartbeat: a dead peer is dropped within 8 s, freeing its resources. */
const KEEP_ALIVE = { enabled: true, pingMs: WS_PING_INTERVAL_MS, pongWaitMs: WS_PONG_TIMEOUT_MS }

/** Close code telling the client its session ended: sign in again rather than reconnect. */
export const SESSION_ENDED_CLOSE_CODE = 4401

export type AttachedWebSocket = {
  /** Tells every client to reconnect (elsewhere), then closes their sockets. */
  closeAll(): void
}

export type AttachOptions = {
  allowedOrigins: readonly string[]
  /** Dev: leave other upgrades (Next's HMR) alone. Production: destroy them. */
  passOtherUpgrades: boolean
  sessionRecheckMs?: number
}

export function attachWebSocket(server: Server, options: AttachOptions): AttachedWebSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES })
  const usersByRequest = new WeakMap<IncomingMessage, SessionUser>()
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    keepAlive: KEEP_ALIVE,
    createContext: ({ req }) => createContext({ headers: toHeaders(req), socketUser: usersByRequest.get(req) ?? null }),
  })

  // Every procedure on this socket runs as the user of the upgrade: close it when that session ends.
  wss.on('connection', (ws, req) => {
    const user = usersByRequest.get(req)
    if (!user) return ws.close(SESSION_ENDED_CLOSE_CODE, 'Session ended')
    const stopWatching = watchSession(
      toHeaders(req),
      user.id,
      () => ws.close(SESSION_ENDED_CLOSE_CODE, 'Session ended'),
      options.sessionRecheckMs ?? SESSION_RECHECK_MS,
    )
    ws.once('close', stopWatching)
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0]
    if (path !== WS_PATH) {
      // Next's dev server upgrades its own HMR socket; in production nothing else may upgrade.
      if (!options.passOtherUpgrades) socket.destroy()
      return
    }
    void authenticateUpgrade(req, options.allowedOrigins).then(
      (user) => {
        if (typeof user === 'number') return refuse(socket, user)
        usersByRequest.set(req, user)
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
      },
      (error: unknown) => {
        console.error('[ws] upgrade failed', error)
        refuse(socket, 500)
      },
    )
  })

  return {
    closeAll() {
      handler.broadcastReconnectNotification()
      for (const client of wss.clients) client.close(1012, 'Server restarting')
    },
  }
}

async function authenticateUpgrade(req: IncomingMessage, allowedOrigins: readonly string[]): Promise<SessionUser | 403 | 401> {
  if (!isOriginAllowed(req, allowedOrigins)) return 403
  return (await sessionUser(toHeaders(req))) ?? 401
}

const STATUS_TEXT = { 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal Server Error' } as const

function refuse(socket: Duplex, status: keyof typeof STATUS_TEXT): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  return headers
}

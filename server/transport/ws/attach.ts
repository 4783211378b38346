import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import { sessionUser, type SessionUser } from '../../auth.ts'
import { WS_MAX_PAYLOAD_BYTES } from '../../chat/limits.ts'
import { clientAddress } from '../../http/early-refusals.ts'
import { sessionToken } from '../../http/session-token.ts'
import { floodCooldown } from '../../limits/flood-cooldown.ts'
import { addressRates } from '../../limits/request-limits.ts'
import { SESSION_RECHECK_MS, SessionWatch, sessionCredentials } from '../../session-watch.ts'
import { WS_PING_INTERVAL_MS, WS_PONG_TIMEOUT_MS } from '../../realtime/heartbeat.ts'
import { KeepAlive } from './keep-alive.ts'
import { isOriginAllowed } from './origin.ts'
import { SESSION_ENDED_CLOSE_CODE, WS_PATH } from './socket-protocol.ts'
import { SignedInSocket } from './signed-in-socket.ts'
import { logger } from '../../log.ts'

const log = logger('ws')

export type AttachedWebSocket = {
  /** Tells every client to reconnect (elsewhere), then closes their sockets. */
  closeAll(): void
}

export type AttachOptions = {
  allowedOrigins: readonly string[]
  /** Takes the upgrades of other paths (dev: Next's HMR socket); without it they are destroyed. */
  otherUpgrades?: ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) | undefined
  sessionRecheckMs?: number
}

export function attachWebSocket(server: Server, options: AttachOptions): AttachedWebSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES })
  const usersByRequest = new WeakMap<IncomingMessage, SessionUser>()
  const keepAlive = new KeepAlive(WS_PING_INTERVAL_MS, WS_PONG_TIMEOUT_MS)
  const sessions = new SessionWatch(options.sessionRecheckMs ?? SESSION_RECHECK_MS)

  wss.on('connection', (ws, req) => {
    const user = usersByRequest.get(req)
    if (!user) return ws.close(SESSION_ENDED_CLOSE_CODE, 'Session ended')
    new SignedInSocket(ws, user, sessionCredentials((name) => headerOf(req, name)), keepAlive, sessions)
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0]
    if (path !== WS_PATH) {
      // Next's dev server upgrades its own HMR socket; in production nothing else may upgrade.
      if (options.otherUpgrades) options.otherUpgrades(req, socket, head)
      else socket.destroy()
      return
    }
    // An upgrade storm from one address, or a session just closed for flooding, is turned away before any session check.
    if (addressRates().admit(clientAddress(req), 1) > 0) return refuse(socket, 429)
    const token = sessionToken(req.headers.cookie)
    if (token && floodCooldown().remainingMs(token) > 0) return refuse(socket, 429)
    void authenticateUpgrade(req, options.allowedOrigins).then(
      (user) => {
        if (typeof user === 'number') return refuse(socket, user)
        usersByRequest.set(req, user)
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
      },
      (error: unknown) => {
        log.error('upgrade failed', { error })
        refuse(socket, 500)
      },
    )
  })

  return {
    closeAll() {
      keepAlive.stop()
      sessions.stop()
      // tRPC's "reconnect" notification: its links reconnect at once instead of waiting to retry.
      const reconnect = JSON.stringify({ id: null, method: 'reconnect' })
      for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(reconnect)
      for (const client of wss.clients) client.close(1012, 'Server restarting')
    },
  }
}

async function authenticateUpgrade(req: IncomingMessage, allowedOrigins: readonly string[]): Promise<SessionUser | 403 | 401> {
  if (!isOriginAllowed(req, allowedOrigins)) return 403
  return (await sessionUser(toHeaders(req.headers))) ?? 401
}

const STATUS_TEXT = { 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests', 500: 'Internal Server Error' } as const

function refuse(socket: Duplex, status: keyof typeof STATUS_TEXT): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

function toHeaders(incoming: IncomingMessage['headers']): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  return headers
}

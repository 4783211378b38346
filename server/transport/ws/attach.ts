import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import { SESSION_RECHECK_MS, sessionUser, watchSession, type SessionUser } from '../../auth.ts'
import { WS_MAX_PAYLOAD_BYTES } from '../../chat/limits.ts'
import { clientAddress } from '../../http/early-refusals.ts'
import { sessionCookieOnly, sessionToken } from '../../http/session-token.ts'
import { floodCooldown } from '../../limits/flood-cooldown.ts'
import { addressRates } from '../../limits/request-limits.ts'
import { userConnections } from '../../limits/user-connections.ts'
import { countWebSocket } from '../../metrics.ts'
import { WS_PING_INTERVAL_MS, WS_PONG_TIMEOUT_MS } from '../../realtime/heartbeat.ts'
import { EventStreamSocket } from './event-stream-socket.ts'
import { KeepAlive } from './keep-alive.ts'
import { isOriginAllowed } from './origin.ts'
import { SESSION_ENDED_CLOSE_CODE, TOO_MANY_CONNECTIONS_CLOSE_CODE, TOO_MANY_CONNECTIONS_MESSAGE, WS_PATH } from './socket-protocol.ts'
import { SocketRequests } from './socket-requests.ts'
import { logger } from '../../log.ts'

const log = logger('ws')

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
  const keepAlive = new KeepAlive(WS_PING_INTERVAL_MS, WS_PONG_TIMEOUT_MS)

  // Every request on this socket runs as the user of the upgrade: close it when that session ends.
  wss.on('connection', (ws, req) => {
    const user = usersByRequest.get(req)
    if (!user) return ws.close(SESSION_ENDED_CLOSE_CODE, 'Session ended')
    // An idle socket keeps only what its session check reads, not its whole request.
    const headers = sessionHeaders(req)
    const stopWatching = watchSession(headers, user.id, () => ws.close(SESSION_ENDED_CLOSE_CODE, 'Session ended'), options.sessionRecheckMs ?? SESSION_RECHECK_MS)
    const forget = userConnections().open(user.id, () => ws.close(TOO_MANY_CONNECTIONS_CLOSE_CODE, TOO_MANY_CONNECTIONS_MESSAGE))
    const uncount = countWebSocket()
    ws.once('close', () => {
      stopWatching()
      forget()
      uncount()
      keepAlive.forget(ws)
    })
    // A protocol error (an oversized frame, say): ws closes the socket with the matching code.
    ws.on('error', () => {})
    keepAlive.track(ws)
    const requests = new SocketRequests(ws, user, headers, new EventStreamSocket(ws, user))
    ws.on('message', (data, isBinary) => {
      // Closing (told to go, or flooding): whatever still arrives is not read.
      if (ws.readyState !== WebSocket.OPEN) return
      keepAlive.heard(ws)
      if (isBinary) return ws.close(1003, 'Text frames only')
      const frame = String(data)
      if (frame === 'PONG') return
      if (frame === 'PING') return requests.ping()
      requests.receive(frame)
    })
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0]
    if (path !== WS_PATH) {
      // Next's dev server upgrades its own HMR socket; in production nothing else may upgrade.
      if (!options.passOtherUpgrades) socket.destroy()
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

/** What a session check reads (Better Auth needs the host beside the session cookie); an idle socket keeps no more. */
function sessionHeaders(req: IncomingMessage): Headers {
  const headers = new Headers()
  const cookie = sessionCookieOnly(req.headers.cookie)
  if (cookie) headers.set('cookie', cookie)
  for (const name of ['host', 'origin'] as const) {
    const value = req.headers[name]
    if (value) headers.set(name, value)
  }
  return headers
}

function toHeaders(incoming: IncomingMessage['headers']): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  return headers
}

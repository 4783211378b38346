import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { getWSConnectionHandler } from '@trpc/server/adapters/ws'
import { WebSocket, WebSocketServer } from 'ws'
import { SESSION_RECHECK_MS, sessionUser, watchSession, type SessionUser } from '../auth.ts'
import { WS_MAX_PAYLOAD_BYTES } from '../chat/limits.ts'
import { countWebSocket } from '../metrics.ts'
import { WS_PING_INTERVAL_MS, WS_PONG_TIMEOUT_MS } from '../realtime/heartbeat.ts'
import { createContext } from '../trpc/context.ts'
import { appRouter } from '../trpc/root.ts'
import { EventStreamSocket } from './event-stream-socket.ts'
import { KeepAlive } from './keep-alive.ts'
import { isOriginAllowed } from './origin.ts'
import { SESSION_ENDED_CLOSE_CODE, WS_PATH } from './socket-protocol.ts'


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
  const connections = new WeakMap<object, { headers: Headers; user: SessionUser }>()
  // Keep-alive is ours (keep-alive.ts), for every socket, including those tRPC's handler never serves.
  const keepAlive = new KeepAlive(WS_PING_INTERVAL_MS, WS_PONG_TIMEOUT_MS)
  const serveTrpc = getWSConnectionHandler({
    wss,
    router: appRouter,
    createContext: ({ req }) => {
      const connection = connections.get(req)
      return createContext({ headers: connection?.headers ?? new Headers(), socketUser: connection?.user ?? null })
    },
  })

  // Every procedure on this socket runs as the user of the upgrade: close it when that session ends.
  wss.on('connection', (ws, req) => {
    const user = usersByRequest.get(req)
    if (!user) return ws.close(SESSION_ENDED_CLOSE_CODE, 'Session ended')
    // An idle socket keeps only what its session check reads, not its whole request.
    const headers = sessionHeaders(req)
    const stopWatching = watchSession(headers, user.id, () => ws.close(SESSION_ENDED_CLOSE_CODE, 'Session ended'), options.sessionRecheckMs ?? SESSION_RECHECK_MS)
    ws.once('close', stopWatching)
    ws.once('close', countWebSocket())
    // A protocol error (an oversized frame, say): ws closes the socket with the matching code.
    ws.on('error', () => {})
    keepAlive.track(ws)
    // tRPC's handler reads only the URL and host of the request, and keeps what it is given.
    const request = { url: req.url, headers: { host: req.headers.host }, socket: { encrypted: isEncrypted(req) } }
    routeFrames(ws, new EventStreamSocket(ws, user), keepAlive, () => {
      connections.set(request, { headers, user })
      serveTrpc(ws, request as unknown as IncomingMessage)
    })
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
      keepAlive.stop()
      // tRPC's "reconnect" notification: its links reconnect at once instead of waiting to retry.
      const reconnect = JSON.stringify({ id: null, method: 'reconnect' })
      for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(reconnect)
      for (const client of wss.clients) client.close(1012, 'Server restarting')
    },
  }
}

/**
 * EventStreamSocket serves the events.stream requests; tRPC's adapter gets every other frame (a
 * frame mixing both reaches it without them). The browser sends nothing else over its socket, so
 * tRPC's per-connection handler (context, closures, its own copy of the request) starts only when
 * another request arrives: an idle socket stays small. Until then keep-alive PINGs are answered here.
 */
function routeFrames(ws: WebSocket, streams: EventStreamSocket, keepAlive: KeepAlive, startTrpc: () => void): void {
  let trpcStarted = false
  const emit = ws.emit.bind(ws)
  ws.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'close') keepAlive.forget(ws)
    if (event !== 'message') return emit(event, ...args)
    keepAlive.heard(ws)
    const [data, isBinary] = args as [Buffer, boolean]
    const frame = isBinary ? undefined : String(data)
    if (frame === 'PONG') return emit(event, ...args)
    if (frame === 'PING') {
      if (!trpcStarted) ws.send('PONG')
      return emit(event, ...args)
    }
    const rest = frame === undefined ? frame : streams.claim(frame)
    if (frame !== undefined && rest === undefined) return true
    if (!trpcStarted) {
      trpcStarted = true
      startTrpc()
    }
    return rest === frame ? emit(event, ...args) : emit(event, Buffer.from(rest!), false)
  }) as typeof ws.emit
}

async function authenticateUpgrade(req: IncomingMessage, allowedOrigins: readonly string[]): Promise<SessionUser | 403 | 401> {
  if (!isOriginAllowed(req, allowedOrigins)) return 403
  return (await sessionUser(toHeaders(req.headers))) ?? 401
}

const STATUS_TEXT = { 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal Server Error' } as const

function refuse(socket: Duplex, status: keyof typeof STATUS_TEXT): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

/** What a session check reads (Better Auth needs the host beside the cookie); an idle socket keeps no more. */
function sessionHeaders(req: IncomingMessage): Headers {
  const headers = new Headers()
  for (const name of ['cookie', 'host', 'origin'] as const) {
    const value = req.headers[name]
    if (value) headers.set(name, value)
  }
  return headers
}

function isEncrypted(req: IncomingMessage): boolean {
  return 'encrypted' in req.socket && Boolean(req.socket.encrypted)
}

function toHeaders(incoming: IncomingMessage['headers']): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  return headers
}

import { EventEmitter } from 'node:events'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import next from 'next'
import { describeCookieMode } from './auth.ts'
import { stopInstanceStream } from './realtime/instance-stream.ts'
import { databaseTargetFromEnv, openDatabase } from './db/open.ts'
import { env } from './env.ts'
import { refusedEarly } from './http/early-refusals.ts'
import { trustForwardedHeaders } from './http/forwarded.ts'
import { trustedOrigins } from './http/origin.ts'
import { API_CONTENT_SECURITY_POLICY, securityHeaders } from './http/security-headers.ts'
import { beginShutdown, writesSettled } from './lifecycle.ts'
import { serveMetrics } from './metrics.ts'
import { bus, closeBus } from './realtime/index.ts'
import { attachWebSocket } from './transport/ws/attach.ts'
import { logger } from './log.ts'

const log = logger('server')

// A self-hosted chat server phones nowhere by default.
process.env.NEXT_TELEMETRY_DISABLED ??= '1'

const startedAt = performance.now()
const config = env()
const dev = config.NODE_ENV !== 'production'

const database = await openDatabase(databaseTargetFromEnv(config))
if (database.migrationsApplied.length) logger('db').info('applied migrations', { migrations: database.migrationsApplied })

if (config.DATABASE_URL && !config.REDIS_URL) {
  logger('bus').warn('DATABASE_URL is set but REDIS_URL is not: live events stay inside this process, so run only ONE instance against this database (set REDIS_URL to run several)')
}
bus() // connects now, so Redis trouble shows at start; both module copies share it
if (config.REDIS_URL) logger('bus').info('Redis pub/sub', { channels: `${config.REDIS_CHANNEL_PREFIX}*` })
logger('auth').info(describeCookieMode(config))

// Next listens for upgrades on the server it is given (or else on the one its first request came
// through): given its own emitter, it sees only the upgrades passed on to it (dev: its HMR
// socket), never /api/ws, whose sockets it would otherwise route and hold an AbortController for.
const nextUpgrades = new EventEmitter()
const app = next({ dev, hostname: config.HOST, port: config.PORT, httpServer: nextUpgrades as Server })
const handle = app.getRequestHandler()
await app.prepare()

const headers = securityHeaders(config)
const server = createServer((req, res) => {
  trustForwardedHeaders(req, config.TRUST_PROXY)
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  // Pages get a policy with a nonce from proxy.ts; the API's answers are never documents.
  if (req.url?.startsWith('/api/')) res.setHeader('content-security-policy', API_CONTENT_SECURITY_POLICY)
  if (refusedEarly(req, res)) return
  void handle(req, res)
})
server.prependListener('upgrade', (req: IncomingMessage) => trustForwardedHeaders(req, config.TRUST_PROXY))
const webSocket = attachWebSocket(server, {
  allowedOrigins: trustedOrigins(config),
  otherUpgrades: dev ? (req, socket, head) => nextUpgrades.emit('upgrade', req, socket, head) : undefined,
})

const metrics = config.METRICS_PORT ? serveMetrics(config.METRICS_PORT, config.METRICS_HOST) : undefined

server.listen(config.PORT, config.HOST, () => {
  const where = database.target.kind === 'postgres' ? 'PostgreSQL' : `embedded PGlite (${database.target.dataDir})`
  const ms = Math.round(performance.now() - startedAt)
  log.info(`ready on http://localhost:${config.PORT} in ${ms} ms (${dev ? 'dev' : 'production'}, ${where})`)
})

let stopping = false

/** Stop accepting, send clients elsewhere, let acknowledged writes finish, then close the database. */
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  log.info('shutting down', { signal })
  const forceExit = setTimeout(() => process.exit(1), 15_000)
  forceExit.unref()
  server.close()
  metrics?.close()
  beginShutdown() // ends SSE streams and WebSocket subscriptions
  webSocket.closeAll()
  server.closeIdleConnections()
  await writesSettled()
  await stopInstanceStream()
  await closeBus()
  await database.close()
  server.closeAllConnections()
  process.exit(0)
}

process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))

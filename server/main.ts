import { createServer } from 'node:http'
import next from 'next'
import { stopInstanceStream } from './chat/instance-stream.ts'
import { databaseTargetFromEnv, openDatabase } from './db/open.ts'
import { env } from './env.ts'
import { beginShutdown, writesSettled } from './lifecycle.ts'
import { serveMetrics } from './metrics.ts'
import { bus, closeBus } from './realtime/index.ts'
import { attachWebSocket } from './ws/attach.ts'

// A self-hosted chat server phones nowhere by default.
process.env.NEXT_TELEMETRY_DISABLED ??= '1'

const startedAt = performance.now()
const config = env()
const dev = config.NODE_ENV !== 'production'

const database = await openDatabase(databaseTargetFromEnv(config))
if (database.migrationsApplied.length) console.log(`[db] applied migrations: ${database.migrationsApplied.join(', ')}`)

if (config.DATABASE_URL && !config.REDIS_URL) {
  console.warn('[bus] DATABASE_URL is set but REDIS_URL is not: live events stay inside this process, so run only ONE instance against this database (set REDIS_URL to run several)')
}
bus() // connects now, so Redis trouble shows at start; both module copies share it
if (config.REDIS_URL) console.log(`[bus] Redis pub/sub, channels ${config.REDIS_CHANNEL_PREFIX}*`)

const app = next({ dev, hostname: config.HOST, port: config.PORT })
const handle = app.getRequestHandler()
await app.prepare()

const server = createServer((req, res) => {
  // Unless a trusted proxy sets it, a client could claim any address and dodge the sign-in rate limit.
  if (!config.TRUST_PROXY) req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? ''
  void handle(req, res)
})
const webSocket = attachWebSocket(server, { allowedOrigins: config.ALLOWED_ORIGINS, passOtherUpgrades: dev })

const metrics = config.METRICS_PORT ? serveMetrics(config.METRICS_PORT, config.METRICS_HOST) : undefined

server.listen(config.PORT, config.HOST, () => {
  const where = database.target.kind === 'postgres' ? 'PostgreSQL' : `embedded PGlite (${database.target.dataDir})`
  const ms = Math.round(performance.now() - startedAt)
  console.log(`[server] ready on http://localhost:${config.PORT} in ${ms} ms (${dev ? 'dev' : 'production'}, ${where})`)
})

let stopping = false

/** Stop accepting, send clients elsewhere, let acknowledged writes finish, then close the database. */
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  console.log(`[server] ${signal}: shutting down`)
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

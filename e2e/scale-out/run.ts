// The scale-out proof (`npm run test:scale-out`, after `npm run build`; needs DATABASE_URL):
// three instances on one PostgreSQL database and a Redis of the run's own, behind nginx running
// the shipped deploy/nginx/relay.conf, no sticky sessions. Chat clients on WebSocket and SSE
// stream and send through nginx, so both spread over the instances. Mid-run one instance is
// SIGKILLed, later Redis is killed and restarted. Every client must end with every message of
// its rooms exactly once, in order; the database must hold each message once, seqs contiguous.
import { randomUUID } from 'node:crypto'
import { mutate, signUp, type Account } from '../../bench/support/app-client.ts'
import { startTestRedis } from '../../server/testing/redis-server.ts'
import { ChaosClient, sleep } from '../chaos/chaos-client.ts'
import { storageProblems, storedMessages } from '../chaos/database-check.ts'
import { settleDeliveries } from '../chaos/delivery-report.ts'
import { appServer } from '../support/app-server.ts'
import { startDeployNginx } from '../support/nginx.ts'
import { SCALE_OUT_PORTS } from '../support/ports.ts'

const CLIENTS = 12
const ROOMS = 3
const MESSAGES_PER_CLIENT = 200
const SEND_PAUSE_MS = 20
/** Progress (share of messages acknowledged) at which each fault strikes. */
const KILL_INSTANCE_AT = 0.3
const RESTART_REDIS_AT = 0.65
const REDIS_DOWN_MS = 3_000
const DELIVERY_WAIT_MS = 30_000
const RUN_LIMIT_MS = 180_000

const databaseUrl = process.env.DATABASE_URL
if (!databaseUrl) {
  console.error('the scale-out run needs DATABASE_URL (a PostgreSQL database the instances share)')
  process.exit(1)
}
/** Stops what was started, in reverse, if the run fails before its orderly end. */
const cleanups: (() => unknown)[] = []
const watchdog = setTimeout(() => fail([`the scale-out run did not finish within ${RUN_LIMIT_MS / 1000} s`]), RUN_LIMIT_MS)
const startedAt = performance.now()

const redis = await startTestRedis(SCALE_OUT_PORTS.redis)
cleanups.push(() => redis.stop())
const instanceEnv = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, REDIS_CHANNEL_PREFIX: `scale-out-${randomUUID()}:` }
const instances = SCALE_OUT_PORTS.instances.map((port, i) => appServer(port, { env: instanceEnv, label: `instance ${i + 1}` }))
cleanups.push(() => Promise.all(instances.map((instance) => instance.stop('SIGKILL'))))
// All at once: their start-up migrations must serialise on the database's advisory lock.
await Promise.all(instances.map((instance) => instance.start()))
const nginx = await startDeployNginx({ listenPort: SCALE_OUT_PORTS.loadBalancer, instancePorts: SCALE_OUT_PORTS.instances })
cleanups.push(() => nginx.stop())
const lb = `http://127.0.0.1:${SCALE_OUT_PORTS.loadBalancer}`
console.log(`scale-out run: ${instances.length} instances behind nginx (${lb}), PostgreSQL + Redis; ${CLIENTS} clients, ${ROOMS} rooms, ${CLIENTS * MESSAGES_PER_CLIENT} messages`)

const accounts: Account[] = []
for (let i = 0; i < CLIENTS; i++) accounts.push(await signUp(lb, `Scale${i}`))
const roomIds: string[] = []
for (let r = 0; r < ROOMS; r++) roomIds.push((await mutate<{ id: string }>(lb, accounts[0]!, 'room.create', { name: `scale-${r}-${Date.now()}` })).id)
const roomsOf = (i: number) => [roomIds[i % ROOMS]!, roomIds[(i + 1) % ROOMS]!]
const membershipsOf = (i: number) => (i === 0 ? roomIds : roomsOf(i))
for (let i = 1; i < CLIENTS; i++) for (const roomId of roomsOf(i)) await mutate(lb, accounts[i]!, 'room.join', { roomId })

// As in the chaos run: half on each transport, and half of each half sending like the browser.
const clients = accounts.map((account, i) => new ChaosClient(`Scale${i}`, lb, account.cookie, i % 2 === 0 ? 'ws' : 'sse', i % 4 < 2))
for (const client of clients) client.subscribe()
while (!clients.every((client) => client.ready)) await sleep(50)

const target = CLIENTS * MESSAGES_PER_CLIENT
const acknowledgedCount = () => clients.reduce((sum, client) => sum + client.acknowledged.length, 0)
const progress = () => acknowledgedCount() / target
const problems: string[] = []
const figures: string[] = []

const sent = Promise.all(clients.map((client, i) => client.sendMessages(roomsOf(i), MESSAGES_PER_CLIENT, SEND_PAUSE_MS)))

// The faults strike independently, each at its share of the messages, while the senders send.
const instanceKill = (async () => {
  while (progress() < KILL_INSTANCE_AT) await sleep(50)
  const killedAt = performance.now()
  await instances[1]!.stop('SIGKILL')
  const moved = await clientsResumedAfter(killedAt)
  const slowest = Math.max(0, ...moved)
  figures.push(`SIGKILL instance 2 at ${(KILL_INSTANCE_AT * 100).toFixed(0)}%: ${moved.length} of ${CLIENTS} clients were streaming from it and resumed on the others after ${moved.map((ms) => `${(ms / 1000).toFixed(1)}`).join(', ')} s (slowest ${(slowest / 1000).toFixed(1)} s)`)
  if (moved.length === 0) problems.push('no client was streaming from the killed instance: the load balancer did not spread them')
})()

const redisRestart = (async () => {
  const survivors = [instances[0]!, instances[2]!]
  while (progress() < RESTART_REDIS_AT) await sleep(50)
  const sentBeforeOutage = acknowledgedCount()
  const redisDownAt = performance.now()
  await redis.stop('SIGKILL')
  const notReady = await waitUntil(async () => !(await anyReady(survivors)), 10_000)
  if (!notReady) problems.push('an instance stayed ready while Redis was down')
  await sleep(Math.max(0, REDIS_DOWN_MS - (performance.now() - redisDownAt)))
  await redis.start()
  const redisBackAt = performance.now()
  const sentDuringOutage = acknowledgedCount() - sentBeforeOutage
  const readyAgain = await waitUntil(() => allReady(survivors), 20_000)
  if (!readyAgain) problems.push('the instances did not become ready again after Redis came back')
  figures.push(
    `Redis SIGKILLed at ${(RESTART_REDIS_AT * 100).toFixed(0)}% and restarted after ${((redisBackAt - redisDownAt) / 1000).toFixed(1)} s: ${sentDuringOutage} messages acknowledged meanwhile; readiness ${notReady ? '503' : 'still 200 (wrong)'} while down, 200 again ${((performance.now() - redisBackAt) / 1000).toFixed(1)} s after Redis was back`,
  )
})()

await Promise.all([sent, instanceKill, redisRestart])

const acknowledged = clients.flatMap((client) => client.acknowledged)
const totals = await settleDeliveries(clients, membershipsOf, DELIVERY_WAIT_MS, (report) => report.transport)
if (totals.lost || totals.duplicated || totals.outOfOrder) problems.push('a client lost, doubled or reordered messages')

await nginx.stop()
await Promise.all(instances.map((instance) => instance.stop('SIGTERM')))
await redis.stop()
const stored = await storedMessages(roomIds, { databaseUrl, dataDir: '' })
problems.push(...storageProblems(stored).slice(0, 10))
const storedByClientId = new Map(stored.map((message) => [message.clientId, message]))
const missing = acknowledged.filter((message) => storedByClientId.get(message.clientId)?.seq !== message.seq)
if (missing.length) problems.push(`${missing.length} acknowledged messages are not stored as acknowledged`)
if (stored.length !== acknowledged.length) problems.push(`${stored.length} messages stored for ${acknowledged.length} sent`)
console.log(`  database: ${stored.length} messages stored, ${acknowledged.length} acknowledged, seqs contiguous per room: ${storageProblems(stored).length === 0 ? 'yes' : 'no'}`)
for (const figure of figures) console.log(`  ${figure}`)
console.log(`  senders retried ${clients.reduce((sum, client) => sum + client.sendRetries, 0)} sends; the whole run took ${((performance.now() - startedAt) / 1000).toFixed(0)} s`)
if (figures.length < 2) problems.push('a planned fault did not happen')

if (problems.length) fail(problems)
clearTimeout(watchdog)
console.log('scale-out run passed')
process.exit(0)

/** How long after `since` each client that had to resubscribe was ready again (ms). */
async function clientsResumedAfter(since: number): Promise<number[]> {
  // A dead instance's clients notice at once (connection refused or reset), or by heartbeat.
  await sleep(12_000)
  return clients.flatMap((client) => {
    const readyAt = client.readyTimes.find((time) => time > since)
    return readyAt === undefined ? [] : [readyAt - since]
  })
}

async function readyState(instance: { url: string }): Promise<boolean> {
  try {
    const response = await fetch(`${instance.url}/api/ready`, { signal: AbortSignal.timeout(3_000) })
    return response.status === 200
  } catch {
    return false
  }
}
async function allReady(group: { url: string }[]): Promise<boolean> {
  return (await Promise.all(group.map(readyState))).every(Boolean)
}
async function anyReady(group: { url: string }[]): Promise<boolean> {
  return (await Promise.all(group.map(readyState))).some(Boolean)
}
async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    if (await condition()) return true
    await sleep(100)
  }
  return false
}

function fail(reasons: readonly string[]): never {
  console.error(`scale-out run FAILED:\n${reasons.map((reason) => `  - ${reason}`).join('\n')}`)
  // Each cleanup sends its signal before its first await, so exiting now leaves nothing running.
  for (const cleanup of cleanups.reverse()) void cleanup()
  process.exit(1)
}

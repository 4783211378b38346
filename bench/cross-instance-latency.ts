// Delivery latency across instances (Redis pub/sub) against one instance, in one run, one clock.
// Usage: npm run build && DATABASE_URL=postgresql://… npx tsx bench/cross-instance-latency.ts [count]
// Phase 1: one production instance on the in-process bus (a single-instance deployment). Phase 2:
// two instances, B and C, on a Redis of the run's own; every probe is sent to B and timed on B
// (same instance, through Redis) and on C (across instances). Both phases use DATABASE_URL and
// time each probe from just before its mutation to its arrival at each reader.
import { randomUUID } from 'node:crypto'
import { appServer, type AppServer } from '../e2e/support/app-server.ts'
import { freePort, startTestRedis } from '../server/testing/redis-server.ts'
import { mutate, readSse, readWebSocket, signUp } from './support/app-client.ts'

const count = Number(process.argv[2] ?? 300)
const databaseUrl = process.env.DATABASE_URL
if (!databaseUrl) throw new Error('needs DATABASE_URL: the instances share one PostgreSQL database')

type Reader = { name: string; instance: AppServer; transport: 'ws' | 'sse' }
type Stats = { name: string; n: number; p50: number; p99: number; max: number }

/** Sends `count` probes to `sendTo`, one at a time, and returns each reader's latency percentiles. */
async function measure(sendTo: AppServer, readers: Reader[]): Promise<Stats[]> {
  const sender = await signUp(sendTo.url, 'Sender')
  const room = await mutate<{ id: string }>(sendTo.url, sender, 'room.create', { name: `bench-${Date.now()}` })
  const arrivals = readers.map(() => new Map<string, number>())
  const ready = readers.map(() => false)
  const stops: (() => void)[] = []
  for (const [i, { instance, transport }] of readers.entries()) {
    const reader = await signUp(instance.url, `Reader${i}`)
    await mutate(instance.url, reader, 'room.join', { roomId: room.id })
    const onEvent = (data: { type: string; message?: { clientId: string } }) => {
      if (data.type === 'ready') ready[i] = true
      if (data.type === 'message') arrivals[i]!.set(data.message!.clientId, performance.now())
    }
    stops.push(transport === 'ws' ? await readWebSocket(instance.url, reader, onEvent) : readSse(instance.url, reader, onEvent))
  }
  while (!ready.every(Boolean)) await new Promise((resolve) => setTimeout(resolve, 20))

  const sentAt = new Map<string, number>()
  for (let i = 0; i < count; i++) {
    const clientId = randomUUID()
    sentAt.set(clientId, performance.now())
    await mutate(sendTo.url, sender, 'message.send', { roomId: room.id, text: `latency probe ${i}`, clientId })
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  const deadline = Date.now() + 10_000
  while (arrivals.some((received) => received.size < count) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  for (const stop of stops) stop()

  return readers.map(({ name }, i) => {
    const latencies = [...sentAt].flatMap(([id, at]) => (arrivals[i]!.has(id) ? [arrivals[i]!.get(id)! - at] : [])).sort((a, b) => a - b)
    const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!
    return { name, n: latencies.length, p50: pick(0.5), p99: pick(0.99), max: latencies.at(-1)! }
  })
}

const results: Stats[] = []

const single = appServer(await freePort(), { env: { DATABASE_URL: databaseUrl, REDIS_URL: '' } })
await single.start()
try {
  results.push(
    ...(await measure(single, [
      { name: 'one instance, in-process bus, WS', instance: single, transport: 'ws' },
      { name: 'one instance, in-process bus, SSE', instance: single, transport: 'sse' },
    ])),
  )
} finally {
  await single.stop()
}

const redis = await startTestRedis()
const redisEnv = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, REDIS_CHANNEL_PREFIX: `bench-${randomUUID()}:` }
const [b, c] = [appServer(await freePort(), { env: redisEnv }), appServer(await freePort(), { env: redisEnv })]
await Promise.all([b.start(), c.start()])
try {
  results.push(
    ...(await measure(b, [
      { name: 'same instance via Redis, WS', instance: b, transport: 'ws' },
      { name: 'across instances via Redis, WS', instance: c, transport: 'ws' },
      { name: 'across instances via Redis, SSE', instance: c, transport: 'sse' },
    ])),
  )
} finally {
  await Promise.all([b.stop(), c.stop()])
  await redis.stop()
}

const baseline = results[0]!
console.log(`mutation → event latency on PostgreSQL, ${count} sequential probes per phase`)
for (const { name, n, p50, p99, max } of results) {
  const ratio = `${(p50 / baseline.p50).toFixed(2)}× / ${(p99 / baseline.p99).toFixed(2)}× one instance WS`
  console.log(`${name.padEnd(34)} n=${n}/${count}  p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  max ${max.toFixed(1)} ms  (${ratio})`)
}

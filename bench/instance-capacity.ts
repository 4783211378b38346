// What one instance carries, for the capacity plan in docs/scaling.md: memory per idle WebSocket
// subscription, messages persisted per second, and server CPU per delivery at rising fan-out
// rates (open-loop sends, latency from each send's scheduled time).
// Usage: npm run build && DATABASE_URL=postgresql://… npx tsx bench/instance-capacity.ts [subscriptions]
// One production instance on DATABASE_URL and a Redis of its own (the scale-out set-up). Readers:
// 50 members of one room, each with subscriptions/50 WebSocket subscriptions.
import { readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { appServer } from '../e2e/support/app-server.ts'
import { freePort, startTestRedis } from '../server/testing/redis-server.ts'
import { mutate, readWebSocket, signUp } from './support/app-client.ts'

const subscriptions = Number(process.argv[2] ?? 1000)
const MEMBERS = 50
const RATES = [5, 10, 20, 40] // messages/s, each delivered to every subscription
const STEP_SECONDS = 8
const databaseUrl = process.env.DATABASE_URL
if (!databaseUrl) throw new Error('needs DATABASE_URL')

const redis = await startTestRedis()
const instance = appServer(await freePort(), { env: { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, REDIS_CHANNEL_PREFIX: `capacity-${randomUUID()}:` } })
await instance.start()
const pid = instance.pid()!
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1])
/** CPU seconds (user + system) the server process has used. */
const cpuSeconds = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

const stops: (() => void)[] = []
try {
  const sender = await signUp(instance.url, 'Sender')
  const room = await mutate<{ id: string }>(instance.url, sender, 'room.create', { name: `capacity-${Date.now()}` })
  const members = []
  for (let i = 0; i < MEMBERS; i++) {
    const member = await signUp(instance.url, `Member${i}`)
    await mutate(instance.url, member, 'room.join', { roomId: room.id })
    members.push(member)
  }
  const sentAt = new Map<string, number>()
  let latencies: number[] = []
  let readyCount = 0
  await sleep(2_000)
  const rssBefore = rssKb()
  for (let i = 0; i < subscriptions; i++) {
    stops.push(
      await readWebSocket(instance.url, members[i % MEMBERS]!, (data) => {
        if (data.type === 'ready') readyCount++
        if (data.type !== 'message') return
        const at = sentAt.get(data.message!.clientId)
        if (at !== undefined) latencies.push(performance.now() - at)
      }),
    )
  }
  while (readyCount < subscriptions) await sleep(50)
  await sleep(5_000)
  const rssIdle = rssKb()
  console.log(`one instance (PostgreSQL + Redis bus), ${subscriptions} idle WebSocket subscriptions: RSS ${(rssBefore / 1024).toFixed(0)} → ${(rssIdle / 1024).toFixed(0)} MB, ${((rssIdle - rssBefore) / subscriptions).toFixed(1)} KB per subscription`)
  const quietRoom = await mutate<{ id: string }>(instance.url, sender, 'room.create', { name: `quiet-${Date.now()}` })
  // Sends to a room no subscriber is in: how many messages one instance persists per second.
  const SENDERS = 16
  const sendCpuBefore = cpuSeconds()
  const sendStartedAt = performance.now()
  let persisted = 0
  await Promise.all(
    Array.from({ length: SENDERS }, async (_, s) => {
      while (performance.now() - sendStartedAt < STEP_SECONDS * 1000) {
        await mutate(instance.url, sender, 'message.send', { roomId: quietRoom.id, text: `throughput ${s}`.padEnd(100, '.'), clientId: randomUUID() })
        persisted++
      }
    }),
  )
  const sendSeconds = (performance.now() - sendStartedAt) / 1000
  const sendCpu = cpuSeconds() - sendCpuBefore
  console.log(`one instance, ${SENDERS} concurrent senders over HTTP: ${(persisted / sendSeconds).toFixed(0)} messages persisted/s, server CPU ${((sendCpu / sendSeconds) * 100).toFixed(0)}%, ${((sendCpu * 1e6) / persisted).toFixed(0)} µs CPU per send`)

  console.log('msg/s  deliveries/s  server CPU  CPU µs/delivery  delivered  p50 ms  p99 ms')

  for (const rate of RATES) {
    latencies = []
    const total = rate * STEP_SECONDS
    const cpuBefore = cpuSeconds()
    const startedAt = performance.now()
    const sends: Promise<unknown>[] = []
    for (let i = 0; i < total; i++) {
      const scheduled = startedAt + (i * 1000) / rate
      await sleep(Math.max(0, scheduled - performance.now()))
      const clientId = randomUUID()
      sentAt.set(clientId, scheduled) // from the scheduled time: a late send counts against us
      sends.push(mutate(instance.url, sender, 'message.send', { roomId: room.id, text: `capacity probe ${i}`.padEnd(100, '.'), clientId }))
    }
    await Promise.all(sends)
    const deadline = performance.now() + 10_000
    while (latencies.length < total * subscriptions && performance.now() < deadline) await sleep(50)
    const seconds = (performance.now() - startedAt) / 1000
    const cpu = cpuSeconds() - cpuBefore
    const sorted = latencies.sort((a, b) => a - b)
    const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
    const deliveries = total * subscriptions
    console.log(
      `${String(rate).padStart(5)}  ${String(rate * subscriptions).padStart(12)}  ${((cpu / seconds) * 100).toFixed(0).padStart(9)}%  ${((cpu * 1e6) / deliveries).toFixed(1).padStart(15)}  ${((latencies.length / deliveries) * 100).toFixed(1).padStart(8)}%  ${pick(0.5).toFixed(1).padStart(6)}  ${pick(0.99).toFixed(1).padStart(6)}`,
    )
  }
} finally {
  for (const stop of stops) stop()
  await instance.stop()
  await redis.stop()
}

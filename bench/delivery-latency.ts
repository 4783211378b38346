// Mutation → event latency over WebSocket and over SSE against the production build.
// Usage: npm run build && npx tsx bench/delivery-latency.ts [count]
// Starts `node dist/server.js` on a free port with a fresh embedded database (or DATABASE_URL),
// sends `count` messages one at a time over HTTP, and times each from just before the mutation
// is sent to its arrival on a WebSocket subscriber, an SSE subscriber, and an SSE subscriber
// behind the restrictive nginx of the browser tests (drops Upgrade, buffering on); one clock.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startNginx } from '../e2e/support/nginx.ts'
import { mutate, readSse, readWebSocket, signUp } from './support/app-client.ts'

const count = Number(process.argv[2] ?? 300)
const port = 3200 + Math.floor(Math.random() * 500)
const baseUrl = `http://127.0.0.1:${port}`
const proxyPort = port + 1

const server = spawn('node', ['dist/server.js'], {
  env: { ...process.env, NODE_ENV: 'production', PORT: String(port), DATA_DIR: mkdtempSync(path.join(tmpdir(), 'relay-bench-')), AUTH_RATE_LIMIT_PER_MINUTE: '10000' },
  stdio: ['ignore', 'pipe', 'inherit'],
})
await new Promise<void>((resolve, reject) => {
  server.stdout!.on('data', (chunk: Buffer) => String(chunk).includes('[server] ready') && resolve())
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
})

const proxy = await startNginx('restrictive.conf', { listenPort: proxyPort, upstreamPort: port })
try {
  const sender = await signUp(baseUrl, 'Sender')
  const wsReader = await signUp(baseUrl, 'WsReader')
  const sseReader = await signUp(baseUrl, 'SseReader')
  const proxiedReader = await signUp(baseUrl, 'ProxiedReader')
  const room = await mutate<{ id: string }>(baseUrl, sender, 'room.create', { name: `bench ${Date.now()}` })
  await mutate(baseUrl, wsReader, 'room.join', { roomId: room.id })
  await mutate(baseUrl, sseReader, 'room.join', { roomId: room.id })
  await mutate(baseUrl, proxiedReader, 'room.join', { roomId: room.id })

  const arrivals = { ws: new Map<string, number>(), sse: new Map<string, number>(), proxied: new Map<string, number>() }
  const ready = { ws: false, sse: false, proxied: false }

  const stopWebSocket = await readWebSocket(baseUrl, wsReader, (data) => {
    if (data.type === 'ready') ready.ws = true
    if (data.type === 'message') arrivals.ws.set(data.message!.clientId, performance.now())
  })
  const stopSse = readSse(baseUrl, sseReader, (data) => {
    if (data.type === 'ready') ready.sse = true
    if (data.type === 'message') arrivals.sse.set(data.message!.clientId, performance.now())
  })
  const stopProxiedSse = readSse(`http://127.0.0.1:${proxyPort}`, proxiedReader, (data) => {
    if (data.type === 'ready') ready.proxied = true
    if (data.type === 'message') arrivals.proxied.set(data.message!.clientId, performance.now())
  })
  while (!ready.ws || !ready.sse || !ready.proxied) await new Promise((resolve) => setTimeout(resolve, 20))

  const sentAt = new Map<string, number>()
  for (let i = 0; i < count; i++) {
    const clientId = randomUUID()
    sentAt.set(clientId, performance.now())
    await mutate(baseUrl, sender, 'message.send', { roomId: room.id, text: `latency probe ${i}`, clientId })
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  const deadline = Date.now() + 10_000
  while (Object.values(arrivals).some((received) => received.size < count) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))

  const percentiles = (received: Map<string, number>) => {
    const latencies = [...sentAt].flatMap(([id, at]) => (received.has(id) ? [received.get(id)! - at] : [])).sort((a, b) => a - b)
    const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!
    return { n: latencies.length, p50: pick(0.5), p99: pick(0.99), max: latencies.at(-1)! }
  }
  const baseline = percentiles(arrivals.ws)
  const report = (name: string, received: Map<string, number>) => {
    const { n, p50, p99, max } = percentiles(received)
    const ratio = `${(p50 / baseline.p50).toFixed(2)}× / ${(p99 / baseline.p99).toFixed(2)}× WebSocket`
    console.log(`${name.padEnd(24)} n=${n}/${count}  p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  max ${max.toFixed(1)} ms  (${ratio})`)
  }
  console.log(`mutation → event latency (production build, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}, sequential sends)`)
  report('WebSocket', arrivals.ws)
  report('SSE', arrivals.sse)
  report('SSE, restrictive nginx', arrivals.proxied)
  stopWebSocket()
  stopSse()
  stopProxiedSse()
} finally {
  await proxy.stop()
  server.kill('SIGTERM')
}

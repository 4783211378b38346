// The flood run (`npm run test:flood`, after `npm run build`): one signed-in attacker floods the
// production build, on the embedded database, over the WebSocket (queries, and tiny frames), over
// HTTP (batches) and over SSE (many streams, and ten that ask for a 20,000-event backlog and never
// read), while another person sends every 125 ms. That person's sends and deliveries must stay
// within 3× their p99 measured before the flood (taken as at least 25 ms), /api/health must answer within 1 s throughout,
// the flooding sockets must be refused and then closed, and the instance must be back to normal
// within 2 s after each flood; the stalled readers' memory must stay bounded and come back.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { mutate, signUp, type Account } from '../../bench/support/app-client.ts'
import { startPinned, type PinnedProcess } from '../../bench/support/pinned-process.ts'
import { serverCounts } from '../support/metrics.ts'
import { freePort } from '../support/ports.ts'
import type { AttackKind, AttackOptions } from './attacker.ts'
import { sleep, type FloodReport } from './floods.ts'
import { percentile, startVictim, type Victim } from './victim.ts'

const WARM_UP_MS = 3_000
// As long as a flood: both percentiles come from the same number of samples. 30 s at one send
// every 125 ms is 240 samples, so a p99 is the third slowest: two pauses of the collector in 30 s
// (seen on CI: 124 and 82 ms against a 23 ms baseline, everything else under 35 ms) do not decide
// it alone, as they did at 120 samples.
const BASELINE_MS = 30_000
/**
 * The limits are 3× the baseline p99, the baseline taken as at least this much. An idle server's
 * p99 here is 10–23 ms from run to run of the same build (lower when the sends come often, as the
 * process never idles), while a single collector pause during a flood stalls everything, health
 * checks included, for 45–100 ms on this 2-core machine: 3× a 10 ms baseline (30 ms) would judge
 * the pause, not the limits. Without the limits the floods cost 307–455 ms at p99.
 */
const BASELINE_FLOOR_MS = 25
const FLOOD_MS = 30_000
const RECOVERY_MS = 2_000
const AFTER_MS = 6_000
const BACKLOG_EVENTS = 20_000
const STALLED_STREAMS = 10
/** Heap the ten stalled streams may hold between them (after GC): each is cut off at SUBSCRIBER_QUEUE_KB (1 MiB) and one backlog page. */
const STALLED_MEMORY_BOUND_MB = 30
/** After they hang up, the heap is back within this much of where it was. */
const RETURNED_WITHIN_MB = 5
const FLOODING_CLOSE_CODE = 4429
const RUN_LIMIT_MS = 420_000
const SERVER_CORE = 0
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1)
/** FLOOD_ONLY=websocket|http|streams|stalled runs one flood; FLOOD_CPU_PROF=dir writes a .cpuprofile of the app (diagnosis). */
const only = process.env.FLOOD_ONLY

// The other person (this process) shares the second core with the attackers, who run at the lowest
// priority: the figures are the server's, not this machine's scheduler's.
spawnSync('taskset', ['-a', '-p', '-c', String(1 - SERVER_CORE), String(process.pid)], { stdio: 'ignore' })
const watchdog = setTimeout(() => fail([`the flood run did not finish within ${RUN_LIMIT_MS / 1000} s`]), RUN_LIMIT_MS)
const port = await freePort()
const metricsPort = await freePort()
const baseUrl = `http://127.0.0.1:${port}`
const dataDir = mkdtempSync(path.join(tmpdir(), 'relay-flood-'))
const problems: string[] = []
let server: PinnedProcess | undefined

console.log(`flood run on embedded PGlite: filling a backlog of ${BACKLOG_EVENTS.toLocaleString('en')} events…`)
// Setting up is not the flood: the backlog is written with the limits lifted, then the instance restarts with the defaults.
server = await startServer({ REQUESTS_PER_SECOND_PER_CONNECTION: '100000', REQUESTS_PER_SECOND_PER_USER: '100000', PENDING_REQUESTS_PER_CONNECTION: '1000' })
const victimAccount = await signUp(baseUrl, 'Vic')
const attacker = await signUp(baseUrl, 'Mal')
// A second attacker for the tiny frames: a session closed for flooding is refused new sockets for a while, which would stop the first one's other socket too.
const secondAttacker = await signUp(baseUrl, 'Eve')
const victimRoom = await mutate<{ id: string }>(baseUrl, victimAccount, 'room.create', { name: `talk ${Date.now()}` })
const attackerRoom = await mutate<{ id: string }>(baseUrl, attacker, 'room.create', { name: `backlog ${Date.now()}` })
await fillBacklog(attacker, attackerRoom.id, BACKLOG_EVENTS)
await server.stop()
server = await startServer()

const victim = await startVictim(baseUrl, { ...victimAccount, roomId: victimRoom.id })
await sleep(WARM_UP_MS)
const baselineFrom = performance.now()
await sleep(BASELINE_MS)
const baseline = latencies(victim, baselineFrom, performance.now())
console.log(`  baseline: ${describe(baseline)}`)

await phase('websocket', 'WebSocket: one socket of queries and one of tiny frames, each as fast as it can', async () => {
  const [queries, frames] = await Promise.all([attack('ws-queries'), attack('ws-frames', secondAttacker)])
  report('queries', queries)
  report('tiny frames', frames)
  for (const [name, flood] of [['query', queries], ['tiny-frame', frames]] as const) {
    if (!flood.closeCodes.includes(FLOODING_CLOSE_CODE)) problems.push(`the ${name} flood was never closed with ${FLOODING_CLOSE_CODE} (closes: ${flood.closeCodes.join(', ')})`)
  }
  if (queries.refused === 0) problems.push('the query flood was never refused')
})

await phase('http', 'HTTP: eight connections of batched queries back to back', async () => {
  const flood = await attack('http-batches')
  report('batches', flood)
  if (!flood.statuses?.[429]) problems.push('the HTTP flood was never refused with 429')
})

await phase('streams', 'SSE: thirty streams of one user opened back to back', async () => {
  report('streams', await attack('sse-streams'))
})

// Memory before the stalled readers, measured outside the window the other person is timed in (a forced GC pauses the server).
const beforeStalled = only && only !== 'stalled' ? undefined : await server.usage(true)
await sleep(RECOVERY_MS)
await phase('stalled', `SSE: ${STALLED_STREAMS} streams resuming a ${BACKLOG_EVENTS.toLocaleString('en')}-event backlog that never read`, async () => {
  const before = beforeStalled!
  const stalled = startAttack('sse-stalled', { count: STALLED_STREAMS, ms: FLOOD_MS + 60_000 })
  await sleep(FLOOD_MS)
  // Measured once the timed window closed (forced GCs pause the server), with the readers still there.
  return async () => {
    const during = await server!.usage(true)
    const open = (await serverCounts(metricsPort)).sseStreams
    stalled.hangUp()
    await stalled.done
    const heldMb = (during.heapUsed - before.heapUsed) / 2 ** 20
    console.log(`    heap after GC: ${mb(before.heapUsed)} MB before, ${mb(during.heapUsed)} MB with the stalled readers (${heldMb.toFixed(1)} MB for ${STALLED_STREAMS}; ${open} of their streams still open); RSS ${mb(before.rss)} → ${mb(during.rss)} MB`)
    if (heldMb > STALLED_MEMORY_BOUND_MB) problems.push(`the stalled readers held ${heldMb.toFixed(1)} MB of heap (bound ${STALLED_MEMORY_BOUND_MB} MB)`)
    await sleep(2_000)
    const after = await server!.usage(true)
    console.log(`    after they hung up: heap ${mb(after.heapUsed)} MB, RSS ${mb(after.rss)} MB`)
    if (after.heapUsed > before.heapUsed + RETURNED_WITHIN_MB * 2 ** 20) problems.push(`heap did not come back after the stalled readers left (${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB)`)
  }
})

victim.stop()
await server.stop()
if (problems.length) fail(problems)
clearTimeout(watchdog)
console.log('flood run passed')
process.exit(0)

/** The production build pinned to its own core, on this run's embedded database, answering memory after GC over IPC. */
function startServer(env: Record<string, string> = {}): Promise<PinnedProcess> {
  return startPinned({
    core: SERVER_CORE,
    label: 'app',
    nodeArgs: ['--expose-gc', ...(process.env.FLOOD_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FLOOD_CPU_PROF}`] : []), '--import', path.resolve('bench/support/report-usage.mjs'), 'dist/server.js'],
    env: { NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, METRICS_PORT: String(metricsPort), DATABASE_URL: undefined, REDIS_URL: undefined, BETTER_AUTH_SECRET: 'flood-run-secret-at-least-32-characters!!', ...env },
    readyText: '[server] ready',
  })
}

/** Starts an attacker process on the other core, at the lowest priority; `done` resolves with its report. */
function startAttack(kind: AttackKind, extra: Partial<AttackOptions> = {}, account: Account = attacker) {
  const options: AttackOptions = { baseUrl, cookie: account.cookie, userId: account.userId, ms: FLOOD_MS, ...extra }
  const child = spawn('nice', ['-n', '19', 'taskset', '-c', String(1 - SERVER_CORE), process.execPath, '--import', 'tsx', 'e2e/flood/attacker.ts', kind, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += String(chunk)))
  const done = new Promise<FloodReport & { statuses?: Record<number, number> }>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(output.trim().split('\n').at(-1)!)) : reject(new Error(`${kind} attacker exited with ${code}: ${output}`))))
  })
  return { done, hangUp: () => child.send('hang up') }
}

function attack(kind: AttackKind, account: Account = attacker) {
  return startAttack(kind, {}, account).done
}

/**
 * Runs one flood (FLOOD_MS) and checks the other person during it and from RECOVERY_MS after it.
 * A flood may return checks of its own to run after the timed window, before the recovery.
 */
async function phase(name: string, title: string, flood: () => Promise<void | (() => Promise<void>)>): Promise<void> {
  if (only && only !== name) return
  console.log(`  ${title}`)
  const from = performance.now()
  const untimedChecks = await flood()
  const to = performance.now()
  await untimedChecks?.()
  const during = latencies(victim, from, to)
  await sleep(RECOVERY_MS)
  const afterFrom = performance.now()
  await sleep(AFTER_MS)
  const after = latencies(victim, afterFrom, performance.now())
  const health = victim.health(from, to)
  console.log(`    the other person during: ${describe(during)}; /api/health ${health.checks} checks, slowest ${health.slowestMs.toFixed(0)} ms, ${health.failed} failed`)
  console.log(`    from ${RECOVERY_MS / 1000} s after: ${describe(after)}`)
  console.log(`    slowest sends during (s into the flood: answered ms): ${slowest(victim.samples(from, to), from)}`)
  for (const [when, measured] of [['during', during], ['after', after]] as const) {
    if (measured.count < 5) problems.push(`${title}: the other person got only ${measured.count} messages through ${when} the flood`)
    for (const key of ['answer', 'delivery'] as const) {
      const limit = 3 * Math.max(baseline[key], BASELINE_FLOOR_MS)
      if (measured[key] > limit) problems.push(`${title}: the other person's ${key} p99 ${when} the flood was ${measured[key].toFixed(1)} ms (limit ${limit.toFixed(1)} ms, 3× the baseline of at least ${BASELINE_FLOOR_MS} ms)`)
    }
  }
  if (health.failed > 0 || health.slowestMs > 1_000) problems.push(`${title}: /api/health failed ${health.failed} times, slowest ${health.slowestMs.toFixed(0)} ms`)
}

function latencies(person: Victim, from: number, to: number) {
  const samples = person.samples(from, to)
  return { count: samples.length, answer: percentile(samples.map((sample) => sample.answerMs), 0.99), delivery: percentile(samples.map((sample) => sample.deliveryMs), 0.99) }
}

function slowest(samples: { at: number; answerMs: number }[], from: number): string {
  return [...samples].sort((a, b) => b.answerMs - a.answerMs).slice(0, 5).map((sample) => `${((sample.at - from) / 1000).toFixed(1)}: ${sample.answerMs.toFixed(0)}`).join(', ')
}

function describe({ count, answer, delivery }: ReturnType<typeof latencies>): string {
  return `${count} messages, send answered p99 ${answer.toFixed(1)} ms, delivered p99 ${delivery.toFixed(1)} ms`
}

function report(name: string, flood: FloodReport & { statuses?: Record<number, number> }): void {
  const statuses = flood.statuses ? `; answers by status ${JSON.stringify(flood.statuses)}` : ''
  console.log(`    ${name}: ${flood.sent.toLocaleString('en')} sent over ${flood.sockets} connections, ${flood.answered.toLocaleString('en')} answered, ${flood.refused.toLocaleString('en')} refused${flood.closeCodes.length ? `, closed with ${[...new Set(flood.closeCodes)].join(', ')}` : ''}${statuses}`)
}

async function fillBacklog(account: Account, roomId: string, count: number): Promise<void> {
  const WebSocket = (await import('ws')).default
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/ws`, { headers: { cookie: account.cookie, origin: baseUrl } })
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  let answered = 0
  let next = 0
  await new Promise<void>((resolve) => {
    const sendSome = () => {
      while (next < count && next - answered < 200) {
        socket.send(JSON.stringify({ id: next, method: 'mutation', params: { path: 'message.send', input: { roomId, text: `backlog ${next} ${'.'.repeat(200)}`, clientId: crypto.randomUUID() } } }))
        next++
      }
    }
    socket.on('message', (data) => {
      if (String(data) === 'PING') return socket.send('PONG')
      if (++answered === count) resolve()
      else sendSome()
    })
    sendSome()
  })
  socket.close()
}

function fail(reasons: readonly string[]): never {
  console.error(`flood run FAILED:\n${reasons.map((reason) => `  - ${reason}`).join('\n')}`)
  server?.child.kill('SIGKILL')
  process.exit(1)
}

// The chaos run (`npm run test:chaos`, after `npm run build`): chat clients on WebSocket and SSE
// in several rooms send thousands of messages through a proxy that kills and freezes their
// connections, while the server is restarted once gracefully and once with SIGKILL and clients
// hop between transports. Every client must end with every message of its rooms exactly once,
// in order, and the database must hold each message once with contiguous seqs.
import { appServer } from '../support/app-server.ts'
import { freePort } from '../support/ports.ts'
import { signUp, mutate, type Account } from '../../bench/support/app-client.ts'
import { ChaosClient, sleep } from './chaos-client.ts'
import { storageProblems, storedMessages } from './database-check.ts'
import { startFaultProxy } from './fault-proxy.ts'
import { settleDeliveries } from './delivery-report.ts'

const CLIENTS = 12
const ROOMS = 3
const MESSAGES_PER_CLIENT = 420
const SEND_PAUSE_MS = 10
const KILL_EVERY_MS = 250
const SWITCH_EVERY_MS = 2_000
/** Progress (share of messages acknowledged) at which each server-side fault strikes. */
const RESTART_AT = { SIGTERM: 0.3, SIGKILL: 0.65 } as const
const FREEZE_AT = [
  { at: 0.15, kind: 'websocket' },
  { at: 0.45, kind: 'sse' },
  { at: 0.8, kind: 'websocket' },
  { at: 0.9, kind: 'sse' },
] as const
/** What the run must have done, at least; on a fast machine faults go on after the last send. */
const REQUIRED = { messages: 5_000, streamKills: 100, switches: 5, overWebSocket: 500 }
const HALF_OPEN_DETECTION_LIMIT_MS = 10_000
const DELIVERY_WAIT_MS = 30_000
const RUN_LIMIT_MS = 240_000

const watchdog = setTimeout(() => fail([`the chaos run did not finish within ${RUN_LIMIT_MS / 1000} s`]), RUN_LIMIT_MS)
const startedAt = performance.now()
const database = process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'
const appPort = await freePort()
const server = appServer(appPort)
console.log(`chaos run on ${database}: ${CLIENTS} clients, ${ROOMS} rooms, ${CLIENTS * MESSAGES_PER_CLIENT} messages`)
await server.start()
const proxy = await startFaultProxy(appPort)
const proxyUrl = `http://127.0.0.1:${proxy.port}`

// Everyone signs up and joins two rooms directly, before any fault and before any message.
const accounts: Account[] = []
for (let i = 0; i < CLIENTS; i++) accounts.push(await signUp(server.url, `Chaos${i}`))
const roomIds: string[] = []
for (let r = 0; r < ROOMS; r++) roomIds.push((await mutate<{ id: string }>(server.url, accounts[0]!, 'room.create', { name: `chaos-${r}-${Date.now()}` })).id)
const roomsOf = (i: number) => [roomIds[i % ROOMS]!, roomIds[(i + 1) % ROOMS]!]
// The creator is in every room and must see all of them.
const membershipsOf = (i: number) => (i === 0 ? roomIds : roomsOf(i))
for (let i = 1; i < CLIENTS; i++) for (const roomId of roomsOf(i)) await mutate(server.url, accounts[i]!, 'room.join', { roomId })

// Half start on each transport; half of each half send like the browser (over the WebSocket while the stream is live on it).
const clients = accounts.map((account, i) => new ChaosClient(`Chaos${i}`, proxyUrl, account.cookie, i % 2 === 0 ? 'ws' : 'sse', i % 4 < 2))
for (const client of clients) client.subscribe()
while (!clients.every((client) => client.ready)) await sleep(50)

// Faults, while the senders send.
const faults = { streamKills: 0, httpKills: 0, switches: 0, sigterm: 0, sigkill: 0, halfOpenReplaced: [] as { kind: string; ms: number }[], staleFreezes: 0 }
const target = CLIENTS * MESSAGES_PER_CLIENT
const progress = () => clients.reduce((sum, client) => sum + client.acknowledged.length, 0) / target
let sending = true
const sent = Promise.all(clients.map((client, i) => client.sendMessages(roomsOf(i), MESSAGES_PER_CLIENT, SEND_PAUSE_MS))).finally(() => (sending = false))

const connectionKiller = (async () => {
  let nextSwitchAt = performance.now() + SWITCH_EVERY_MS
  while (sending || faults.streamKills < REQUIRED.streamKills || faults.switches < REQUIRED.switches) {
    await sleep(KILL_EVERY_MS * (0.5 + Math.random()))
    // Only a killed stream counts towards the required kills: an HTTP connection may be idle.
    if (Math.random() < 0.7) faults.streamKills += Number(proxy.kill(['websocket', 'sse']))
    else faults.httpKills += Number(proxy.kill(['http']))
    if (performance.now() < nextSwitchAt) continue
    nextSwitchAt += SWITCH_EVERY_MS
    const client = clients[Math.floor(Math.random() * CLIENTS)]!
    if (proxy.isFrozen(client.cookie)) continue
    client.switchTransport()
    faults.switches++
  }
})()

const serverFaults = (async () => {
  const freezes: Promise<void>[] = []
  const pending = [
    ...FREEZE_AT.map(({ at, kind }) => ({ at, fault: 'freeze' as const, kind })),
    { at: RESTART_AT.SIGTERM, fault: 'SIGTERM' as const },
    { at: RESTART_AT.SIGKILL, fault: 'SIGKILL' as const },
  ].sort((a, b) => a.at - b.at)
  for (const step of pending) {
    while (progress() < step.at) await sleep(50)
    if (step.fault === 'freeze') {
      freezes.push(freezeUntilReplaced(step.kind))
      continue
    }
    const { at, fault } = step
    const downAt = performance.now()
    await server.stop(fault)
    await server.start()
    faults[fault === 'SIGTERM' ? 'sigterm' : 'sigkill']++
    console.log(`  ${fault} at ${(at * 100).toFixed(0)}%: server back after ${((performance.now() - downAt) / 1000).toFixed(1)} s`)
  }
  await Promise.all(freezes)
})()

await sent
await Promise.all([connectionKiller, serverFaults])
const sendingSeconds = (performance.now() - startedAt) / 1000

// Let every client catch up, then compare what each saw with what the senders had acknowledged.
const acknowledged = clients.flatMap((client) => client.acknowledged)
const totals = await settleDeliveries(clients, membershipsOf, DELIVERY_WAIT_MS, (report) => `ended on ${report.transport}, ${report.switches} switches`)
await proxy.close()

const problems: string[] = []
if (totals.lost || totals.duplicated || totals.outOfOrder) problems.push('a client lost, doubled or reordered messages')

await server.stop('SIGTERM')
const stored = await storedMessages(roomIds, { databaseUrl: process.env.DATABASE_URL, dataDir: server.dataDir })
problems.push(...storageProblems(stored).slice(0, 10))
const storedByClientId = new Map(stored.map((message) => [message.clientId, message]))
const missing = acknowledged.filter((message) => storedByClientId.get(message.clientId)?.seq !== message.seq)
if (missing.length) problems.push(`${missing.length} acknowledged messages are not stored as acknowledged`)
if (stored.length !== acknowledged.length) problems.push(`${stored.length} messages stored for ${acknowledged.length} sent`)
console.log(`  database: ${stored.length} messages stored, ${acknowledged.length} acknowledged, seqs contiguous per room: ${storageProblems(stored).length === 0 ? 'yes' : 'no'}, one row per clientId: ${new Set(stored.map((m) => m.clientId)).size === stored.length ? 'yes' : 'no'}`)

const detection = faults.halfOpenReplaced
console.log(`  faults: ${faults.streamKills} live streams killed (and ${faults.httpKills} HTTP connections), ${faults.switches} transport switches, ${faults.sigterm} SIGTERM restart, ${faults.sigkill} SIGKILL restart, ${detection.length} half-open connections replaced after ${detection.map(({ kind, ms }) => `${(ms / 1000).toFixed(1)} s (${kind})`).join(', ')}${faults.staleFreezes ? ` (${faults.staleFreezes} frozen streams were ones their client had just left, and were frozen again)` : ''}`)
const overWebSocket = clients.reduce((sum, client) => sum + client.sentOverWebSocket, 0)
console.log(`  ${overWebSocket} messages were sent over the WebSocket, the rest over HTTP; senders retried ${clients.reduce((sum, client) => sum + client.sendRetries, 0)} sends; sending took ${sendingSeconds.toFixed(0)} s, the whole run ${((performance.now() - startedAt) / 1000).toFixed(0)} s`)

if (overWebSocket < REQUIRED.overWebSocket) problems.push(`only ${overWebSocket} messages were sent over the WebSocket (at least ${REQUIRED.overWebSocket} required)`)
if (acknowledged.length < REQUIRED.messages) problems.push(`only ${acknowledged.length} messages sent (at least ${REQUIRED.messages} required)`)
if (faults.streamKills < REQUIRED.streamKills) problems.push(`only ${faults.streamKills} live streams killed (at least ${REQUIRED.streamKills} required)`)
if (faults.switches < REQUIRED.switches) problems.push(`only ${faults.switches} transport switches (at least ${REQUIRED.switches} required)`)
if (faults.sigterm !== 1 || faults.sigkill !== 1) problems.push('the server was not restarted once with SIGTERM and once with SIGKILL')
if (detection.length < FREEZE_AT.length) problems.push(`${FREEZE_AT.length - detection.length} half-open connections were never replaced`)
const slowest = Math.max(0, ...detection.map(({ ms }) => ms))
if (slowest > HALF_OPEN_DETECTION_LIMIT_MS) problems.push(`a half-open connection took ${(slowest / 1000).toFixed(1)} s to be replaced (limit ${HALF_OPEN_DETECTION_LIMIT_MS / 1000} s)`)

if (problems.length) fail(problems)
clearTimeout(watchdog)
console.log('chaos run passed')
process.exit(0)

/**
 * Freezes a client's stream and records how long until the client replaced it. A client that
 * keeps receiving while its frozen stream stays silent had already left that stream (a transport
 * switch at that very moment): nothing to detect, so another stream is frozen instead.
 */
async function freezeUntilReplaced(kind: 'websocket' | 'sse'): Promise<void> {
  // A moment with no current stream of this kind (all its clients reconnecting) passes: keep trying.
  for (let attempt = 0; attempt < 50; attempt++) {
    const frozen = proxy.freeze(kind)
    if (!frozen) {
      await sleep(200)
      continue
    }
    const client = clients.find((candidate) => candidate.cookie === frozen.who)
    // Bytes already on their way when it froze may still land; after that, only another stream brings any.
    await sleep(200)
    const receivedBefore = client?.received() ?? 0
    await sleep(1_000)
    if ((client?.received() ?? 0) > receivedBefore) {
      frozen.release()
      faults.staleFreezes++
      continue
    }
    const ms = await Promise.race([frozen.replaced, sleep(HALF_OPEN_DETECTION_LIMIT_MS * 2).then(() => undefined)])
    if (ms !== undefined) {
      faults.halfOpenReplaced.push({ kind, ms })
      return
    }
    frozen.release()
    console.error(`  a frozen ${kind} stream of ${client?.name ?? 'an unknown client'} (now on ${client?.transport}) was not replaced within ${(HALF_OPEN_DETECTION_LIMIT_MS * 2) / 1000} s`)
    return
  }
  console.error(`  found no current ${kind} stream to freeze in 50 attempts`)
}

function fail(reasons: readonly string[]): never {
  console.error(`chaos run FAILED:\n${reasons.map((reason) => `  - ${reason}`).join('\n')}`)
  void server.stop('SIGKILL')
  process.exit(1)
}

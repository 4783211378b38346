// The load generator: its own Node process, pinned by bench/run.ts to the core the server does not
// use. It opens subscribers, sends on an open-loop schedule and times every delivery from the
// message's *scheduled* send time on this process's one monotonic clock, so a server that falls
// behind cannot hide its queueing (coordinated omission). Driven over IPC by bench/run.ts.
import { randomUUID } from 'node:crypto'
import hdr from 'hdr-histogram-js'
import { openSender, type SendTransport } from './clients/app-senders.ts'
import { appSseClient } from './clients/app-sse.ts'
import { appWebSocketClient } from './clients/app-websocket.ts'
import { bareWsClient } from './clients/bare-ws.ts'
import { socketIoClient } from './clients/socket-io.ts'
import type { Publisher, ServerClient, Subscriber, Target } from './clients/types.ts'
import type { LoadCommand, LoadReply, PersistResult, RunResult } from './support/protocol.ts'

const CLIENTS: Record<string, ServerClient> = { 'bare-ws': bareWsClient, 'socket-io': socketIoClient, 'app-ws': appWebSocketClient, 'app-sse': appSseClient }
const CONNECT_CONCURRENCY = 50
/** A message still missing this long after its scheduled time counts as not delivered. */
const DRAIN_MS = 3_000
const MESSAGE_BYTES = 100
/** Coprime with the many-rooms layout's 500 rooms. */
const ROOM_STRIDE = 211

let client: ServerClient
let target: Target
let publisher: Publisher
const subscribers: Subscriber[] = []

// The run being timed: frames from an earlier run (late arrivals) are ignored.
let currentRun = -1
let scheduledAt: Float64Array = new Float64Array(0)
let delivered = 0
let histogram = newHistogram()
const MARKER = /bench:(\d+):(\d+):/

function newHistogram() {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 })
}

function onFrame(frame: string): void {
  const now = performance.now()
  const marker = MARKER.exec(frame)
  if (!marker || Number(marker[1]) !== currentRun) return
  delivered++
  histogram.recordValue(Math.max(1, Math.round((now - scheduledAt[Number(marker[2])]!) * 1000)))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function subscribeUpTo(count: number): Promise<void> {
  while (subscribers.length < count) {
    const batch = Math.min(CONNECT_CONCURRENCY, count - subscribers.length)
    const first = subscribers.length
    subscribers.push(...(await Promise.all(Array.from({ length: batch }, (_, i) => client.subscribe(target, first + i, onFrame)))))
  }
}

/** Subscribers in each room of the many-rooms spread (by room index), counted as they are opened. */
function subscribersPerRoom(): number[] {
  const spread = target.spread!
  const counts = new Array<number>(spread.rooms.length).fill(0)
  for (let i = 0; i < subscribers.length; i++) for (const room of spread.roomsOfPerson[i % spread.roomsOfPerson.length]!) counts[room]! += 1
  return counts
}

async function run(runId: number, rate: number, seconds: number): Promise<RunResult> {
  const total = Math.round(rate * seconds)
  // One room: every message to every subscriber. Spread: message i to its room's subscribers.
  const perRoom = target.spread ? subscribersPerRoom() : undefined
  // A stride coprime with the room count visits every room once per cycle, large and small mixed
  // (the layout's rooms grow with their index), not the first few hundred in order.
  const roomOf = (i: number) => (perRoom ? (i * ROOM_STRIDE) % perRoom.length : 0)
  let expected = 0
  for (let i = 0; i < total; i++) expected += perRoom ? perRoom[roomOf(i)]! : subscribers.length
  currentRun = runId
  scheduledAt = new Float64Array(total)
  delivered = 0
  histogram = newHistogram()
  const failuresBefore = publisher.failures()
  const cpuBefore = process.cpuUsage()
  const startedAt = performance.now() + 20
  for (let i = 0; i < total; i++) {
    const due = startedAt + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 1) await sleep(wait)
    scheduledAt[i] = due
    publisher.send(`bench:${runId}:${i}:`.padEnd(MESSAGE_BYTES, '.'), randomUUID(), target.spread?.rooms[roomOf(i)])
  }
  const lastDue = startedAt + ((total - 1) * 1000) / rate
  while (delivered < expected && performance.now() < lastDue + DRAIN_MS) await sleep(5)
  const wallMs = performance.now() - startedAt
  const cpu = process.cpuUsage(cpuBefore)
  const result: RunResult = {
    subscribers: subscribers.length,
    rate,
    sent: total,
    expected,
    delivered,
    publishFailures: publisher.failures() - failuresBefore,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
    maxMs: histogram.maxValue / 1000,
    wallMs,
    loadgenCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
  }
  currentRun = -1
  return result
}

/** Closed loop: `senders` concurrent senders, each sending its next message once the last is acknowledged. */
async function persist(transport: SendTransport, senders: number, seconds: number): Promise<PersistResult> {
  const people = target.senders ?? []
  if (people.length < senders) throw new Error(`persist needs ${senders} senders, the target has ${people.length}`)
  const opened = await Promise.all(people.slice(0, senders).map((person) => openSender(target.url, person, transport)))
  let acknowledged = 0
  let failed = 0
  const cpuBefore = process.cpuUsage()
  const startedAt = performance.now()
  const endsAt = startedAt + seconds * 1000
  await Promise.all(
    opened.map(async (sender, s) => {
      for (let i = 0; performance.now() < endsAt; i++) {
        if (await sender.send(`persist:${s}:${i}:`.padEnd(MESSAGE_BYTES, '.'))) acknowledged++
        else failed++
      }
    }),
  )
  const wallMs = performance.now() - startedAt
  const cpu = process.cpuUsage(cpuBefore)
  for (const sender of opened) sender.close()
  return { transport, senders, acknowledged, failed, wallMs, loadgenCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100 }
}

const reply = (message: LoadReply) => process.send!(message)

process.on('message', (command: LoadCommand) => {
  void (async () => {
    try {
      if (command.cmd === 'setup') {
        client = CLIENTS[command.kind]!
        target = command.target
        publisher = await client.openPublisher(target)
        reply({ cmd: 'setup' })
      } else if (command.cmd === 'subscribe') {
        await subscribeUpTo(command.count)
        reply({ cmd: 'subscribe', subscribers: subscribers.length })
      } else if (command.cmd === 'run') {
        reply({ cmd: 'run', result: await run(command.runId, command.rate, command.seconds) })
      } else if (command.cmd === 'persist') {
        reply({ cmd: 'persist', result: await persist(command.transport, command.senders, command.seconds) })
      } else if (command.cmd === 'close') {
        for (const subscriber of subscribers.splice(0)) subscriber.close()
        publisher?.close()
        reply({ cmd: 'close' })
        setTimeout(() => process.exit(0), 50)
      }
    } catch (error) {
      reply({ cmd: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
    }
  })()
})

// Delivery through one server: latency at two fixed loads, memory per idle connection, and the
// highest rate it sustains at 1,000 subscribers.
import path from 'node:path'
import { startLoadGenerator, type LoadGenerator } from './support/load-generator.ts'
import type { PinnedProcess } from './support/pinned-process.ts'
import type { RunResult, ServerKind } from './support/protocol.ts'
import type { Target } from './clients/types.ts'

export const SERVER_CORE = 0
export const LOADGEN_CORE = 1

const STEP_SECONDS = 4
/** Messages/s at 1,000 subscribers, climbed until a step is not sustained. */
const RAMP = [10, 20, 40, 60, 80, 100, 130, 160, 200]
/** Sustained: this share delivered, with p99 under the bound. */
const SUSTAINED_SHARE = 0.999
const SUSTAINED_P99_MS = 100
const IDLE_CPU_SHARE = 0.15
const SETTLE_TIMEOUT_MS = 20_000
/** How long after the last send its handling is still counted, in a step with no subscriber. */
const SEND_TAIL_MS = 500
/** Past this the load generator, not the server, sets the pace. */
const HARNESS_BOUND_CPU_PERCENT = 95

export type Step = RunResult & {
  serverCpuPercent: number
  serverCpuMicrosPerDelivery: number
  /** The step's CPU less what its sends cost alone (SendCost), per delivery: the fan-out's own cost. */
  fanOutMicrosPerDelivery?: number
  sustained: boolean
  harnessBound: boolean
}

/** Server CPU per message at a rate with no subscriber: what a send costs before any fan-out (for ours: storing it). */
export type SendCost = { rate: number; microsPerMessage: number }

export type DeliveryResult = {
  kind: ServerKind
  at100x50: Step
  /** Measured before anyone subscribes, at the 1,000 × 20 step's rate. */
  sendCost: SendCost
  at1000x20: Step
  idle: { connections: number; heapBytesPerConnection: number; rssBytesPerConnection: number }
  ramp: Step[]
  /** The highest sustained step of the ramp. */
  maxSustained: Step | undefined
}

/** One timed step at `rate` messages/s, once the server is idle: its server CPU per delivery, latency, and whether it held. */
export async function measureStep(server: PinnedProcess, load: LoadGenerator, rate: number, log: (line: string) => void, seconds = STEP_SECONDS): Promise<Step> {
  await settled(server)
  const { before, after, result } = await profiled(server, `step-${rate}-per-s`, log, async () => {
    const before = await server.usage()
    const result = await load.run(rate, seconds)
    return { before, result, after: await server.usage() }
  })
  const cpuMicros = after.cpuMicros - before.cpuMicros
  const serverCpuPercent = (cpuMicros / 1000 / (after.atMs - before.atMs)) * 100
  const sustained = result.delivered >= result.expected * SUSTAINED_SHARE && result.p99Ms < SUSTAINED_P99_MS && result.publishFailures === 0
  const measured: Step = {
    ...result,
    serverCpuPercent,
    // None delivered: no figure (null in the JSON), not the whole step's CPU.
    serverCpuMicrosPerDelivery: result.delivered > 0 ? cpuMicros / result.delivered : Number.NaN,
    sustained,
    harnessBound: result.loadgenCpuPercent >= HARNESS_BOUND_CPU_PERCENT,
  }
  log(describeStep(measured))
  return measured
}

export async function measureDelivery(kind: ServerKind, server: PinnedProcess, target: Target, log: (line: string) => void): Promise<DeliveryResult> {
  const load = await startLoadGenerator(LOADGEN_CORE, kind, target)
  try {
    const step = (rate: number) => measureStep(server, load, rate, log)

    const sendCost = await measureSendCost(server, load, 20, log)
    await load.subscribe(100)
    await load.run(50, 2) // warm-up: JIT, pools and caches, not recorded
    const at100x50 = await step(50)

    const idle = await measureIdle(server, kind, load, log)

    const at1000x20 = withFanOut(await step(20), sendCost)
    const ramp: Step[] = []
    for (const rate of RAMP) {
      const measured = await step(rate)
      ramp.push(measured)
      if (!measured.sustained || measured.harnessBound) break
    }
    const maxSustained = ramp.filter((measured) => measured.sustained).at(-1)
    return { kind, at100x50, sendCost, at1000x20, idle, ramp, maxSustained }
  } finally {
    await load.close()
  }
}

/**
 * Memory per idle connection: with 100 subscribers open, then with 1,000, each after GC; the
 * difference ÷ 900. Expects 100 subscribers already open on `load`.
 */
export async function measureIdle(server: PinnedProcess, kind: ServerKind, load: LoadGenerator, log: (line: string) => void): Promise<DeliveryResult['idle']> {
  const withHundred = await settledMemory(server)
  await heapSnapshot(server, kind, 100, log)
  const connections = await load.subscribe(1000)
  await new Promise((resolve) => setTimeout(resolve, 2_000))
  const withThousand = await settledMemory(server)
  await heapSnapshot(server, kind, connections, log)
  const added = connections - 100
  const idle = {
    connections,
    heapBytesPerConnection: (withThousand.heapUsed - withHundred.heapUsed) / added,
    rssBytesPerConnection: (withThousand.rss - withHundred.rss) / added,
  }
  log(`idle: ${(idle.heapBytesPerConnection / 1024).toFixed(1)} KB heap, ${(idle.rssBytesPerConnection / 1024).toFixed(1)} KB RSS per connection (${connections} open, after GC)`)
  return idle
}

/**
 * The server's CPU per message sent at `rate` while nobody subscribes: the part of a delivery step
 * that does not depend on how many receive it (for ours: authenticate, store, publish; for the
 * baselines: read the frame). Subtracted from a step, it leaves the fan-out's own cost.
 */
export async function measureSendCost(server: PinnedProcess, load: LoadGenerator, rate: number, log: (line: string) => void): Promise<SendCost> {
  await load.run(rate, 1) // warm-up, not recorded
  await settled(server)
  const { before, after, result } = await profiled(server, `sends-alone-${rate}-per-s`, log, async () => {
    const before = await server.usage()
    const result = await load.run(rate, STEP_SECONDS)
    // The last sends are still being handled when the load generator returns.
    await new Promise((resolve) => setTimeout(resolve, SEND_TAIL_MS))
    return { before, result, after: await server.usage() }
  })
  const microsPerMessage = (after.cpuMicros - before.cpuMicros) / result.sent
  log(`${result.sent} sends at ${rate}/s with no subscriber: ${microsPerMessage.toFixed(0)} µs server CPU per message`)
  return { rate, microsPerMessage }
}

/** BENCH_CPU_PROF=dir: a .cpuprofile of the server during `measure` only (its figures then include the profiler's cost). */
async function profiled<T>(server: PinnedProcess, name: string, log: (line: string) => void, measure: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROF
  if (!dir) return measure()
  await server.profile()
  const measured = await measure()
  const file = path.join(dir, `${name}-${Date.now()}.cpuprofile`)
  await server.profile(file)
  log(`profile: ${file}`)
  return measured
}

/** The step with its fan-out's own cost: its CPU less its messages' cost when sent to nobody. */
export function withFanOut(step: Step, sendCost: SendCost): Step {
  if (step.delivered === 0) return step
  const fanOutMicros = step.serverCpuMicrosPerDelivery * step.delivered - sendCost.microsPerMessage * step.sent
  return { ...step, fanOutMicrosPerDelivery: fanOutMicros / step.delivered }
}

/** BENCH_HEAP_SNAPSHOTS=dir: the server's heap with this many idle connections (compare two with bench/heap-diff.ts). */
async function heapSnapshot(server: PinnedProcess, kind: ServerKind, connections: number, log: (line: string) => void): Promise<void> {
  const dir = process.env.BENCH_HEAP_SNAPSHOTS
  if (!dir) return
  const file = path.join(dir, `${kind}-${connections}-connections.heapsnapshot`)
  await server.heapSnapshot(file)
  log(`heap snapshot: ${file}`)
}

/** Memory after GC, once the heap has had a moment to shrink back (RSS lags a collection). */
async function settledMemory(server: PinnedProcess) {
  await server.usage(true)
  await new Promise((resolve) => setTimeout(resolve, 1_000))
  return server.usage(true)
}

/** Waits until the server is idle again, so a step never pays for the backlog of the one before. */
async function settled(server: PinnedProcess): Promise<void> {
  const deadline = performance.now() + SETTLE_TIMEOUT_MS
  for (let previous = await server.usage(); performance.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    const current = await server.usage()
    const busy = (current.cpuMicros - previous.cpuMicros) / 1000 / (current.atMs - previous.atMs)
    if (busy < IDLE_CPU_SHARE) return
    previous = current
  }
}

function describeStep(step: Step): string {
  const share = (step.delivered / step.expected) * 100
  return [
    `${step.subscribers} subs × ${step.rate} msg/s:`,
    `${step.serverCpuMicrosPerDelivery.toFixed(1)} µs CPU/delivery${step.fanOutMicrosPerDelivery === undefined ? '' : ` (fan-out alone ${step.fanOutMicrosPerDelivery.toFixed(1)})`},`,
    `server ${step.serverCpuPercent.toFixed(0)}% CPU, load ${step.loadgenCpuPercent.toFixed(0)}%,`,
    `p50 ${step.p50Ms.toFixed(1)} p99 ${step.p99Ms.toFixed(1)} max ${step.maxMs.toFixed(1)} ms,`,
    `delivered ${share.toFixed(2)}%${step.publishFailures ? `, ${step.publishFailures} sends failed` : ''}${step.harnessBound ? ' (harness-bound)' : ''}`,
  ].join(' ')
}

// Turns one run's results into bench/results/<date>.json and .md, bench/results/latest.svg and the
// README's "Benchmarks" table.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import type { DeliveryResult, Step } from '../delivery.ts'
import type { HistoryResult } from '../history.ts'
import type { ManyRoomsResult } from '../many-rooms.ts'
import type { PersistenceResult } from '../persistence.ts'
import { renderChart } from './chart.ts'
import type { ServerKind } from './protocol.ts'
import { SERVER_LABELS } from './servers.ts'

export type BenchResults = {
  date: string
  commit: string
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; serverCore: number }
  seconds: number
  delivery: DeliveryResult[]
  /** Absent in results written before the scenario existed. */
  manyRooms?: ManyRoomsResult[]
  persistence: { database: string; results: PersistenceResult[] }[]
  history: HistoryResult | undefined
  notes: string[]
}

const README_START = '<!-- bench:start -->'
const README_END = '<!-- bench:end -->'

export async function writeReport(results: BenchResults, { updateReadme }: { updateReadme: boolean }): Promise<string[]> {
  await mkdir('bench/results', { recursive: true })
  const day = results.date.slice(0, 10)
  const suffix = updateReadme ? '' : `-${results.commit.split(' ')[0]}`
  const markdown = renderMarkdown(results)
  const files = [`bench/results/${day}${suffix}.json`, `bench/results/${day}${suffix}.md`]
  await writeFile(files[0]!, `${JSON.stringify(results, null, 2)}\n`)
  await writeFile(files[1]!, `# Benchmark ${day}\n\n${markdown}`)
  if (!updateReadme) return files
  await writeFile('bench/results/latest.svg', renderChart(results))
  files.push('bench/results/latest.svg')
  const readme = await readFile('README.md', 'utf8')
  const start = readme.indexOf(README_START)
  const end = readme.indexOf(README_END)
  if (start >= 0 && end > start) {
    await writeFile('README.md', `${readme.slice(0, start + README_START.length)}\n${markdown}${readme.slice(end)}`)
    files.push('README.md')
  }
  return files
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1))
const ratio = (value: number, base: number | undefined) => (base ? `${(value / base).toFixed(2)}×` : '–')
// RSS can fall while connections open (the heap shrinks after GC): below zero is noise, not a figure.
const kb = (bytes: number) => (bytes < 0 ? '≈ 0' : (bytes / 1024).toFixed(1))
const latency = (step: Step) =>
  step.delivered === 0 ? 'nothing delivered' : `${ms(step.p50Ms)} / ${ms(step.p99Ms)} / ${ms(step.maxMs)}${step.delivered < step.expected ? ` (${((step.delivered / step.expected) * 100).toFixed(1)} % delivered)` : ''}`

export function renderMarkdown(results: BenchResults): string {
  const byKind = new Map<ServerKind, DeliveryResult>(results.delivery.map((result) => [result.kind, result]))
  const floor = byKind.get('bare-ws')?.at1000x20.serverCpuMicrosPerDelivery
  const socketIo = byKind.get('socket-io')?.at1000x20.serverCpuMicrosPerDelivery
  const lines = [
    `Commit \`${results.commit}\`, ${results.date.slice(0, 16).replace('T', ' ')} UTC, ${results.seconds} s. Machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}. Each server pinned to core ${results.machine.serverCore}, the load generator to the other; latency from each message's scheduled send time (open loop).`,
    '',
    '| server | CPU µs per delivery, 100 subs × 50 msg/s | CPU µs per delivery, 1,000 subs × 20 msg/s | vs bare ws | vs Socket.IO | p50 / p99 / max ms, 100 × 50 | p50 / p99 / max ms, 1,000 × 20 | most deliveries/s sustained at 1,000 subs (server CPU, load generator CPU) | heap / RSS per idle connection |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ]
  for (const result of results.delivery) {
    const cpu = result.at1000x20.serverCpuMicrosPerDelivery
    const perDelivery = (step: Step) => (step.delivered > 0 ? step.serverCpuMicrosPerDelivery.toFixed(1) : '–')
    const best = result.maxSustained
    const sustained = best
      ? `${(best.rate * best.subscribers).toLocaleString('en')} (${best.serverCpuPercent.toFixed(0)} %, ${best.loadgenCpuPercent.toFixed(0)} %)${best.harnessBound || result.ramp.at(-1)?.harnessBound ? ', bounded by the load generator' : ''}`
      : 'none of the steps'
    lines.push(
      `| ${SERVER_LABELS[result.kind]} | ${perDelivery(result.at100x50)} | ${perDelivery(result.at1000x20)} | ${ratio(cpu, floor)} | ${ratio(cpu, socketIo)} | ${latency(result.at100x50)} | ${latency(result.at1000x20)} | ${sustained} | ${kb(result.idle.heapBytesPerConnection)} KB / ${kb(result.idle.rssBytesPerConnection)} KB |`,
    )
  }
  const manyRooms = results.manyRooms ?? []
  if (manyRooms.length > 0) {
    const manySocketIo = manyRooms.find((result) => result.kind === 'socket-io')?.step.serverCpuMicrosPerDelivery
    const manyFloor = manyRooms.find((result) => result.kind === 'bare-ws')?.step.serverCpuMicrosPerDelivery
    const first = manyRooms[0]!
    const fanOut = (step: Step | undefined) => step?.fanOutMicrosPerDelivery
    lines.push(
      '',
      `| many rooms: ${first.subscribers.toLocaleString('en')} subscribers in ${first.rooms} rooms of 2–200 people (~30 rooms each), ${first.step.rate} msg/s spread over all rooms | CPU µs per delivery | ÷ its one-room figure (1,000 × 20) | vs bare ws | vs Socket.IO | p50 / p99 / max ms | CPU µs per message sent to nobody (one room's rate; many rooms' rate) | fan-out alone: µs per delivery, less the sends' own cost | fan-out ÷ its one-room fan-out |`,
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    )
    for (const result of manyRooms) {
      const cpu = result.step.serverCpuMicrosPerDelivery
      const oneRoom = byKind.get(result.kind)
      const sendCosts = [oneRoom?.sendCost, result.sendCost].map((cost) => (cost ? cost.microsPerMessage.toFixed(0) : '–')).join('; ')
      const ownFanOut = fanOut(result.step)
      lines.push(
        `| ${SERVER_LABELS[result.kind]} | ${result.step.delivered > 0 ? cpu.toFixed(1) : '–'} | ${ratio(cpu, oneRoom?.at1000x20.serverCpuMicrosPerDelivery)} | ${ratio(cpu, manyFloor)} | ${ratio(cpu, manySocketIo)} | ${latency(result.step)} | ${sendCosts} | ${ownFanOut === undefined ? '–' : ownFanOut.toFixed(1)} | ${ownFanOut === undefined ? '–' : ratio(ownFanOut, fanOut(oneRoom?.at1000x20))} |`,
      )
    }
  }
  if (results.persistence.length > 0) {
    lines.push(
      '',
      '| ours: messages persisted per second (32 people, each typing in a room of their own, closed loop) | raw WebSocket | the browser on WebSocket (its stream on the same socket) | browser WS ÷ raw WS, CPU per send | raw HTTP | the browser on SSE (HTTP sends beside the stream) |',
      '| --- | --- | --- | --- | --- | --- |',
    )
    for (const { database, results: rows } of results.persistence) {
      const row = (transport: string) => rows.find((candidate) => candidate.transport === transport)
      const cell = (transport: string) => {
        const found = row(transport)
        return found ? `${found.perSecond.toFixed(0)} msg/s, ${found.serverCpuMicrosPerSend.toFixed(0)} µs server CPU per send` : '–'
      }
      const raw = row('websocket')?.serverCpuMicrosPerSend
      const browser = row('browser-websocket')?.serverCpuMicrosPerSend
      lines.push(`| ${database} | ${cell('websocket')} | ${cell('browser-websocket')} | ${browser !== undefined ? ratio(browser, raw) : '–'} | ${cell('http')} | ${cell('browser-sse')} |`)
    }
  }
  if (results.history) {
    const h = results.history
    const page = (l: { p50Ms: number; p99Ms: number; maxMs: number } | undefined) => (l ? `${ms(l.p50Ms)} / ${ms(l.p99Ms)} / ${ms(l.maxMs)} ms` : '–')
    lines.push(
      '',
      `\`message.history\` on PostgreSQL, ${h.pages} random pages of 50 in a room of ${h.messages.toLocaleString('en')} messages, p50 / p99 / max: raw HTTP ${page(h.http)}; raw WebSocket ${page(h.webSocket)}; the browser on WebSocket ${page(h.browserWebSocket)}; the browser on SSE (HTTP beside the stream) ${page(h.browserSse)}.`,
    )
  }
  for (const note of results.notes) lines.push('', note)
  return `${lines.join('\n')}\n`
}

// A dependency-free SVG bar chart of the headline figures, one panel per measure.
import type { DeliveryResult } from '../delivery.ts'
import type { ServerKind } from './protocol.ts'
import type { BenchResults } from './report.ts'
import { SERVER_LABELS } from './servers.ts'

type Panel = { title: string; unit: string; value: (result: DeliveryResult) => number | undefined; better: 'lower' | 'higher' }

const PANELS: Panel[] = [
  { title: 'Server CPU per delivery (1,000 subs × 20 msg/s)', unit: 'µs', value: (r) => r.at1000x20.serverCpuMicrosPerDelivery, better: 'lower' },
  { title: 'p99 delivery latency (1,000 subs × 20 msg/s)', unit: 'ms', value: (r) => r.at1000x20.p99Ms, better: 'lower' },
  { title: 'Heap per idle connection (after GC)', unit: 'KB', value: (r) => r.idle.heapBytesPerConnection / 1024, better: 'lower' },
  { title: 'Most deliveries/s sustained (1,000 subs)', unit: '/s', value: (r) => (r.maxSustained ? r.maxSustained.rate * r.maxSustained.subscribers : 0), better: 'higher' },
]
const COLORS: Record<ServerKind, string> = { 'bare-ws': '#8a8f98', 'socket-io': '#c9a227', 'app-ws': '#2f6fde', 'app-sse': '#5aa9e6' }
const PANEL_WIDTH = 470
const PANEL_HEIGHT = 150
const LABEL_WIDTH = 170
const BAR_HEIGHT = 22

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
const format = (value: number) => (value >= 1000 ? Math.round(value).toLocaleString('en') : value >= 100 ? value.toFixed(0) : value.toFixed(1))

export function renderChart(results: BenchResults): string {
  const columns = 2
  const rows = Math.ceil(PANELS.length / columns)
  const width = PANEL_WIDTH * columns + 20
  const height = rows * (PANEL_HEIGHT + 20) + 50
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="14" font-weight="600">${escape(`Relay vs bare ws and Socket.IO, commit ${results.commit}, ${results.date.slice(0, 10)}, ${results.machine.cores}-core ${results.machine.cpu}`)}</text>`,
  ]
  PANELS.forEach((panel, index) => {
    const x = 10 + (index % columns) * PANEL_WIDTH
    const y = 40 + Math.floor(index / columns) * (PANEL_HEIGHT + 20)
    const values = results.delivery.map((result) => ({ kind: result.kind, value: panel.value(result) ?? 0 }))
    const max = Math.max(...values.map((entry) => entry.value), 1e-9)
    parts.push(`<text x="${x}" y="${y + 12}" font-weight="600">${escape(`${panel.title}, ${panel.better} is better`)}</text>`)
    values.forEach(({ kind, value }, row) => {
      const barY = y + 24 + row * (BAR_HEIGHT + 6)
      const barWidth = Math.max(1, ((PANEL_WIDTH - LABEL_WIDTH - 90) * value) / max)
      parts.push(
        `<text x="${x}" y="${barY + 15}">${escape(SERVER_LABELS[kind])}</text>`,
        `<rect x="${x + LABEL_WIDTH}" y="${barY}" width="${barWidth.toFixed(1)}" height="${BAR_HEIGHT}" fill="${COLORS[kind]}"/>`,
        `<text x="${(x + LABEL_WIDTH + barWidth + 6).toFixed(1)}" y="${barY + 15}">${escape(`${format(value)} ${panel.unit}`)}</text>`,
      )
    })
  })
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}

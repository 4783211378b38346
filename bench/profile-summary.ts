// Where a profiled step's CPU went: `npx tsx bench/profile-summary.ts step-….cpuprofile [rows]`.
// Self time per function and per package or file (node_modules/<package>, our files, Node's own),
// from a .cpuprofile written with BENCH_CPU_PROF (see bench/README.md).
import { readFileSync } from 'node:fs'

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

const [file, rows = '25'] = process.argv.slice(2)
if (!file) throw new Error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [rows]')
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile

// Each sample's time is the delta to the next one.
const selfMicros = new Map<number, number>()
profile.samples.forEach((nodeId, index) => {
  const micros = profile.timeDeltas[index + 1] ?? 0
  selfMicros.set(nodeId, (selfMicros.get(nodeId) ?? 0) + micros)
})
const total = [...selfMicros.values()].reduce((sum, micros) => sum + micros, 0)

const byFunction = new Map<string, number>()
const byOwner = new Map<string, number>()
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0
  if (micros === 0) continue
  const { functionName, url, lineNumber } = node.callFrame
  const owner = ownerOf(url, functionName)
  add(byFunction, `${functionName || '(anonymous)'}  ${shortUrl(url)}:${lineNumber + 1}`, micros)
  add(byOwner, owner, micros)
}

console.log(`${(total / 1000).toFixed(0)} ms sampled\n\nby package or file`)
print(byOwner)
console.log('\nby function')
print(byFunction)

function print(table: Map<string, number>): void {
  for (const [name, micros] of [...table].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) {
    console.log(`${((micros / total) * 100).toFixed(1).padStart(5)} %  ${name}`)
  }
}

function add(table: Map<string, number>, key: string, micros: number): void {
  table.set(key, (table.get(key) ?? 0) + micros)
}

/** node_modules/<package>, a file of ours, Node's own modules, or V8's pseudo-frames ((garbage collector), (program), (idle)). */
function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)'
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (inPackage) return inPackage[1]!
  if (url.startsWith('node:')) return 'node'
  return shortUrl(url)
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*?\/(dist|\.next|server|node_modules)\//, '$1/')
}

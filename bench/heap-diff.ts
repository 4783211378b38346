// What the connections added between two heap snapshots hold, by kind of object:
// `npx tsx bench/heap-diff.ts app-ws-100-connections.heapsnapshot app-ws-1000-connections.heapsnapshot [added] [rows]`
// (written with BENCH_HEAP_SNAPSHOTS, see bench/README.md). Self sizes, so each byte counts once.
import { readFileSync } from 'node:fs'

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }
  nodes: number[]
  strings: string[]
}

const [beforeFile, afterFile, addedArg = '900', rows = '30'] = process.argv.slice(2)
if (!beforeFile || !afterFile) throw new Error('usage: npx tsx bench/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [connections added] [rows]')
const added = Number(addedArg)

const before = totals(beforeFile)
const after = totals(afterFile)
const rowsOut = [...after.keys(), ...before.keys()]
  .filter((key, i, all) => all.indexOf(key) === i)
  .map((key) => {
    const [countAfter, bytesAfter] = after.get(key) ?? [0, 0]
    const [countBefore, bytesBefore] = before.get(key) ?? [0, 0]
    return { key, count: countAfter - countBefore, bytes: bytesAfter - bytesBefore }
  })
  .sort((a, b) => b.bytes - a.bytes)
const total = rowsOut.reduce((sum, row) => sum + row.bytes, 0)
console.log(`${(total / 1024 / added).toFixed(1)} KB per connection in all (${added} added)\n`)
console.log('bytes/conn  objects/conn  kind')
for (const row of rowsOut.slice(0, Number(rows))) {
  console.log(`${(row.bytes / added).toFixed(0).padStart(10)}  ${(row.count / added).toFixed(2).padStart(12)}  ${row.key}`)
}

/** Count and self size per (node type, constructor or name). */
function totals(file: string): Map<string, [number, number]> {
  const { snapshot, nodes, strings } = JSON.parse(readFileSync(file, 'utf8')) as Snapshot
  const fields = snapshot.meta.node_fields
  const [types] = snapshot.meta.node_types
  const typeAt = fields.indexOf('type')
  const nameAt = fields.indexOf('name')
  const sizeAt = fields.indexOf('self_size')
  const table = new Map<string, [number, number]>()
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = types[nodes[i + typeAt]!]!
    const name = type === 'string' || type === 'concatenated string' || type === 'sliced string' ? '' : strings[nodes[i + nameAt]!]!.slice(0, 60)
    const key = `${type} ${name}`.trim()
    const entry = table.get(key) ?? [0, 0]
    entry[0] += 1
    entry[1] += nodes[i + sizeAt]!
    table.set(key, entry)
  }
  return table
}

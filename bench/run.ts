// `npm run bench`: the whole benchmark in one run on this machine (bench/README.md says what and
// how). Writes bench/results/<date>.json and .md, bench/results/latest.svg, and the README's table.
// Arguments: server kinds to run (bare-ws socket-io app-ws app-sse), default all.
import { execSync } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import pg from 'pg'
import { measureDelivery, SERVER_CORE, type DeliveryResult } from './delivery.ts'
import { baselineSpread, measureManyRooms, type ManyRoomsResult } from './many-rooms.ts'
import { fillRoom, measureHistory, type HistoryResult } from './history.ts'
import { measurePersistence, SENDERS, type PersistenceResult } from './persistence.ts'
import { writeReport, type BenchResults } from './support/report.ts'
import type { SendTransport } from './clients/app-senders.ts'
import { APP_DIR, prepareAppRoom, prepareManyRooms, prepareSenders, startApp, startBaseline, type AppDatabase } from './support/servers.ts'
import type { ServerKind } from './support/protocol.ts'

const PORT = 4400
/** The raw paths, then the browser's own paths beside each (bench/clients/app-senders.ts). */
const SEND_PATHS: SendTransport[] = ['websocket', 'browser-websocket', 'http', 'browser-sse']
const log = (line: string) => console.log(`  ${line}`)
// `many-rooms` among the arguments: only the delivery scenarios (one room, many rooms), not persistence or history;
// `persistence`: only the persistence figures (no delivery, no history).
const deliveryOnly = process.argv.includes('many-rooms')
const persistenceOnly = process.argv.includes('persistence')
const only = process.argv.slice(2).filter((arg) => arg !== 'many-rooms' && arg !== 'persistence') as ServerKind[]
const wanted = (kind: ServerKind) => only.length === 0 || only.includes(kind)
const startedAt = performance.now()

const delivery: DeliveryResult[] = []
const manyRooms: ManyRoomsResult[] = []
const persistence: { database: string; results: PersistenceResult[] }[] = []
let history: HistoryResult | undefined
const notes: string[] = []

for (const kind of ['bare-ws', 'socket-io'] as const) {
  if (!wanted(kind) || persistenceOnly) continue
  console.log(`\n${kind}`)
  const server = await startBaseline(kind, SERVER_CORE, PORT)
  try {
    delivery.push(await measureDelivery(kind, server.process, server.target, log))
  } finally {
    await server.process.stop()
  }
  console.log(`\n${kind}, many rooms`)
  const fresh = await startBaseline(kind, SERVER_CORE, PORT)
  try {
    manyRooms.push(await measureManyRooms(kind, fresh.process, { ...fresh.target, spread: baselineSpread() }, log))
  } finally {
    await fresh.process.stop()
  }
}

for (const kind of ['app-ws', 'app-sse'] as const) {
  if (!wanted(kind) || persistenceOnly) continue
  console.log(`\n${kind} (embedded PGlite)`)
  const server = await startApp(SERVER_CORE, PORT, { kind: 'embedded' })
  try {
    const target = await prepareAppRoom(`http://127.0.0.1:${PORT}`)
    delivery.push(await measureDelivery(kind, server, target, log))
  } finally {
    await server.stop()
  }
  // Many rooms: our WebSocket path, the one a browser uses when it can.
  if (kind !== 'app-ws') continue
  console.log(`\n${kind}, many rooms (embedded PGlite)`)
  const fresh = await startApp(SERVER_CORE, PORT, { kind: 'embedded' })
  try {
    manyRooms.push(await measureManyRooms(kind, fresh, await prepareManyRooms(`http://127.0.0.1:${PORT}`), log))
  } finally {
    await fresh.stop()
  }
}

if (wanted('app-ws') && !deliveryOnly) {
  console.log('\npersistence, embedded PGlite')
  const server = await startApp(SERVER_CORE, PORT, { kind: 'embedded' })
  try {
    const url = `http://127.0.0.1:${PORT}`
    const target = { ...(await prepareAppRoom(url)), senders: await prepareSenders(url, SENDERS) }
    persistence.push({ database: 'embedded PGlite', results: await measurePersistence(server, target, SEND_PATHS, log) })
  } finally {
    await server.stop()
  }

  const postgres = await createPostgresDatabase()
  if (!postgres) {
    notes.push('PostgreSQL was not reachable (BENCH_POSTGRES_URL): its persistence and history figures were not measured.')
  } else {
    try {
      console.log('\npersistence and history, PostgreSQL')
      const database: AppDatabase = { kind: 'postgres', url: postgres.url }
      let server = await startApp(SERVER_CORE, PORT, database)
      const url = `http://127.0.0.1:${PORT}`
      const target = { ...(await prepareAppRoom(url)), senders: await prepareSenders(url, SENDERS) }
      try {
        persistence.push({ database: 'PostgreSQL', results: await measurePersistence(server, target, SEND_PATHS, log) })
      } finally {
        await server.stop()
      }
      if (!persistenceOnly) {
        const insertSeconds = await fillRoom(postgres.url, target, target.senderId)
        server = await startApp(SERVER_CORE, PORT, database)
        try {
          history = await measureHistory(target, insertSeconds, log)
        } finally {
          await server.stop()
        }
      }
    } finally {
      await postgres.drop()
    }
  }
}

const results: BenchResults = {
  date: new Date().toISOString(),
  commit: commitOf(APP_DIR),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, serverCore: SERVER_CORE },
  seconds: Math.round((performance.now() - startedAt) / 1000),
  delivery,
  manyRooms,
  persistence,
  history,
  notes,
}
const written = await writeReport(results, { updateReadme: APP_DIR === process.cwd() && only.length === 0 && !deliveryOnly && !persistenceOnly })
console.log(`\nwrote ${written.join(', ')} in ${results.seconds} s`)

function commitOf(dir: string): string {
  const run = (command: string) => execSync(command, { cwd: dir, encoding: 'utf8' }).trim()
  try {
    return `${run('git rev-parse --short HEAD')}${run('git status --porcelain --untracked-files=no') ? ' (with uncommitted changes)' : ''}`
  } catch {
    return 'unknown'
  }
}

/** A throwaway database on the PostgreSQL server at BENCH_POSTGRES_URL (default: the local one). */
async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const adminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
  const name = `relay_bench_${Date.now()}`
  const admin = new pg.Client({ connectionString: adminUrl })
  try {
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
  } catch {
    return undefined
  } finally {
    await admin.end().catch(() => {})
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    },
  }
}

// `npx tsx bench/idle-memory.ts [bare-ws socket-io app-ws app-sse]`: only the memory per idle
// connection of each server (a minute instead of `npm run bench`'s quarter hour), printed, not
// written. With BENCH_HEAP_SNAPSHOTS=dir it also writes the heap at 100 and 1,000 connections.
import { LOADGEN_CORE, measureIdle, SERVER_CORE } from './delivery.ts'
import { startLoadGenerator } from './support/load-generator.ts'
import { prepareAppRoom, startApp, startBaseline } from './support/servers.ts'
import type { ServerKind } from './support/protocol.ts'

const PORT = 4400
const ALL: ServerKind[] = ['bare-ws', 'socket-io', 'app-ws', 'app-sse']
const kinds = process.argv.length > 2 ? (process.argv.slice(2) as ServerKind[]) : ALL

for (const kind of kinds) {
  if (!ALL.includes(kind)) throw new Error(`unknown server ${kind}: one of ${ALL.join(', ')}`)
  const app = kind === 'app-ws' || kind === 'app-sse'
  const started = app ? { process: await startApp(SERVER_CORE, PORT, { kind: 'embedded' }) } : await startBaseline(kind, SERVER_CORE, PORT)
  try {
    const target = app ? await prepareAppRoom(`http://127.0.0.1:${PORT}`) : (started as Awaited<ReturnType<typeof startBaseline>>).target
    const load = await startLoadGenerator(LOADGEN_CORE, kind, target)
    try {
      await load.subscribe(100)
      await load.run(20, 1) // warm-up: JIT, pools and caches
      await measureIdle(started.process, kind, load, (line) => console.log(`${kind}: ${line}`))
    } finally {
      await load.close()
    }
  } finally {
    await started.process.stop()
  }
}

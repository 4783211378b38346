// Messages persisted per second by one instance: closed-loop senders, each a person typing in a
// room of their own, over the raw paths (a bare WebSocket, plain HTTP) and the browser's paths
// (the socket that also carries the person's stream; HTTP beside an SSE stream).
import type { Target } from './clients/types.ts'
import type { SendTransport } from './clients/app-senders.ts'
import { LOADGEN_CORE } from './delivery.ts'
import { startLoadGenerator } from './support/load-generator.ts'
import type { PinnedProcess } from './support/pinned-process.ts'
import type { PersistResult } from './support/protocol.ts'

const SECONDS = 5
export const SENDERS = 32

export type PersistenceResult = PersistResult & { perSecond: number; serverCpuPercent: number; serverCpuMicrosPerSend: number }

export async function measurePersistence(server: PinnedProcess, target: Target, transports: SendTransport[], log: (line: string) => void): Promise<PersistenceResult[]> {
  const load = await startLoadGenerator(LOADGEN_CORE, 'app-ws', target)
  try {
    const results: PersistenceResult[] = []
    for (const transport of transports) await load.persist(transport, 4, 1) // warm-up: every path's code is hot
    for (const transport of transports) {
      const before = await server.usage()
      const result = await load.persist(transport, SENDERS, SECONDS)
      const after = await server.usage()
      const cpuMicros = after.cpuMicros - before.cpuMicros
      const measured: PersistenceResult = {
        ...result,
        perSecond: result.acknowledged / (result.wallMs / 1000),
        serverCpuPercent: (cpuMicros / 1000 / (after.atMs - before.atMs)) * 100,
        serverCpuMicrosPerSend: cpuMicros / Math.max(1, result.acknowledged),
      }
      log(`${SENDERS} senders over ${transport}: ${measured.perSecond.toFixed(0)} messages persisted/s, ${measured.serverCpuMicrosPerSend.toFixed(0)} µs server CPU per send, server ${measured.serverCpuPercent.toFixed(0)}% CPU${result.failed ? `, ${result.failed} failed` : ''}`)
      results.push(measured)
    }
    return results
  } finally {
    await load.close()
  }
}

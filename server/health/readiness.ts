import { db } from '../db/client.ts'
import { shutdownSignal } from '../lifecycle.ts'
import { bus } from '../realtime/index.ts'

/** A dependency slower than this counts as down: a load balancer should not wait on it. */
const CHECK_TIMEOUT_MS = 2_000

export type Readiness = { ready: boolean; checks: Record<'instance' | 'database' | 'bus', string> }

/** Whether this instance should get traffic: not shutting down, database and bus reachable. */
export async function readiness(): Promise<Readiness> {
  const [database, busState] = await Promise.all([
    check(async () => void (await db().$queryRaw`SELECT 1`)),
    check(() => bus().checkReady()),
  ])
  const instance = shutdownSignal().aborted ? 'shutting down' : 'ok'
  return { ready: instance === 'ok' && database === 'ok' && busState === 'ok', checks: { instance, database, bus: busState } }
}

async function check(probe: () => Promise<void>): Promise<string> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)
  })
  try {
    await Promise.race([probe(), timeout])
    return 'ok'
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  } finally {
    clearTimeout(timer)
  }
}

// The four servers under test, each started pinned to the server core, and what a load generator
// needs to reach each one (for the app: signed-up members of one room and a sender).
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Sender } from '../clients/app-senders.ts'
import type { Target } from '../clients/types.ts'
import { mutate, signUp } from './app-client.ts'
import { startPinned, type PinnedProcess } from './pinned-process.ts'
import type { ServerKind } from './protocol.ts'

export type StartedServer = { process: PinnedProcess; target: Target }

/** Members of the benchmark room; 1,000 subscribers are 20 tabs of each (as many sign-ups would only time scrypt). */
const APP_MEMBERS = 50
/** One per run, so sessions survive a restart of the app (the history step restarts it). */
const BETTER_AUTH_SECRET = `bench-secret-${randomUUID()}`
const USAGE_REPORTER = path.resolve('bench/support/report-usage.mjs')

export const SERVER_LABELS: Record<ServerKind, string> = {
  'bare-ws': 'bare ws (floor)',
  'socket-io': 'Socket.IO (ws only)',
  'app-ws': 'ours: tRPC over WebSocket',
  'app-sse': 'ours: tRPC over SSE',
}

export async function startBaseline(kind: 'bare-ws' | 'socket-io', core: number, port: number): Promise<StartedServer> {
  const process = await startPinned({
    core,
    label: kind,
    nodeArgs: ['--expose-gc', '--import', 'tsx', '--import', USAGE_REPORTER, `bench/servers/${kind}.ts`, String(port)],
    readyText: 'ready on',
  })
  return { process, target: { url: `http://127.0.0.1:${port}`, room: 'bench', memberCookies: [], senderCookie: '' } }
}

const UNLIMITED = {
  REQUESTS_PER_SECOND_PER_CONNECTION: '1000000',
  REQUESTS_PER_SECOND_PER_USER: '1000000',
  REQUESTS_PER_SECOND_PER_ADDRESS: '1000000',
  PENDING_REQUESTS_PER_CONNECTION: '100000',
  CONNECTIONS_PER_USER: '100000',
  SHED_EVENT_LOOP_DELAY_MS: '600000',
  SHED_REQUESTS_WAITING: '1000000',
}

export type AppDatabase = { kind: 'embedded'; dataDir?: string } | { kind: 'postgres'; url: string }

/** The checkout whose production build is measured (BENCH_APP_DIR: another one, e.g. an older commit). */
export const APP_DIR = path.resolve(process.env.BENCH_APP_DIR ?? '.')

export async function startApp(core: number, port: number, database: AppDatabase): Promise<PinnedProcess> {
  const dataDir = database.kind === 'embedded' ? (database.dataDir ?? mkdtempSync(path.join(tmpdir(), 'relay-bench-'))) : undefined
  return startPinned({
    core,
    label: 'app',
    // BENCH_CPU_PROF=dir writes a .cpuprofile of the app when it stops (see bench/README.md).
    nodeArgs: ['--expose-gc', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), '--import', USAGE_REPORTER, 'dist/server.js'],
    cwd: APP_DIR,
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: database.kind === 'postgres' ? database.url : undefined,
      REDIS_URL: undefined,
      BETTER_AUTH_SECRET,
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      // The benchmark measures what the engine carries; the per-client limits that protect a real instance would measure themselves.
      ...UNLIMITED,
    },
    readyText: '[server] ready',
  })
}

/** Signs up a sender and the room's members and puts them in one new room. */
export async function prepareAppRoom(url: string): Promise<Target & { senderId: string }> {
  const sender = await signUp(url, 'Sender')
  const room = await mutate<{ id: string }>(url, sender, 'room.create', { name: `bench ${Date.now()}` })
  const members = await Promise.all(Array.from({ length: APP_MEMBERS }, (_, i) => signUp(url, `Member${i}`)))
  await Promise.all(members.map((member) => mutate(url, member, 'room.join', { roomId: room.id })))
  return { url, room: room.id, memberCookies: members.map((member) => member.cookie), senderCookie: sender.cookie, senderId: sender.userId }
}

/** People who each type in a room of their own (the persistence steps: one browser tab each). */
export async function prepareSenders(url: string, count: number): Promise<Sender[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const person = await signUp(url, `Typist${i}`)
      const room = await mutate<{ id: string }>(url, person, 'room.create', { name: `typist ${i} ${Date.now()}` })
      return { ...person, room: room.id }
    }),
  )
}

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
import { PEOPLE, roomLayout } from './room-layout.ts'
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
    nodeArgs: ['--expose-gc', '--import', USAGE_REPORTER, 'dist/server.js'],
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

/** Runs `task` over `items` with at most `limit` at a time (sign-ups and joins at a pace the server takes). */
async function inBatches<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  for (let start = 0; start < items.length; start += limit) {
    results.push(...(await Promise.all(items.slice(start, start + limit).map((item, i) => task(item, start + i)))))
  }
  return results
}

/**
 * The many-rooms scenario in the app: PEOPLE signed-up people, the layout's rooms (all created by
 * the sender, who may then send in each), each person joined to theirs.
 */
export async function prepareManyRooms(url: string): Promise<Target> {
  const { roomSizes, roomsOfPerson } = roomLayout()
  const sender = await signUp(url, 'Sender')
  const stamp = Date.now()
  const rooms = await inBatches(roomSizes, 20, (_, room) => mutate<{ id: string }>(url, sender, 'room.create', { name: `many ${stamp} ${room}` }))
  const people = await inBatches(roomsOfPerson, 20, (_, person) => signUp(url, `Person${person}`))
  await inBatches(
    roomsOfPerson.flatMap((roomIndexes, person) => roomIndexes.map((room) => ({ person, room }))),
    50,
    ({ person, room }) => mutate(url, people[person]!, 'room.join', { roomId: rooms[room]!.id }),
  )
  if (people.length !== PEOPLE) throw new Error('every person of the layout must be signed up')
  return {
    url,
    room: rooms[0]!.id,
    memberCookies: people.map((person) => person.cookie),
    senderCookie: sender.cookie,
    spread: { rooms: rooms.map((room) => room.id), roomsOfPerson },
  }
}

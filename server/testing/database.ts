import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll } from 'vitest'
import { db } from '../db/client.ts'
import { openDatabase, type OpenDatabase } from '../db/open.ts'
import { stopInstanceStream } from '../realtime/instance-stream.ts'
import { closeBus } from '../realtime/index.ts'
import type { SessionUser } from '../auth.ts'
import { createCaller } from '../trpc/root.ts'

/**
 * Opens a real database for a test file: PostgreSQL when DATABASE_URL is set (CI runs both),
 * else a fresh in-memory PGlite. Migrations run exactly as at start-up.
 */
export function setupTestDatabase(): void {
  let database: OpenDatabase | undefined
  beforeAll(async () => {
    const url = process.env.DATABASE_URL
    database = await openDatabase(url ? { kind: 'postgres', url } : { kind: 'embedded', dataDir: 'memory://' })
  })
  afterAll(async () => {
    await stopInstanceStream()
    await closeBus()
    await database?.close()
  })
}

export async function createUser(name = 'Tester'): Promise<SessionUser> {
  const id = randomUUID()
  const email = `${id}@test.local`
  await db().user.create({ data: { id, name, email } })
  return { id, name, email }
}

/** A public room name no other test (sharing this database) has taken: public names are unique. */
export const testRoomName = (base: string) => `${base} ${randomUUID().slice(0, 8)}`

/** Alice's room with Bob as a member, and an outsider who is not in it. */
export async function sharedRoom(base = 'shared') {
  const name = testRoomName(base)
  const alice = await createUser('Alice')
  const bob = await createUser('Bob')
  const outsider = await createUser('Outsider')
  const room = await callerFor(alice).room.create({ name })
  await callerFor(bob).room.join({ roomId: room.id })
  return { alice, bob, outsider, room }
}

export const callerFor = (user: SessionUser | null) => createCaller({ user })

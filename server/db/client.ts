import { processWideSlot } from '../process-wide.ts'
import type { PrismaClient } from './generated/client.ts'

export type Db = PrismaClient

// Both module copies in the process use the one connection (PGlite allows one).
const opened = processWideSlot<Db>('db')

export function setDb(db: Db | undefined): void {
  opened.current = db
}

/** The one Prisma client, opened by server/db/open.ts at start-up. */
export function db(): Db {
  const client = opened.current
  if (!client) throw new Error('The database is not open yet: call openDatabase() at start-up.')
  return client
}

import type { PrismaClient } from './generated/client.ts'

export type Db = PrismaClient

type DbHolder = { __chatDb?: Db }

// The custom server and Next's route handlers load separate copies of this module in one
// process; the client lives on globalThis so both use the one connection (PGlite allows one).
const holder = globalThis as DbHolder

export function setDb(db: Db | undefined): void {
  holder.__chatDb = db
}

/** The one Prisma client, opened by server/db/open.ts at start-up. */
export function db(): Db {
  const client = holder.__chatDb
  if (!client) throw new Error('The database is not open yet: call openDatabase() at start-up.')
  return client
}

import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import { keepStatisticsFresh } from './embedded-statistics.ts'
import { StatementLanes } from './statement-lanes.ts'
import { setDb, type Db } from './client.ts'
import { PrismaClient } from './generated/client.ts'
import { migrate, readMigrations, type SqlRunner } from './migrate.ts'

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'embedded'; dataDir: string } // dataDir 'memory://' keeps everything in memory (tests)

export type OpenDatabase = { db: Db; target: DatabaseTarget; migrationsApplied: string[]; close(): Promise<void> }

/** Opens the database, applies pending migrations, and publishes the client for db(). */
export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  const opened = target.kind === 'postgres' ? await openPostgres(target.url) : await openEmbedded(target.dataDir)
  setDb(opened.db)
  return {
    ...opened,
    target,
    async close() {
      setDb(undefined)
      await opened.close()
    },
  }
}

export function databaseTargetFromEnv(environment: { DATABASE_URL?: string | undefined; DATA_DIR: string }): DatabaseTarget {
  if (environment.DATABASE_URL) return { kind: 'postgres', url: environment.DATABASE_URL }
  return { kind: 'embedded', dataDir: path.resolve(environment.DATA_DIR, 'pglite') }
}

async function openEmbedded(dataDir: string) {
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true })
  const pglite = await PGlite.create(dataDir)
  const runner: SqlRunner = {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
  }
  const migrationsApplied = await migrate(runner, await readMigrations())
  const turnTaking = takingTurns(pglite)
  const stopAnalyzing = await keepStatisticsFresh(turnTaking)
  const db = new PrismaClient({ adapter: new PrismaPGlite(turnTaking) })
  return {
    db,
    migrationsApplied,
    async close() {
      stopAnalyzing()
      await db.$disconnect()
      await pglite.close()
    },
  }
}

/**
 * PGlite runs each statement to completion on the event loop, and its queue starts the next one
 * in a microtask: a queue of statements (ten streams reading a long backlog) would run back to
 * back while no socket is read, no health check answered. Each statement (or transaction) first
 * waits one event-loop turn, so the server answers its sockets between any two; and statements
 * run in the background (server/db/background.ts) wait while anyone else's are waiting.
 */
function takingTurns(pglite: PGlite): PGlite {
  const lanes = new StatementLanes()
  const query = pglite.query.bind(pglite)
  const exec = pglite.exec.bind(pglite)
  const transaction = pglite.transaction.bind(pglite)
  pglite.query = ((...args: Parameters<typeof query>) => lanes.run(() => query(...args))) as typeof pglite.query
  pglite.exec = ((...args: Parameters<typeof exec>) => lanes.run(() => exec(...args))) as typeof pglite.exec
  pglite.transaction = ((...args: Parameters<typeof transaction>) => lanes.run(() => transaction(...args))) as typeof pglite.transaction
  return pglite
}

async function openPostgres(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  let migrationsApplied: string[]
  try {
    const runner: SqlRunner = {
      exec: async (sql) => void (await client.query(sql)),
      query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
    }
    migrationsApplied = await migrate(runner, await readMigrations())
  } finally {
    await client.end()
  }
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) })
  return {
    db,
    migrationsApplied,
    async close() {
      await db.$disconnect()
    },
  }
}

import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'
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
  const db = new PrismaClient({ adapter: new PrismaPGlite(pglite) })
  return {
    db,
    migrationsApplied,
    async close() {
      await db.$disconnect()
      await pglite.close()
    },
  }
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

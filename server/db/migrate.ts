import { createHash, randomUUID } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { logger } from '../log.ts'

const log = logger('db')

/** The few driver calls the runner needs; PGlite and node-postgres both provide them. */
export type SqlRunner = {
  /** Runs a script of several statements (simple protocol). */
  exec(sql: string): Promise<void>
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>
}

export type Migration = { name: string; sql: string; checksum: string }

export const MIGRATIONS_DIR = path.resolve(process.cwd(), 'prisma/migrations')

// Same table and columns as Prisma Migrate, so `prisma migrate status|deploy` agree with us.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`

// Serialises start-up migrations when several instances share one PostgreSQL server.
const MIGRATION_LOCK_KEY = 72_707_369

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    }),
  )
}

/** Applies every checked-in migration not yet recorded, in order, each in its own transaction. */
export async function migrate(runner: SqlRunner, migrations: Migration[]): Promise<string[]> {
  await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
  try {
    await runner.exec(CREATE_MIGRATIONS_TABLE)
    const applied = await runner.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    )
    const appliedByName = new Map(applied.map((row) => [row.migration_name, row.checksum]))
    const newlyApplied: string[] = []
    for (const migration of migrations) {
      const checksum = appliedByName.get(migration.name)
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          log.warn('a migration was edited after it was applied (checksum differs)', { migration: migration.name })
        }
        continue
      }
      await applyOne(runner, migration)
      newlyApplied.push(migration.name)
    }
    return newlyApplied
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
  }
}

async function applyOne(runner: SqlRunner, migration: Migration): Promise<void> {
  await runner.exec('BEGIN')
  try {
    await runner.exec(migration.sql)
    await runner.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    )
    await runner.exec('COMMIT')
  } catch (error) {
    await runner.exec('ROLLBACK')
    throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error })
  }
}

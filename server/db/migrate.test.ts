import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { describe, expect, it } from 'vitest'
import { migrate, MIGRATIONS_DIR, readMigrations, type SqlRunner } from './migrate.ts'

function runnerFor(pglite: PGlite): SqlRunner {
  return {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
  }
}

describe('migrate', () => {
  it('applies every checked-in migration once and records it the way Prisma Migrate does', async () => {
    const pglite = await PGlite.create('memory://')
    const runner = runnerFor(pglite)
    const migrations = await readMigrations()
    expect(migrations.length).toBeGreaterThan(0)

    expect(await migrate(runner, migrations)).toEqual(migrations.map((m) => m.name))
    expect(await migrate(runner, migrations)).toEqual([])

    const recorded = await runner.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    )
    const first = migrations[0]!
    const fileChecksum = createHash('sha256').update(await readFile(path.join(MIGRATIONS_DIR, first.name, 'migration.sql'))).digest('hex')
    expect(recorded[0]).toMatchObject({ migration_name: first.name, checksum: fileChecksum, applied_steps_count: 1 })
    expect(recorded[0]?.finished_at).toBeInstanceOf(Date)
    expect(await runner.query('SELECT pos FROM "StreamCursor"')).toEqual([{ pos: 0 }])
    await pglite.close()
  })

  it('rolls back a failing migration whole and records nothing for it', async () => {
    const pglite = await PGlite.create('memory://')
    const runner = runnerFor(pglite)
    const broken = { name: '99999999999999_broken', sql: 'CREATE TABLE "Half" (id INT); SELECT no_such_function();', checksum: 'x' }
    await expect(migrate(runner, [broken])).rejects.toThrow(/99999999999999_broken failed/)
    expect(await runner.query(`SELECT to_regclass('"Half"') AS half`)).toEqual([{ half: null }])
    expect(await runner.query('SELECT * FROM "_prisma_migrations"')).toEqual([])
    await pglite.close()
  })
})

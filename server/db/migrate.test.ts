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

  it('gives public rooms that already share a name (any case) a number before names become unique, keeping the oldest as it was', async () => {
    const pglite = await PGlite.create('memory://')
    const runner = runnerFor(pglite)
    const migrations = await readMigrations()
    const uniqueNames = migrations.findIndex((m) => m.name.endsWith('_unique_public_names_hidden_directs'))
    await migrate(runner, migrations.slice(0, uniqueNames))
    await runner.exec(`INSERT INTO "User" (id, name, email, "updatedAt") VALUES ('u', 'U', 'u@test.local', now())`)
    const rooms = [
      ['a', 'general', true, '2026-01-01'],
      ['b', 'General', true, '2026-01-02'],
      ['c', 'general', false, '2026-01-03'],
      ['d', 'GENERAL', true, '2026-01-04'],
      ['e', 'random', true, '2026-01-05'],
    ] as const
    for (const [id, name, isPublic, createdAt] of rooms) {
      await runner.query('INSERT INTO "Room" (id, name, "isPublic", "createdById", "createdAt") VALUES ($1, $2, $3, $4, $5)', [id, name, isPublic, 'u', createdAt])
    }
    await migrate(runner, migrations)
    const names = await runner.query<{ id: string; name: string }>('SELECT id, name FROM "Room" ORDER BY id')
    expect(names).toEqual([
      { id: 'a', name: 'general' },
      { id: 'b', name: 'General (2)' },
      { id: 'c', name: 'general' },
      { id: 'd', name: 'GENERAL (3)' },
      { id: 'e', name: 'random' },
    ])
    await expect(runner.query(`INSERT INTO "Room" (id, name, "isPublic", "createdById") VALUES ('f', 'RANDOM', true, 'u')`)).rejects.toThrow(/Room_public_name_key/)
    await pglite.close()
  })
})

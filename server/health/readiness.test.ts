import { PrismaPg } from '@prisma/adapter-pg'
import { afterAll, describe, expect, it } from 'vitest'
import { db, setDb } from '../db/client.ts'
import { PrismaClient } from '../db/generated/client.ts'
import { beginShutdown } from '../lifecycle.ts'
import { closeBus } from '../realtime/index.ts'
import { setupTestDatabase } from '../testing/database.ts'
import { readiness } from './readiness.ts'

setupTestDatabase()
afterAll(async () => closeBus())

describe('readiness', () => {
  it('is ready with the database and the bus answering', async () => {
    expect(await readiness()).toEqual({ ready: true, checks: { instance: 'ok', database: 'ok', bus: 'ok' } })
  })

  it('is not ready while the database cannot answer, and says so', async () => {
    // A PostgreSQL client aimed at a port nobody listens on: the database is "down".
    const unreachable = new PrismaClient({ adapter: new PrismaPg({ connectionString: 'postgresql://relay@127.0.0.1:1/relay' }) })
    const healthy = db()
    setDb(unreachable)
    try {
      const state = await readiness()
      expect(state.ready).toBe(false)
      expect(state.checks.database).not.toBe('ok')
      expect(state.checks.bus).toBe('ok')
    } finally {
      setDb(healthy)
      await unreachable.$disconnect()
    }
    expect((await readiness()).ready).toBe(true)
  })

  it('is not ready once shutdown begins, so the load balancer stops sending new clients', async () => {
    beginShutdown()
    expect(await readiness()).toMatchObject({ ready: false, checks: { instance: 'shutting down' } })
  })
})

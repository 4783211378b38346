import { randomUUID } from 'node:crypto'
import type { Page } from '@playwright/test'
import { startTestRedis, type TestRedis } from '../../server/testing/redis-server'
import { appServer, type AppServer } from '../support/app-server'
import { startNginx, type RunningProxy } from '../support/nginx'
import { SCALE_OUT_PORTS } from '../support/ports'
import { createRoom, expect, joinRoom, liveStatus, messageLog, nonce, sendMessage, test } from '../fixtures'

// Two instances on one PostgreSQL database and a Redis of this file's own; each person talks to
// "their" instance by port, so every message must cross instances through Redis to be seen.
const restrictiveProxyUrl = `http://127.0.0.1:${SCALE_OUT_PORTS.restrictiveProxy}`
let redis: TestRedis
let instances: AppServer[] = []
let restrictiveProxy: RunningProxy | undefined

test.beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) throw new Error('the scale-out browser tests need DATABASE_URL (a PostgreSQL database the instances share)')
  redis = await startTestRedis(SCALE_OUT_PORTS.redis)
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, REDIS_CHANNEL_PREFIX: `cross-${randomUUID()}:`, ALLOWED_ORIGINS: restrictiveProxyUrl }
  instances = SCALE_OUT_PORTS.instances.slice(0, 2).map((port) => appServer(port, { env }))
  await Promise.all(instances.map((instance) => instance.start()))
  // A proxy that drops Upgrade in front of instance 2 only: the person behind it is on SSE.
  restrictiveProxy = await startNginx('restrictive.conf', { listenPort: SCALE_OUT_PORTS.restrictiveProxy, upstreamPort: instances[1]!.port })
})
test.afterAll(async () => {
  await restrictiveProxy?.stop()
  await Promise.all(instances.map((instance) => instance.stop()))
  await redis?.stop()
})

async function chatBothWays(ana: Page, ben: Page, roomName: string): Promise<void> {
  const tag = nonce()
  await sendMessage(ana, `from instance 1 ${tag}`)
  await expect(messageLog(ben).getByText(`from instance 1 ${tag}`)).toBeVisible()
  await sendMessage(ben, `from instance 2 ${tag}`)
  await expect(messageLog(ana).getByText(`from instance 2 ${tag}`)).toBeVisible()
  // Each message once, in order, on both sides, and the same after a reload (history from the shared database).
  for (const page of [ana, ben]) {
    await expect(messageLog(page).locator('article .text')).toHaveText([`from instance 1 ${tag}`, `from instance 2 ${tag}`])
    await page.reload()
    await expect(page.getByRole('heading', { name: `#${roomName}` })).toBeVisible()
    await expect(messageLog(page).locator('article .text')).toHaveText([`from instance 1 ${tag}`, `from instance 2 ${tag}`])
  }
}

test('A on instance 1 and B on instance 2, both on WebSocket, chat live both ways', async ({ newPerson }) => {
  const ana = await newPerson('Ana', { baseURL: instances[0]!.url })
  const ben = await newPerson('Ben', { baseURL: instances[1]!.url })
  const roomName = `cross-${nonce()}`
  await createRoom(ana.page, roomName)
  await joinRoom(ben.page, roomName)
  await expect(liveStatus(ana.page)).toHaveText('Live · WebSocket')
  await expect(liveStatus(ben.page)).toHaveText('Live · WebSocket')
  await chatBothWays(ana.page, ben.page, roomName)
})

test('A on instance 1 over WebSocket and B on instance 2 over SSE (behind a proxy that drops Upgrade) chat live both ways', async ({ newPerson }) => {
  const ana = await newPerson('Ana', { baseURL: instances[0]!.url })
  const ben = await newPerson('Ben', { baseURL: restrictiveProxyUrl })
  const roomName = `cross-sse-${nonce()}`
  await createRoom(ana.page, roomName)
  await joinRoom(ben.page, roomName)
  await expect(liveStatus(ana.page)).toHaveText('Live · WebSocket')
  await expect(liveStatus(ben.page)).toHaveText('Live · SSE', { timeout: 15_000 })
  await chatBothWays(ana.page, ben.page, roomName)
})

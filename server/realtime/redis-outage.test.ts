import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readiness } from '../health/readiness.ts'
import { useBus } from './index.ts'
import { createRedisBus } from './redis-bus.ts'
import { callerFor, createUser, setupTestDatabase, testRoomName } from '../testing/database.ts'
import { startTestRedis, type TestRedis } from '../testing/redis-server.ts'
import { readEvents } from '../testing/event-streams.ts'
import { waitFor } from '../testing/wait-for.ts'

// This file's instance runs on the Redis bus, against a Redis of its own that it restarts.
let redis: TestRedis
setupTestDatabase()
beforeAll(async () => {
  redis = await startTestRedis()
  await useBus(createRedisBus({ url: redis.url, channelPrefix: `test-${randomUUID()}:`, pingIntervalMs: 200, commandTimeoutMs: 500 }))
})
afterAll(async () => {
  await redis.stop()
})


describe('a Redis outage', () => {
  it('loses and doubles nothing: what was sent while Redis was down reaches subscribers, in order, and readiness tells the load balancer meanwhile', async () => {
    const alice = await createUser('Alice')
    const bob = await createUser('Bob')
    const room = await callerFor(alice).room.create({ name: testRoomName('outage') })
    await callerFor(bob).room.join({ roomId: room.id })
    const send = (text: string) => callerFor(alice).message.send({ roomId: room.id, text, clientId: randomUUID() })

    const bobTab = readEvents(bob.id)
    const { received } = bobTab
    const seqs = () => received.flatMap((d) => (d.event.type === 'message' && d.event.message.roomId === room.id ? [d.event.message.seq] : []))
    await waitFor(bobTab.ready)
    await waitFor(async () => (await readiness()).ready)

    await send('before')
    await waitFor(() => seqs().length === 1)

    await redis.stop('SIGKILL')
    await waitFor(async () => !(await readiness()).ready)
    const during = await readiness()
    expect(during.checks.database).toBe('ok')
    expect(during.checks.bus).not.toBe('ok')
    // Sends still commit: the database is the truth, Redis only carries news of it.
    for (let i = 0; i < 5; i++) await send(`during ${i}`)

    await redis.start()
    await waitFor(async () => (await readiness()).ready)
    for (let i = 0; i < 5; i++) await send(`after ${i}`)
    await waitFor(() => seqs().length >= 11)
    await new Promise((resolve) => setTimeout(resolve, 300))
    await bobTab.stop()

    expect(seqs()).toEqual(Array.from({ length: 11 }, (_, i) => i + 1))
    const cursors = received.filter((d) => d.event.type === 'message').map((d) => d.cursor)
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b))
  })

  it('cannot leave a member who left meanwhile routed to the room: the leave is read back from the database like a message', async () => {
    const alice = await createUser('Alice')
    const bob = await createUser('Bob')
    const room = await callerFor(alice).room.create({ name: testRoomName('left during outage') })
    await callerFor(bob).room.join({ roomId: room.id })
    const bobTab = readEvents(bob.id)
    await waitFor(bobTab.ready)
    await waitFor(async () => (await readiness()).ready)

    await redis.stop('SIGKILL')
    await waitFor(async () => !(await readiness()).ready)
    await callerFor(bob).room.leave({ roomId: room.id })
    await redis.start()
    await waitFor(async () => (await readiness()).ready)
    await callerFor(alice).message.send({ roomId: room.id, text: 'after bob left', clientId: randomUUID() })
    const marker = await callerFor(bob).room.create({ name: testRoomName('marker') })
    await waitFor(() => bobTab.events('room.joined').some((event) => event.room.id === marker.id))
    await bobTab.stop()

    expect(bobTab.events('room.left').map((event) => event.roomId)).toEqual([room.id])
    expect(bobTab.events('message').filter((event) => event.message.roomId === room.id)).toEqual([])
  })
})

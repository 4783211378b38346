import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { db } from '../db/client.ts'
import { callerFor, createUser, setupTestDatabase } from '../testing/database.ts'
import { MESSAGE_TEXT_MAX } from './limits.ts'

setupTestDatabase()

async function roomWithMember() {
  const owner = await createUser('Owner')
  const room = await callerFor(owner).room.create({ name: `room ${randomUUID().slice(0, 8)}` })
  return { owner, room, caller: callerFor(owner) }
}

describe('message.send', () => {
  it('stores a message with the next seq and returns it', async () => {
    const { owner, room, caller } = await roomWithMember()
    const first = await caller.message.send({ roomId: room.id, text: '  hello  ', clientId: randomUUID() })
    const second = await caller.message.send({ roomId: room.id, text: 'again', clientId: randomUUID() })
    expect(first).toMatchObject({ roomId: room.id, seq: 1, text: 'hello', author: { id: owner.id, name: 'Owner' } })
    expect(second.seq).toBe(2)
    expect(new Date(first.createdAt).getTime()).not.toBeNaN()
  })

  it('is idempotent per clientId, also when the same send races itself', async () => {
    const { room, caller } = await roomWithMember()
    const clientId = randomUUID()
    const first = await caller.message.send({ roomId: room.id, text: 'once', clientId })
    const again = await caller.message.send({ roomId: room.id, text: 'once', clientId })
    expect(again).toEqual(first)

    const racedId = randomUUID()
    const raced = await Promise.all(Array.from({ length: 5 }, () => caller.message.send({ roomId: room.id, text: 'race', clientId: racedId })))
    expect(new Set(raced.map((message) => message.id)).size).toBe(1)
    expect(await db().message.count({ where: { roomId: room.id } })).toBe(2)
    const seqs = (await db().message.findMany({ where: { roomId: room.id }, orderBy: { seq: 'asc' } })).map((m) => m.seq)
    expect(seqs).toEqual([1, 2])
  })

  it('rejects bad input with a typed error and stores nothing', async () => {
    const { room, caller } = await roomWithMember()
    await expect(caller.message.send({ roomId: room.id, text: '   ', clientId: randomUUID() })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    await expect(
      caller.message.send({ roomId: room.id, text: 'x'.repeat(MESSAGE_TEXT_MAX + 1), clientId: randomUUID() }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    await expect(caller.message.send({ roomId: room.id, text: 'ok', clientId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    await expect(caller.message.send({ roomId: 'nope', text: 'ok', clientId: randomUUID() })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    expect(await db().message.count({ where: { roomId: room.id } })).toBe(0)
    const stored = await db().room.findUniqueOrThrow({ where: { id: room.id } })
    expect(stored.lastSeq).toBe(0)
  })

  it('refuses a send from a tab that expects someone else to be signed in, and stores nothing', async () => {
    const { owner, room, caller } = await roomWithMember()
    const previousUser = await createUser('Previous')
    const queued = { roomId: room.id, text: 'typed by someone else', clientId: randomUUID() }
    await expect(caller.message.send({ ...queued, asUserId: previousUser.id })).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    expect(await db().message.count({ where: { roomId: room.id } })).toBe(0)
    await expect(caller.message.send({ ...queued, asUserId: owner.id })).resolves.toMatchObject({ seq: 1, author: { id: owner.id } })
  })

  it('needs a session and membership', async () => {
    const { room } = await roomWithMember()
    const stranger = await createUser('Stranger')
    await expect(callerFor(null).message.send({ roomId: room.id, text: 'hi', clientId: randomUUID() })).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    await expect(callerFor(stranger).message.send({ roomId: room.id, text: 'hi', clientId: randomUUID() })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(callerFor(stranger).message.history({ roomId: room.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(callerFor(null).room.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    await expect(callerFor(stranger).message.history({ roomId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await db().message.count({ where: { roomId: room.id } })).toBe(0)
  })
})

describe('message.history', () => {
  it('pages backwards in ascending seq order', async () => {
    const { room, caller } = await roomWithMember()
    for (let i = 1; i <= 120; i++) await caller.message.send({ roomId: room.id, text: `m${i}`, clientId: randomUUID() })

    const newest = await caller.message.history({ roomId: room.id })
    expect(newest.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i))
    expect(newest.hasMore).toBe(true)

    const older = await caller.message.history({ roomId: room.id, beforeSeq: 71, limit: 100 })
    expect(older.messages.map((m) => m.seq)).toEqual(Array.from({ length: 70 }, (_, i) => 1 + i))
    expect(older.hasMore).toBe(false)
    expect(older.messages[0]?.text).toBe('m1')

    await expect(caller.message.history({ roomId: room.id, limit: 101 })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
  })

  it('is empty for a new room', async () => {
    const { room, caller } = await roomWithMember()
    expect(await caller.message.history({ roomId: room.id })).toEqual({ messages: [], hasMore: false })
  })
})

describe('rooms', () => {
  it('lists joined rooms, browses public ones, joins and leaves', async () => {
    const { room } = await roomWithMember()
    const guest = await createUser('Guest')
    const guestCaller = callerFor(guest)
    expect(await guestCaller.room.list()).toEqual([])
    const browsed = await guestCaller.room.browse()
    expect(browsed.find((r) => r.id === room.id)).toMatchObject({ joined: false, memberCount: 1 })

    await guestCaller.room.join({ roomId: room.id })
    await guestCaller.room.join({ roomId: room.id })
    expect((await guestCaller.room.list()).map((r) => r.id)).toEqual([room.id])
    expect((await guestCaller.room.browse()).find((r) => r.id === room.id)).toMatchObject({ joined: true, memberCount: 2 })

    await guestCaller.room.leave({ roomId: room.id })
    expect(await guestCaller.room.list()).toEqual([])
    await expect(guestCaller.message.history({ roomId: room.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(guestCaller.room.create({ name: 'x'.repeat(81) })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    await expect(guestCaller.room.join({ roomId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})

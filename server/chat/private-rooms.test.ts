import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { callerFor, createUser, setupTestDatabase, testRoomName } from '../testing/database.ts'
import { readEvents } from '../testing/event-streams.ts'
import { waitFor } from '../testing/wait-for.ts'

setupTestDatabase()

type User = Awaited<ReturnType<typeof createUser>>

/** Every procedure that reads or changes a room, called by someone who is not in it: each must refuse, and nothing may leak. */
async function expectShutOut(outsider: User, roomId: string, messageId: string) {
  const as = callerFor(outsider)
  // Called one at a time: each refusal is awaited before the next call starts.
  const refused = [
    () => as.message.history({ roomId }),
    () => as.message.search({ roomId, query: 'secret' }),
    () => as.message.send({ roomId, text: 'let me in', clientId: randomUUID() }),
    () => as.message.edit({ messageId, text: 'mine now' }),
    () => as.message.delete({ messageId }),
    () => as.message.react({ messageId, emoji: '👍', on: true }),
    () => as.room.typing({ roomId }),
    () => as.room.markRead({ roomId, seq: 1 }),
    () => as.room.members({ roomId }),
    () => as.room.invite({ roomId, userId: outsider.id }),
  ]
  // Refused, and told nothing to join: a private room answers "private" (message ids: "not yours").
  for (const call of refused) await expect(call()).rejects.toMatchObject({ code: expect.stringMatching(/^(NOT_FOUND|FORBIDDEN)$/) })
  await expect(as.message.history({ roomId })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'This room is private. A member can invite you.' })
  // Joining a private room looks exactly like joining one that does not exist.
  await expect(as.room.join({ roomId })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'That room does not exist or is not public.' })
  expect((await as.room.browse()).some((room) => room.id === roomId)).toBe(false)
  expect((await as.room.list()).some((room) => room.id === roomId)).toBe(false)
}

describe('private rooms and direct messages', () => {
  it('a private room is invisible and closed to non-members through every procedure and the event stream; an invitation opens it', async () => {
    const alice = await createUser('Alice')
    const bob = await createUser('Bob')
    const eve = await createUser('Eve')
    const lobby = await callerFor(alice).room.create({ name: testRoomName('lobby') })
    for (const user of [bob, eve]) await callerFor(user).room.join({ roomId: lobby.id })
    const secret = await callerFor(alice).room.create({ name: testRoomName('secret'), visibility: 'private' })
    expect(secret.isPublic).toBe(false)

    const eveStream = readEvents(eve.id)
    await waitFor(eveStream.ready)
    const message = await callerFor(alice).message.send({ roomId: secret.id, text: 'the secret plan', clientId: randomUUID() })
    await callerFor(alice).message.edit({ messageId: message.id, text: 'the secret plan, edited' })
    await callerFor(alice).room.typing({ roomId: secret.id })
    await expectShutOut(eve, secret.id, message.id)

    await callerFor(alice).room.invite({ roomId: secret.id, userId: bob.id })
    expect((await callerFor(bob).message.history({ roomId: secret.id })).messages.map((m) => m.text)).toEqual(['the secret plan, edited'])
    await callerFor(bob).message.send({ roomId: secret.id, text: 'glad to be here', clientId: randomUUID() })
    await new Promise((resolve) => setTimeout(resolve, 300))
    await eveStream.stop()
    const leaked = eveStream.received.filter((d) => d.event.type !== 'ready' && JSON.stringify(d.event).includes(secret.id))
    expect(leaked).toEqual([])
  })

  it('a direct conversation is one room per pair, only with someone you share a room with, and nobody else can see it', async () => {
    const alice = await createUser('Alice')
    const bob = await createUser('Bob')
    const eve = await createUser('Eve')
    const stranger = await createUser('Stranger')
    const lobby = await callerFor(alice).room.create({ name: testRoomName('lobby') })
    for (const user of [bob, eve]) await callerFor(user).room.join({ roomId: lobby.id })

    const direct = await callerFor(alice).room.openDirect({ userId: bob.id })
    expect((await callerFor(bob).room.openDirect({ userId: alice.id })).id).toBe(direct.id)
    await expect(callerFor(alice).room.openDirect({ userId: stranger.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(callerFor(alice).room.openDirect({ userId: alice.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(callerFor(alice).room.invite({ roomId: direct.id, userId: eve.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })

    const message = await callerFor(alice).message.send({ roomId: direct.id, text: 'just between us', clientId: randomUUID() })
    const bobsList = await callerFor(bob).room.list()
    expect(bobsList.find((room) => room.id === direct.id)).toMatchObject({ directWith: { id: alice.id, name: 'Alice' }, unread: 1 })
    await expectShutOut(eve, direct.id, message.id)
  })

  it('leaving a direct conversation hides it for the leaver only: the other person still writes, and that brings it back', async () => {
    const ana = await createUser('Ana')
    const ben = await createUser('Ben')
    const lobby = await callerFor(ana).room.create({ name: testRoomName('lobby') })
    await callerFor(ben).room.join({ roomId: lobby.id })
    const direct = await callerFor(ana).room.openDirect({ userId: ben.id })
    await callerFor(ana).message.send({ roomId: direct.id, text: 'hi Ben', clientId: randomUUID() })

    const bensStream = readEvents(ben.id)
    await waitFor(bensStream.ready)
    await callerFor(ben).room.leave({ roomId: direct.id })
    expect((await callerFor(ben).room.list()).some((room) => room.id === direct.id)).toBe(false)
    // Ana's side is unchanged: still named after Ben, still hers to write in.
    expect((await callerFor(ana).room.list()).find((room) => room.id === direct.id)).toMatchObject({ directWith: { id: ben.id, name: 'Ben' } })

    const later = await callerFor(ana).message.send({ roomId: direct.id, text: 'are you there?', clientId: randomUUID() })
    expect((await callerFor(ben).room.list()).find((room) => room.id === direct.id)).toMatchObject({ directWith: { id: ana.id, name: 'Ana' }, unread: 2 })
    await waitFor(() => bensStream.received.some((d) => d.event.type === 'message' && d.event.message.id === later.id))
    await bensStream.stop()
    expect(bensStream.received.map((d) => d.event.type)).toContain('room.hidden')
    expect(bensStream.received.map((d) => d.event.type)).not.toContain('room.left')
  })

  it('public room names are unique whatever their case; a private room may share one', async () => {
    const alice = await createUser('Alice')
    const bob = await createUser('Bob')
    const name = testRoomName('General')
    await callerFor(alice).room.create({ name })
    await expect(callerFor(bob).room.create({ name: name.toLowerCase() })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `A public room called “${name.toLowerCase()}” exists already: join it from Browse, or pick another name.`,
    })
    const browsed = (await callerFor(bob).room.browse()).filter((room) => room.name.toLowerCase() === name.toLowerCase())
    expect(browsed).toHaveLength(1)
    expect((await callerFor(bob).room.create({ name, visibility: 'private' })).isPublic).toBe(false)
  })
})

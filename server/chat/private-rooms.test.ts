import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { callerFor, createUser, setupTestDatabase } from '../testing/database.ts'
import { readEvents, waitFor } from '../testing/event-streams.ts'

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
  for (const call of refused) await expect(call()).rejects.toMatchObject({ code: 'FORBIDDEN' })
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
    const lobby = await callerFor(alice).room.create({ name: 'lobby' })
    for (const user of [bob, eve]) await callerFor(user).room.join({ roomId: lobby.id })
    const secret = await callerFor(alice).room.create({ name: 'secret', visibility: 'private' })
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
    const lobby = await callerFor(alice).room.create({ name: 'lobby' })
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
})

import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { callerFor, createUser, setupTestDatabase, testRoomName } from '../testing/database.ts'
import { readEvents } from '../testing/event-streams.ts'
import { waitFor } from '../testing/wait-for.ts'
import type { ChatMessage } from './types.ts'

setupTestDatabase()

async function roomWithMessage() {
  const alice = await createUser('Alice')
  const bob = await createUser('Bob')
  const room = await callerFor(alice).room.create({ name: testRoomName('changes') })
  await callerFor(bob).room.join({ roomId: room.id })
  const message = await callerFor(alice).message.send({ roomId: room.id, text: 'first draft', clientId: randomUUID() })
  return { alice, bob, room, message }
}

const latest = async (user: { id: string; name: string; email: string }, roomId: string): Promise<ChatMessage> => (await callerFor(user).message.history({ roomId })).messages.at(-1)!

describe('editing, deleting and reacting', () => {
  it('an edit reaches members live and on resume, and history shows it edited', async () => {
    const { alice, bob, room, message } = await roomWithMessage()
    const live = readEvents(bob.id)
    await waitFor(live.ready)
    const beforeEdit = live.received.at(-1)!.cursor

    const edited = await callerFor(alice).message.edit({ messageId: message.id, text: 'final text' })
    expect(edited).toMatchObject({ id: message.id, seq: message.seq, text: 'final text', revision: 1 })
    expect(edited.editedAt).not.toBeNull()
    await waitFor(() => live.events('message.updated').map((event) => event.message).length === 1)
    expect(live.events('message.updated').map((event) => event.message)[0]).toMatchObject({ id: message.id, text: 'final text', revision: 1 })
    await live.stop()

    const resumed = readEvents(bob.id, beforeEdit)
    await waitFor(resumed.ready)
    expect(resumed.events('message.updated').map((event) => event.message).map((m) => m.text)).toEqual(['final text'])
    await resumed.stop()
    expect(await latest(bob, room.id)).toMatchObject({ text: 'final text', revision: 1 })
  })

  it('only the author edits or deletes, only members react, and a refusal changes nothing', async () => {
    const { alice, bob, room, message } = await roomWithMessage()
    const outsider = await createUser('Outsider')
    await expect(callerFor(bob).message.edit({ messageId: message.id, text: 'hijacked' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(callerFor(bob).message.delete({ messageId: message.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(callerFor(outsider).message.react({ messageId: message.id, emoji: '👍', on: true })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(callerFor(outsider).message.edit({ messageId: message.id, text: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(callerFor(null).message.react({ messageId: message.id, emoji: '👍', on: true })).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    await expect(callerFor(bob).message.react({ messageId: message.id, emoji: 'lol', on: true })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    await expect(callerFor(alice).message.edit({ messageId: message.id, text: '   ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    await expect(callerFor(alice).message.edit({ messageId: randomUUID(), text: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await latest(alice, room.id)).toMatchObject({ text: 'first draft', revision: 0, reactions: [], editedAt: null })
  })

  it('reactions count per emoji, toggle on and off, and a repeat changes nothing', async () => {
    const { alice, bob, room, message } = await roomWithMessage()
    await callerFor(bob).message.react({ messageId: message.id, emoji: '👍', on: true })
    await callerFor(alice).message.react({ messageId: message.id, emoji: '👍', on: true })
    const repeat = await callerFor(alice).message.react({ messageId: message.id, emoji: '👍', on: true })
    expect(repeat.revision).toBe(2)
    await callerFor(alice).message.react({ messageId: message.id, emoji: '🎉', on: true })
    expect((await latest(bob, room.id)).reactions).toEqual([
      { emoji: '👍', userIds: [bob.id, alice.id] },
      { emoji: '🎉', userIds: [alice.id] },
    ])
    const removed = await callerFor(bob).message.react({ messageId: message.id, emoji: '👍', on: false })
    expect(removed.reactions).toEqual([
      { emoji: '👍', userIds: [alice.id] },
      { emoji: '🎉', userIds: [alice.id] },
    ])
  })

  it('a deleted message keeps its seq as "deleted", without text or reactions, and cannot be edited', async () => {
    const { alice, bob, room, message } = await roomWithMessage()
    await callerFor(bob).message.react({ messageId: message.id, emoji: '👍', on: true })
    const deleted = await callerFor(alice).message.delete({ messageId: message.id })
    expect(deleted).toMatchObject({ seq: message.seq, text: '', reactions: [] })
    expect(deleted.deletedAt).not.toBeNull()
    await expect(callerFor(alice).message.edit({ messageId: message.id, text: 'back' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(callerFor(bob).message.react({ messageId: message.id, emoji: '👍', on: true })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(await latest(bob, room.id)).toMatchObject({ seq: message.seq, text: '', reactions: [] })
  })
})

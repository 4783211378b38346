import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { callerFor, createUser, setupTestDatabase, sharedRoom, testRoomName } from '../testing/database.ts'
import { readEvents } from '../testing/event-streams.ts'
import { waitFor } from '../testing/wait-for.ts'
import { mentions } from './mentions.ts'

setupTestDatabase()

const send = (user: { id: string; name: string; email: string }, roomId: string, text: string) => callerFor(user).message.send({ roomId, text, clientId: randomUUID() })
const listed = async (user: { id: string; name: string; email: string }, roomId: string) => (await callerFor(user).room.list()).find((room) => room.id === roomId)!

describe('unread counts, read markers and mentions', () => {
  it('counts messages from others after the marker, and the ones naming the member; a joiner starts with nothing unread', async () => {
    const alice = await createUser('Alice')
    const bob = await createUser('Bob Stone')
    const room = await callerFor(alice).room.create({ name: testRoomName('unread') })
    await send(alice, room.id, 'before Bob joined')
    await callerFor(bob).room.join({ roomId: room.id })
    expect(await listed(bob, room.id)).toMatchObject({ unread: 0, mentions: 0, lastReadSeq: 1 })

    await send(alice, room.id, 'one')
    const naming = await send(alice, room.id, 'hey @bob stone, look')
    await send(alice, room.id, 'mail me at alice@Bob Stone.example') // inside a word: not a mention
    await send(bob, room.id, 'my own message never counts')
    expect(naming.mentions).toEqual([bob.id])
    expect(await listed(bob, room.id)).toMatchObject({ unread: 3, mentions: 1 })
    expect(await listed(alice, room.id)).toMatchObject({ unread: 1, mentions: 0 })

    const deleted = await send(alice, room.id, 'soon gone')
    await callerFor(alice).message.delete({ messageId: deleted.id })
    expect(await listed(bob, room.id)).toMatchObject({ unread: 3 })

    expect(await callerFor(bob).room.markRead({ roomId: room.id, seq: naming.seq })).toBe(naming.seq)
    expect(await listed(bob, room.id)).toMatchObject({ unread: 1, mentions: 0 })
    // Never backwards, never past the room's last message.
    expect(await callerFor(bob).room.markRead({ roomId: room.id, seq: 1 })).toBe(naming.seq)
    const lastSeq = deleted.seq
    expect(await callerFor(bob).room.markRead({ roomId: room.id, seq: 10_000 })).toBe(lastSeq)
    expect(await listed(bob, room.id)).toMatchObject({ unread: 0, mentions: 0 })
  })

  it('tells the reader’s other tabs, nobody else; outsiders cannot mark a room read', async () => {
    const { alice, bob, outsider, room } = await sharedRoom('tabs')
    const sent = await send(alice, room.id, 'read me')
    const [bobTab, aliceTab] = [readEvents(bob.id), readEvents(alice.id)]
    await waitFor(() => bobTab.ready() && aliceTab.ready())

    await callerFor(bob).room.markRead({ roomId: room.id, seq: sent.seq })
    await expect(callerFor(outsider).room.markRead({ roomId: room.id, seq: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await waitFor(() => bobTab.events('room.read').length > 0)
    await new Promise((resolve) => setTimeout(resolve, 100))
    await Promise.all([bobTab.stop(), aliceTab.stop()])
    expect(bobTab.events('room.read')).toEqual([{ type: 'room.read', roomId: room.id, lastReadSeq: sent.seq }])
    expect(aliceTab.events('room.read')).toEqual([])
  })
})

describe('mentions', () => {
  it('matches @Name case-insensitively, with spaces in names, not inside words or other names', () => {
    expect(mentions('hi @ana', 'Ana')).toBe(true)
    expect(mentions('@Ana Lopez: ping', 'Ana Lopez')).toBe(true)
    expect(mentions('(@ana)', 'Ana')).toBe(true)
    expect(mentions('ana@ana.com', 'Ana')).toBe(false)
    expect(mentions('hi @anabel', 'Ana')).toBe(false)
    expect(mentions('hi ana', 'Ana')).toBe(false)
    expect(mentions('cost @a.b', 'a+b')).toBe(false)
  })
})

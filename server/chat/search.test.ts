import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { callerFor, createUser, setupTestDatabase, testRoomName } from '../testing/database.ts'
import { toPrefixQuery } from './search.ts'

setupTestDatabase()

describe('search', () => {
  it('finds a room’s messages containing every word (as prefixes), newest first, never deleted ones or other rooms’', async () => {
    const alice = await createUser('Alice')
    const room = await callerFor(alice).room.create({ name: testRoomName('search') })
    const elsewhere = await callerFor(alice).room.create({ name: testRoomName('elsewhere') })
    const send = (roomId: string, text: string) => callerFor(alice).message.send({ roomId, text, clientId: randomUUID() })
    const old = await send(room.id, 'The deployment of Relay went fine')
    await send(room.id, 'lunch?')
    const newer = await send(room.id, 'Another deploy of relay tomorrow')
    const gone = await send(room.id, 'deploy relay secret')
    await callerFor(alice).message.delete({ messageId: gone.id })
    await send(elsewhere.id, 'deploy relay elsewhere')

    const hits = await callerFor(alice).message.search({ roomId: room.id, query: 'Depl RELAY' })
    expect(hits.map((message) => message.seq)).toEqual([newer.seq, old.seq])
    expect(await callerFor(alice).message.search({ roomId: room.id, query: 'deploy & | ! :* (' })).toHaveLength(2)
    expect(await callerFor(alice).message.search({ roomId: room.id, query: '!!!' })).toEqual([])
  })

  it('is for members only, and refuses an empty or oversized query', async () => {
    const alice = await createUser('Alice')
    const outsider = await createUser('Outsider')
    const room = await callerFor(alice).room.create({ name: testRoomName('private-ish') })
    await expect(callerFor(outsider).message.search({ roomId: room.id, query: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(callerFor(alice).message.search({ roomId: room.id, query: '   ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    await expect(callerFor(alice).message.search({ roomId: room.id, query: 'x'.repeat(201) })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
  })

  it('turns any input into a safe prefix query', () => {
    expect(toPrefixQuery("it's O'Brien & co")).toBe('it:* & s:* & o:* & brien:* & co:*')
    expect(toPrefixQuery('日本語 テスト')).toBe('日本語:* & テスト:*')
    expect(toPrefixQuery(':* | !')).toBeUndefined()
  })
})

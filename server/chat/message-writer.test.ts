import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { db } from '../db/client.ts'
import { callerFor, createUser, setupTestDatabase } from '../testing/database.ts'
import type { ChatMessage } from './types.ts'

setupTestDatabase()

describe('group commit (message-writer.ts)', () => {
  it('stores sends that arrive together in shared commits, with contiguous seqs per room, and turns away only the outsider and the twin', async () => {
    const members = await Promise.all(['Ana', 'Ben', 'Cy'].map((name) => createUser(name)))
    const outsider = await createUser('Olga')
    const rooms = await Promise.all([1, 2].map((n) => callerFor(members[0]!).room.create({ name: `batch ${n} ${randomUUID().slice(0, 6)}` })))
    for (const member of members.slice(1)) for (const room of rooms) await callerFor(member).room.join({ roomId: room.id })

    const twinId = randomUUID()
    const sends: Promise<ChatMessage>[] = []
    for (let i = 0; i < 60; i++) {
      const author = members[i % 3]!
      sends.push(callerFor(author).message.send({ roomId: rooms[i % 2]!.id, text: i === 7 ? `hi @Cy ${i}` : `batched ${i}`, clientId: randomUUID() }))
    }
    const twins = [0, 1].map(() => callerFor(members[0]!).message.send({ roomId: rooms[0]!.id, text: 'twin', clientId: twinId }))
    // Settled at once, so its rejection is never left unhandled while the others are awaited.
    const refused = callerFor(outsider).message.send({ roomId: rooms[0]!.id, text: 'let me in', clientId: randomUUID() }).then(() => undefined, (error: unknown) => error)

    const stored = await Promise.all(sends)
    const [twinA, twinB] = await Promise.all(twins)
    expect(await refused).toMatchObject({ code: 'FORBIDDEN' })
    expect(twinA!.id).toBe(twinB!.id)

    for (const room of rooms) {
      const rows = await db().message.findMany({ where: { roomId: room.id }, orderBy: { seq: 'asc' }, select: { seq: true, pos: true, authorId: true, createdAt: true } })
      expect(rows).toHaveLength(room === rooms[0] ? 31 : 30)
      expect(rows.map((row) => row.seq)).toEqual(rows.map((_, i) => i + 1))
      // Seq order is position order: a resume cursor never skips an earlier message.
      expect(rows.every((row, i) => i === 0 || row.pos > rows[i - 1]!.pos)).toBe(true)
      expect(rows.some((row) => row.authorId === outsider.id)).toBe(false)
      // Sent in one turn, stored in a few transactions (one timestamp each), not one per send.
      expect(new Set(rows.map((row) => row.createdAt.getTime())).size).toBeLessThanOrEqual(4)
    }
    const mentioning = stored[7]!
    expect(mentioning.mentions).toEqual([members[2]!.id])
    expect(await db().messageMention.count({ where: { messageId: mentioning.id } })).toBe(1)
    // Each answer is the row that was stored.
    for (const message of stored) {
      const row = await db().message.findUniqueOrThrow({ where: { id: message.id }, select: { seq: true, text: true, roomId: true } })
      expect(row).toEqual({ seq: message.seq, text: message.text, roomId: message.roomId })
    }
  })
})

import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { db } from '../db/client.ts'
import { callerFor, createUser, setupTestDatabase, sharedRoom, testRoomName } from '../testing/database.ts'
import { readEvents } from '../testing/event-streams.ts'
import type { ChatMessage } from '../chat/types.ts'
import { waitFor } from '../testing/wait-for.ts'

setupTestDatabase()

/** Reads a user's stream in the background until stopped; records every event with its cursor. */
function subscribe(userId: string, lastEventId?: number, options?: { capacity: number }) {
  const stream = readEvents(userId, lastEventId, options)
  return {
    ...stream,
    messages: () => stream.events('message').map((event) => event.message),
    waitReady: () => waitFor(stream.ready),
  }
}


const send = (user: Awaited<ReturnType<typeof createUser>>, roomId: string, text: string) =>
  callerFor(user).message.send({ roomId, text, clientId: randomUUID() })

describe('events.stream', () => {
  it('delivers live messages of the caller’s rooms and nothing of other rooms', async () => {
    const { alice, bob, room } = await sharedRoom()
    const outsider = await createUser('Outsider')
    const secret = await callerFor(outsider).room.create({ name: testRoomName('elsewhere') })

    const bobStream = subscribe(bob.id)
    await bobStream.waitReady()
    await send(outsider, secret.id, 'not for bob')
    const sent = await send(alice, room.id, 'for bob')
    await waitFor(() => bobStream.messages().length >= 1)
    await send(outsider, secret.id, 'still not for bob')
    const marker = await send(alice, room.id, 'marker')
    await waitFor(() => bobStream.messages().some((m) => m.id === marker.id))
    await bobStream.stop()

    expect(bobStream.messages().map((m) => m.id)).toEqual([sent.id, marker.id])
  })

  it('is served by its transports only: through the router it needs a session and valid input, then says where it is served', async () => {
    await expect(callerFor(null).events.stream({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    await expect(callerFor(await createUser()).events.stream({ lastEventId: 'abc' })).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    const stream = await callerFor(await createUser()).events.stream({})
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'METHOD_NOT_SUPPORTED' })
  })

  it('on resume replays exactly what was missed, then continues live', async () => {
    const { alice, bob, room } = await sharedRoom()
    const first = subscribe(bob.id)
    await first.waitReady()
    const before = await send(alice, room.id, 'before')
    await waitFor(() => first.messages().length === 1)
    const cursor = first.cursor()!
    await first.stop()

    const missed: ChatMessage[] = []
    for (let i = 0; i < 7; i++) missed.push(await send(alice, room.id, `missed ${i}`))

    const resumed = subscribe(bob.id, cursor)
    await resumed.waitReady()
    const after = await send(alice, room.id, 'after')
    await waitFor(() => resumed.messages().some((m) => m.id === after.id))
    await resumed.stop()

    expect(first.messages().map((m) => m.id)).toEqual([before.id])
    expect(resumed.messages().map((m) => m.id)).toEqual([...missed.map((m) => m.id), after.id])
  })

  it('delivers a room joined while subscribed from the join on, and stops after leaving', async () => {
    const alice = await createUser('Alice')
    const bob = await createUser('Bob')
    const room = await callerFor(alice).room.create({ name: testRoomName('later') })
    await send(alice, room.id, 'before bob joined')
    const stream = subscribe(bob.id)
    await stream.waitReady()
    await callerFor(bob).room.join({ roomId: room.id })
    const welcome = await send(alice, room.id, 'welcome')
    await waitFor(() => stream.messages().length === 1)
    await callerFor(bob).room.leave({ roomId: room.id })
    await waitFor(() => stream.received.some((d) => d.event.type === 'room.left'))
    await send(alice, room.id, 'after bob left')
    const other = await callerFor(bob).room.create({ name: testRoomName('bob’s own') })
    const own = await send(bob, other.id, 'own')
    await waitFor(() => stream.messages().some((m) => m.id === own.id))
    await stream.stop()

    expect(stream.messages().map((m) => m.text)).toEqual([welcome.text, 'own'])
    expect(stream.received.map((d) => d.event.type)).toEqual(['ready', 'room.joined', 'message', 'room.left', 'room.joined', 'message'])
  })

  it('cuts off a subscriber that stops reading; resuming from its last event id loses nothing', async () => {
    const { alice, bob, room } = await sharedRoom()
    // A tab that takes 10 events and reads no more (its socket's buffer is full).
    const stalled = subscribe(bob.id, undefined, { capacity: 10 })
    await stalled.waitReady()
    const sent: ChatMessage[] = []
    for (let i = 0; i < 25; i++) sent.push(await send(alice, room.id, `burst ${i}`))

    // The stream ends instead of buffering without end.
    expect(await stalled.ended).toEqual({ reason: 'fell-behind' })
    const received = stalled.received
    expect(received).toHaveLength(10)

    const resumed = subscribe(bob.id, received.at(-1)!.cursor)
    await resumed.waitReady()
    await resumed.stop()
    const all = [...stalled.messages(), ...resumed.messages()]
    expect(all.map((m) => m.id)).toEqual(sent.map((m) => m.id))
  })

  it('concurrent writers: 20 senders × 50 messages get seqs 1..1000; a resuming subscriber sees each once, in order', async () => {
    const owner = await createUser('Owner')
    const room = await callerFor(owner).room.create({ name: testRoomName('busy') })
    const senders = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser(`Sender ${i}`)))
    await Promise.all(senders.map((sender) => callerFor(sender).room.join({ roomId: room.id })))
    const reader = await createUser('Reader')
    await callerFor(reader).room.join({ roomId: room.id })

    // The reader drops its stream after every 60 messages and resumes from its last cursor.
    const collected: ChatMessage[] = []
    let resumes = 0
    const giveUp = new AbortController()
    const reading = (async () => {
      let cursor: number | undefined
      while (!giveUp.signal.aborted) {
        const stream = subscribe(reader.id, cursor)
        const wanted = Math.min(1000 - collected.length, 60)
        while (!giveUp.signal.aborted && stream.messages().length < wanted) await new Promise((resolve) => setTimeout(resolve, 1))
        await stream.stop()
        collected.push(...stream.messages())
        cursor = stream.cursor() ?? cursor
        if (collected.length >= 1000) return
        resumes += 1
        // Stay away while at least 20 more messages are stored, so the resume has a backlog to replay.
        const target = Math.min(1000, collected.length + 20)
        while (!giveUp.signal.aborted && (await db().message.count({ where: { roomId: room.id } })) < target) {
          await new Promise((resolve) => setImmediate(resolve)) // let the senders' macrotasks run
        }
      }
    })()

    await Promise.all(
      senders.map(async (sender) => {
        for (let i = 0; i < 50; i++) await send(sender, room.id, `${sender.name} #${i}`)
      }),
    )
    // Delivery after the last send is quick; a reader still short of 1,000 by then has lost some.
    const deadline = setTimeout(() => giveUp.abort(), 10_000)
    await reading
    clearTimeout(deadline)

    const stored = await db().message.findMany({ where: { roomId: room.id }, orderBy: { seq: 'asc' }, select: { seq: true } })
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1))
    expect(resumes).toBeGreaterThanOrEqual(3)
    expect(collected.map((m) => m.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1))
    // Each sender's own messages arrive in the order they were sent.
    for (const sender of senders) {
      const texts = collected.filter((m) => m.author.id === sender.id).map((m) => m.text)
      expect(texts).toEqual(Array.from({ length: 50 }, (_, i) => `${sender.name} #${i}`))
    }
  })
})

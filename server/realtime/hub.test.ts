import { describe, expect, it } from 'vitest'
import { Hub, type HubFeed } from './hub.ts'
import { OrderedStream, type StreamItem } from './ordered-stream.ts'
import { chatMessage } from '../testing/chat-message.ts'

const emptySource = { eventsInRange: async () => [], headPosition: async () => 0 }

/** A feed that records what the hub hands it; its rooms are whatever the test puts in `rooms`. */
function feed(userId: string): HubFeed & { taken: StreamItem[]; rooms: Set<string> } {
  const taken: StreamItem[] = []
  const rooms = new Set<string>()
  return { userId, taken, rooms, roomIds: () => rooms, take: (item) => void taken.push(item) }
}

/** The feed's rooms are read: it is filed under them. */
function index(hub: Hub, target: ReturnType<typeof feed>, roomIds: readonly string[]): void {
  for (const roomId of roomIds) target.rooms.add(roomId)
  hub.index(target)
}

const message = (roomId: string, seq: number) => chatMessage(seq, { roomId, text: 'hi' })

function setup() {
  const stream = new OrderedStream({ startPos: 0, source: emptySource, pollMs: 0 })
  let pos = 0
  return {
    hub: new Hub(stream),
    send: (roomId: string) => stream.acceptPositioned({ pos: ++pos, type: 'message', message: message(roomId, pos) }),
    joined: (userId: string, roomId: string) => stream.acceptPositioned({ pos: ++pos, type: 'room.joined', userId, room: { id: roomId, name: roomId, isPublic: true, lastSeq: 0 } }),
    left: (userId: string, roomId: string) => stream.acceptPositioned({ pos: ++pos, type: 'room.left', userId, roomId }),
    live: (item: Parameters<OrderedStream['acceptLive']>[0]) => stream.acceptLive(item),
  }
}

describe('Hub', () => {
  it('hands a room’s event to that room’s feeds only, however many other feeds the instance has', () => {
    const { hub, send } = setup()
    const others = Array.from({ length: 1_000 }, (_, i) => feed(`user-${i}`))
    others.forEach((other, i) => {
      hub.add(other)
      index(hub, other, [`room-${i % 100}`])
    })
    const members = Array.from({ length: 5 }, (_, i) => feed(`member-${i}`))
    for (const member of members) {
      hub.add(member)
      index(hub, member, ['small', 'room-1'])
    }

    send('small')
    expect(members.map((member) => member.taken.length)).toEqual([1, 1, 1, 1, 1])
    expect(others.reduce((sum, other) => sum + other.taken.length, 0)).toBe(0)
    send('room-7')
    expect(others.filter((other) => other.taken.length > 0).map((other) => other.userId)).toEqual(
      others.filter((_, i) => i % 100 === 7).map((other) => other.userId),
    )
  })

  it('gives a feed everything until its rooms are known, then follows its joins and leaves', () => {
    const { hub, send, joined, left, live } = setup()
    const ana = feed('ana')
    hub.add(ana)
    send('elsewhere')
    expect(ana.taken).toHaveLength(1)
    index(hub, ana, ['lobby'])
    send('elsewhere')
    send('lobby')
    expect(ana.taken).toHaveLength(2)

    // Her own join reaches her (by user), and once she is filed under the room, its messages do.
    joined('ana', 'new')
    expect(ana.taken.at(-1)).toMatchObject({ type: 'room.joined', userId: 'ana' })
    ana.rooms.add('new')
    hub.enter(ana, 'new')
    send('new')
    expect(ana.taken.at(-1)).toMatchObject({ type: 'message', message: { roomId: 'new' } })
    left('ana', 'new')
    ana.rooms.delete('new')
    hub.leave(ana, 'new')
    const before = ana.taken.length
    send('new')
    expect(ana.taken).toHaveLength(before)

    // Someone else's join, read marker or leave is not hers.
    joined('ben', 'lobby')
    live({ type: 'room.read', userId: 'ben', roomId: 'lobby', lastReadSeq: 1 })
    left('ben', 'lobby')
    expect(ana.taken).toHaveLength(before)
  })

  it('hands presence to each feed in any of the user’s rooms once, typing to the room, and forgets removed feeds', () => {
    const { hub, send, live } = setup()
    const ana = feed('ana')
    const ben = feed('ben')
    const cy = feed('cy')
    for (const [who, rooms] of [
      [ana, ['a', 'b']],
      [ben, ['b']],
      [cy, ['c']],
    ] as const) {
      hub.add(who)
      index(hub, who, rooms)
    }
    live({ type: 'presence', userId: 'dee', online: true, roomIds: ['a', 'b'] })
    expect([ana.taken.length, ben.taken.length, cy.taken.length]).toEqual([1, 1, 0])
    live({ type: 'typing', roomId: 'c', user: { id: 'dee', name: 'Dee' }, active: true })
    expect([ana.taken.length, ben.taken.length, cy.taken.length]).toEqual([1, 1, 1])

    hub.remove(ben)
    send('b')
    expect([ana.taken.length, ben.taken.length]).toEqual([2, 1])
  })
})

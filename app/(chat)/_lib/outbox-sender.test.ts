import { TRPCClientError } from '@trpc/client'
import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '@/server/chat/types'
import { memoryOutbox, type Outbox, type OutboxEntry } from './outbox'
import { OutboxSender } from './outbox-sender'

/** A stand-in for message.send that, like the server, stores each clientId once. */
function fakeServer() {
  const stored = new Map<string, ChatMessage>()
  let failure: 'network' | undefined
  const refused = new Map<string, string>()
  const broken = new Set<string>()
  const calls: string[] = []
  let inFlight = 0
  let maxInFlight = 0
  return {
    stored: () => [...stored.values()].map((message) => message.text),
    calls,
    maxInFlight: () => maxInFlight,
    goDown: () => void (failure = 'network'),
    comeBack: () => void (failure = undefined),
    refuse: (roomId: string, message: string) => void refused.set(roomId, message),
    /** Fails on this text with a server error, as a bug on the server would, every time. */
    breakOn: (text: string) => void broken.add(text),
    async send(entry: OutboxEntry): Promise<ChatMessage> {
      calls.push(entry.text)
      maxInFlight = Math.max(maxInFlight, ++inFlight)
      await new Promise((resolve) => setTimeout(resolve, 2))
      inFlight--
      if (failure) throw new TypeError('Failed to fetch')
      if (broken.has(entry.text)) {
        const message = 'Something went wrong on the server (reference 0badf00d).'
        throw new TRPCClientError(message, { result: { error: { message, code: -32603, data: { code: 'INTERNAL_SERVER_ERROR' } } } })
      }
      const reason = refused.get(entry.roomId)
      if (reason) throw new TRPCClientError(reason, { result: { error: { message: reason, code: -32603, data: { code: 'FORBIDDEN' } } } })
      const existing = stored.get(entry.clientId)
      if (existing) return existing
      const message: ChatMessage = { id: entry.clientId, roomId: entry.roomId, seq: stored.size + 1, text: entry.text, clientId: entry.clientId, author: { id: 'me', name: 'Me' }, createdAt: new Date().toISOString(), editedAt: null, deletedAt: null, reactions: [], mentions: [], revision: 0 }
      stored.set(entry.clientId, message)
      return message
    },
  }
}

function senderFor(server: ReturnType<typeof fakeServer>, outbox: Outbox = memoryOutbox()) {
  const sender = new OutboxSender({ outbox, lockName: 'test', send: (entry) => server.send(entry), onStored: () => {}, onChange: () => {} })
  sender.start()
  return sender
}

const until = async (condition: () => boolean | Promise<boolean>) => {
  const deadline = Date.now() + 5_000
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('OutboxSender', () => {
  it('sends in the order typed, one at a time, and empties the outbox once stored', async () => {
    const server = fakeServer()
    const outbox = memoryOutbox()
    const sender = senderFor(server, outbox)
    for (const text of ['a', 'b', 'c', 'd']) sender.add('room', text)
    expect(sender.pending('room').map((item) => item.text)).toEqual(['a', 'b', 'c', 'd'])
    await until(() => server.stored().length === 4)
    expect(server.stored()).toEqual(['a', 'b', 'c', 'd'])
    expect(server.maxInFlight()).toBe(1)
    await until(async () => (await outbox.list()).length === 0)
    expect(sender.pending('room')).toEqual([])
  })

  it('keeps the queue through a network failure, shows it waiting, and retries by itself without overtaking', async () => {
    const server = fakeServer()
    server.goDown()
    const sender = senderFor(server)
    sender.add('room', 'first')
    sender.add('room', 'second')
    await until(() => sender.pending('room').every((item) => item.status === 'waiting'))
    expect(server.stored()).toEqual([])
    // Only the head of the queue was tried: a later message never goes before an earlier one.
    expect(new Set(server.calls)).toEqual(new Set(['first']))

    server.comeBack()
    await until(() => server.stored().length === 2)
    expect(server.stored()).toEqual(['first', 'second'])
  })

  it('marks a refused message failed with the server’s words and goes on with the rest', async () => {
    const server = fakeServer()
    server.refuse('closed', 'Join this room to read and send its messages.')
    const sender = senderFor(server)
    sender.add('closed', 'refused')
    sender.add('open', 'goes through')
    await until(() => server.stored().length === 1)
    expect(server.stored()).toEqual(['goes through'])
    expect(sender.pending('closed')).toMatchObject([{ text: 'refused', status: 'failed', cancellable: true, error: 'Join this room to read and send its messages.' }])

    server.refuse('closed', '')
    sender.retry(sender.pending('closed')[0]!.clientId)
    await until(() => server.stored().length === 2)
    expect(sender.pending('closed')).toEqual([])
  })

  it('sets aside a message the server keeps failing on, with the reference it gave, and goes on with the rest', async () => {
    const server = fakeServer()
    server.breakOn('breaks the server')
    const sender = senderFor(server)
    sender.add('room', 'breaks the server')
    sender.add('room', 'goes through after it')
    const attempts = () => server.calls.filter((text) => text === 'breaks the server').length
    // Each attempt waits out a backoff; waking the sender (as coming back online does) tries again now.
    for (let tried = 1; tried < 5; tried++) {
      await until(() => attempts() >= tried)
      sender.wake()
    }
    await until(() => server.stored().length === 1)
    expect(server.stored()).toEqual(['goes through after it'])
    expect(attempts()).toBe(5)
    expect(sender.pending('room')).toMatchObject([{ text: 'breaks the server', status: 'failed', error: 'Something went wrong on the server (reference 0badf00d).' }])
  })

  it('never sends a message cancelled while queued', async () => {
    const server = fakeServer()
    server.goDown()
    const outbox = memoryOutbox()
    const sender = senderFor(server, outbox)
    sender.add('room', 'keep me')
    sender.add('room', 'take me back')
    await until(() => sender.pending('room').every((item) => item.status === 'waiting'))
    sender.cancel(sender.pending('room')[1]!.clientId)
    expect(sender.pending('room').map((item) => item.text)).toEqual(['keep me'])
    server.comeBack()
    sender.wake()
    await until(() => server.stored().length === 1)
    await until(async () => (await outbox.list()).length === 0)
    expect(server.stored()).toEqual(['keep me'])
    expect(server.calls).not.toContain('take me back')
  })

  it('after a reload, sends what the outbox holds with the same clientIds: a send that had reached the server is stored once', async () => {
    const server = fakeServer()
    const outbox = memoryOutbox()
    const stored = await server.send({ clientId: crypto.randomUUID(), roomId: 'room', text: 'reached the server', createdAt: 1, order: 1 })
    // The first tab wrote both, sent the first, and closed before its answer came back.
    await outbox.put({ clientId: stored.clientId, roomId: 'room', text: 'reached the server', createdAt: 1, order: 1 })
    await outbox.put({ clientId: crypto.randomUUID(), roomId: 'room', text: 'never left', createdAt: 2, order: 2 })

    senderFor(server, outbox)
    await until(async () => (await outbox.list()).length === 0)
    expect(server.stored()).toEqual(['reached the server', 'never left'])
  })

  it('drops an entry the live stream showed as stored, without sending it', async () => {
    const server = fakeServer()
    server.goDown()
    const outbox = memoryOutbox()
    const sender = senderFor(server, outbox)
    sender.add('room', 'seen live')
    await until(() => sender.pending('room')[0]?.status === 'waiting')
    const [item] = sender.pending('room')
    sender.acknowledge({ id: 'x', roomId: 'room', seq: 1, text: 'seen live', clientId: item!.clientId, author: { id: 'me', name: 'Me' }, createdAt: new Date().toISOString(), editedAt: null, deletedAt: null, reactions: [], mentions: [], revision: 0 })
    expect(sender.pending('room')).toEqual([])
    await until(async () => (await outbox.list()).length === 0)
  })

  it('two tabs flushing one outbox store every message once, in order', async () => {
    const server = fakeServer()
    server.goDown()
    const outbox = memoryOutbox()
    const first = senderFor(server, outbox)
    for (const text of ['1', '2', '3', '4', '5']) first.add('room', text)
    await until(async () => (await outbox.list()).length === 5)
    const second = senderFor(server, outbox)
    await until(() => second.pending('room').length === 5)

    server.comeBack()
    first.wake()
    second.wake()
    await until(async () => (await outbox.list()).length === 0 && server.stored().length === 5)
    expect(server.stored()).toEqual(['1', '2', '3', '4', '5'])
  })
})

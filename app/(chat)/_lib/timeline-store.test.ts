import { randomUUID } from 'node:crypto'
import { createTRPCClient, unstable_localLink } from '@trpc/client'
import { describe, expect, it } from 'vitest'
import type { SessionUser } from '@/server/auth'
import { callerFor, createUser, setupTestDatabase } from '@/server/testing/database'
import { appRouter, type AppRouter } from '@/server/trpc/root'
import { memoryOutbox } from './outbox'
import { TimelineStore, type ChatClient } from './timeline-store'

setupTestDatabase()

/** The browser's client over the real router and database (in process instead of over HTTP). */
const clientFor = (user: SessionUser) =>
  createTRPCClient<AppRouter>({ links: [unstable_localLink({ router: appRouter, createContext: async () => ({ user, headers: new Headers() }) })] })

const storeFor = (user: SessionUser, client: ChatClient = clientFor(user)) => {
  const store = new TimelineStore(client, { userId: user.id, outbox: memoryOutbox() })
  store.start()
  return store
}

/** The real client, except that history pages asking for a gap (beforeSeq) wait until `open()`. */
function gatedClient(user: SessionUser) {
  const real = clientFor(user)
  let open: () => void = () => {}
  let gate = new Promise<void>((resolve) => (open = resolve))
  const client: ChatClient = {
    message: {
      send: real.message.send,
      history: {
        query: async (input, options) => {
          if (input.beforeSeq !== undefined) await gate
          return real.message.history.query(input, options)
        },
      },
    },
  }
  return {
    client,
    open: () => open(),
    close: () => void (gate = new Promise<void>((resolve) => (open = resolve))),
  }
}

const until = async (condition: () => boolean) => {
  const deadline = Date.now() + 5_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const texts = (store: TimelineStore, roomId: string) => store.get(roomId).confirmed.map((m) => m.text)

describe('TimelineStore', () => {
  it('holds a live message beyond a gap, fetches the gap and then shows all of them in order', async () => {
    const ada = await createUser('Ada')
    const room = await callerFor(ada).room.create({ name: 'gaps' })
    const send = (text: string) => callerFor(ada).message.send({ roomId: room.id, text, clientId: randomUUID() })
    for (let i = 1; i <= 3; i++) await send(`m${i}`)

    const gated = gatedClient(ada)
    const store = storeFor(ada, gated.client)
    await store.loadLatest(room.id)
    expect(texts(store, room.id)).toEqual(['m1', 'm2', 'm3'])

    // Four messages this tab never saw live, then one it did: held, not shown after a hole.
    for (let i = 4; i <= 7; i++) await send(`m${i}`)
    store.receive(await send('m8'))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(texts(store, room.id)).toEqual(['m1', 'm2', 'm3'])

    gated.open()
    await until(() => store.get(room.id).confirmed.length === 8)
    expect(texts(store, room.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'])
  })

  it('fills a gap longer than a page oldest first and shows each seq once, whichever path brings it', async () => {
    const bea = await createUser('Bea')
    const room = await callerFor(bea).room.create({ name: 'long gap' })
    const send = (text: string) => callerFor(bea).message.send({ roomId: room.id, text, clientId: randomUUID() })
    const first = await send('first')
    const store = storeFor(bea)
    await store.loadLatest(room.id)

    const missed = []
    for (let i = 1; i <= 130; i++) missed.push(await send(`missed ${i}`))
    const last = await send('last')
    // The same messages from live and from history, in any order and more than once.
    store.receive(last)
    store.receive(missed[64]!)
    store.receive(first)
    await until(() => store.get(room.id).confirmed.length === 132)
    store.receive(last)
    store.receive(missed[10]!)
    await store.loadLatest(room.id)

    const seqs = store.get(room.id).confirmed.map((m) => m.seq)
    expect(seqs).toEqual(Array.from({ length: 132 }, (_, i) => i + 1))
    expect(texts(store, room.id).at(-1)).toBe('last')
  })

  it('keeps a send pending while its stored copy is held behind a gap, then shows it once, in place', async () => {
    const cy = await createUser('Cy')
    const room = await callerFor(cy).room.create({ name: 'held send' })
    const gated = gatedClient(cy)
    const store = storeFor(cy, gated.client)
    await store.loadLatest(room.id)

    // Sent from another device: this tab does not see it, so its own send lands after a hole.
    await callerFor(cy).message.send({ roomId: room.id, text: 'from my phone', clientId: randomUUID() })
    store.send(room.id, 'from this tab')
    await until(() => store.get(room.id).pending[0]?.cancellable === false)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(store.get(room.id).confirmed).toEqual([])
    expect(store.get(room.id).pending.map((item) => item.text)).toEqual(['from this tab'])

    gated.open()
    await until(() => store.get(room.id).confirmed.length === 2)
    expect(texts(store, room.id)).toEqual(['from my phone', 'from this tab'])
    expect(store.get(room.id).pending).toEqual([])
  })

  it('reloads a first page whose answer comes after the stream is ready, so what landed in between shows', async () => {
    const ada = await createUser('Ada')
    const room = await callerFor(ada).room.create({ name: 'late first page' })
    const send = (text: string) => callerFor(ada).message.send({ roomId: room.id, text, clientId: randomUUID() })
    await send('m1')
    const real = clientFor(ada)
    let answer: () => void = () => {}
    const answered = new Promise<void>((resolve) => (answer = resolve))
    const client: ChatClient = {
      message: {
        send: real.message.send,
        // The page is read now, but its answer is held back (a slow network).
        history: { query: async (input, options) => real.message.history.query(input, options).then(async (page) => (await answered, page)) },
      },
    }
    const store = storeFor(ada, client)
    const loading = store.loadLatest(room.id)
    await new Promise((resolve) => setTimeout(resolve, 50))
    // m2 lands before the stream listens, so no live event brings it; then the stream is ready.
    await send('m2')
    store.refreshLoaded()
    answer()
    await loading
    await until(() => texts(store, room.id).length === 2)
    expect(texts(store, room.id)).toEqual(['m1', 'm2'])
  })

  it('shows a send as pending, then once as confirmed, even when the live event comes first', async () => {
    const bo = await createUser('Bo')
    const room = await callerFor(bo).room.create({ name: 'pending' })
    const store = storeFor(bo)
    await store.loadLatest(room.id)
    store.send(room.id, 'hello')
    expect(store.get(room.id).pending).toMatchObject([{ text: 'hello', status: 'sending', cancellable: true }])
    await until(() => store.get(room.id).pending.length === 0)
    const [stored] = store.get(room.id).confirmed
    store.receive(stored!)
    expect(texts(store, room.id)).toEqual(['hello'])
    expect(store.get(room.id).pending).toEqual([])
  })

  it('keeps a refused send with its text and clientId; Retry stores it once', async () => {
    const cy = await createUser('Cy')
    const outsider = await createUser('Outsider')
    const room = await callerFor(outsider).room.create({ name: 'not cy’s yet' })
    const store = storeFor(cy)
    store.send(room.id, 'let me in')
    await until(() => store.get(room.id).pending[0]?.status === 'failed')
    expect(store.get(room.id).pending[0]).toMatchObject({ text: 'let me in', error: 'Join this room to read and send its messages.' })

    await callerFor(cy).room.join({ roomId: room.id })
    await store.loadLatest(room.id)
    const clientId = store.get(room.id).pending[0]!.clientId
    store.retry(clientId)
    store.retry(clientId)
    await until(() => store.get(room.id).pending.length === 0)
    const history = await callerFor(cy).message.history({ roomId: room.id })
    expect(history.messages.map((m) => [m.text, m.clientId])).toEqual([['let me in', clientId]])
  })

  it('keeps the room when history cannot be reached, and shows it unavailable only when refused', async () => {
    const di = await createUser('Di')
    const outsider = await createUser('Outsider')
    const room = await callerFor(di).room.create({ name: 'offline' })
    const closed = await callerFor(outsider).room.create({ name: 'closed' })
    const real = clientFor(di)
    let reachable = false
    const client: ChatClient = {
      message: {
        send: real.message.send,
        history: {
          query: async (input, options) => {
            if (!reachable) throw new TypeError('Failed to fetch')
            return real.message.history.query(input, options)
          },
        },
      },
    }
    const store = storeFor(di, client)
    await store.loadLatest(room.id)
    expect(store.get(room.id)).toMatchObject({ offline: true, loaded: false })
    expect(store.get(room.id).loadError).toBeUndefined()

    reachable = true
    await callerFor(di).message.send({ roomId: room.id, text: 'while away', clientId: randomUUID() })
    store.resume()
    await until(() => store.get(room.id).loaded)
    expect(store.get(room.id)).toMatchObject({ offline: false })
    expect(texts(store, room.id)).toEqual(['while away'])

    await store.loadLatest(closed.id)
    expect(store.get(closed.id)).toMatchObject({ offline: false, loadError: { code: 'FORBIDDEN' } })
  })
})

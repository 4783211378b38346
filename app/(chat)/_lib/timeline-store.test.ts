import { randomUUID } from 'node:crypto'
import { createTRPCClient, unstable_localLink } from '@trpc/client'
import { describe, expect, it } from 'vitest'
import type { SessionUser } from '@/server/auth'
import { callerFor, createUser, setupTestDatabase } from '@/server/testing/database'
import { appRouter, type AppRouter } from '@/server/trpc/root'
import { TimelineStore } from './timeline-store'

setupTestDatabase()

/** The browser's store over the real router and database (in process instead of over HTTP). */
const storeFor = (user: SessionUser) =>
  new TimelineStore(createTRPCClient<AppRouter>({ links: [unstable_localLink({ router: appRouter, createContext: async () => ({ user, headers: new Headers(), sessionWatchedByConnection: false }) })] }))

const until = async (condition: () => boolean) => {
  const deadline = Date.now() + 5_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('TimelineStore', () => {
  it('fetches the messages it missed when a later seq shows up, so the timeline has no hole', async () => {
    const ada = await createUser('Ada')
    const room = await callerFor(ada).room.create({ name: 'gaps' })
    const send = (text: string) => callerFor(ada).message.send({ roomId: room.id, text, clientId: randomUUID() })
    for (let i = 1; i <= 3; i++) await send(`m${i}`)

    const store = storeFor(ada)
    await store.loadLatest(room.id)
    expect(store.get(room.id).confirmed.map((m) => m.seq)).toEqual([1, 2, 3])

    // Four messages this tab never saw live, then one it did.
    for (let i = 4; i <= 7; i++) await send(`m${i}`)
    store.receive(await send('m8'))
    await until(() => store.get(room.id).confirmed.length === 8)
    expect(store.get(room.id).confirmed.map((m) => m.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'])
  })

  it('shows a send as pending, then once as confirmed, even when the live event comes first', async () => {
    const bo = await createUser('Bo')
    const room = await callerFor(bo).room.create({ name: 'pending' })
    const store = storeFor(bo)
    await store.loadLatest(room.id)
    store.send(room.id, 'hello')
    expect(store.get(room.id).pending).toMatchObject([{ text: 'hello', status: 'sending' }])
    await until(() => store.get(room.id).pending.length === 0)
    const [stored] = store.get(room.id).confirmed
    store.receive(stored!)
    expect(store.get(room.id).confirmed.map((m) => m.text)).toEqual(['hello'])
  })

  it('keeps a failed send with its text and clientId; Retry stores it once', async () => {
    const cy = await createUser('Cy')
    const outsider = await createUser('Outsider')
    const room = await callerFor(outsider).room.create({ name: 'not cy’s yet' })
    const store = storeFor(cy)
    store.send(room.id, 'let me in')
    await until(() => store.get(room.id).pending[0]?.status === 'failed')
    expect(store.get(room.id).pending[0]).toMatchObject({ text: 'let me in', error: 'Join this room to read and send its messages.' })

    await callerFor(cy).room.join({ roomId: room.id })
    const clientId = store.get(room.id).pending[0]!.clientId
    store.retry(room.id, clientId)
    store.retry(room.id, clientId)
    await until(() => store.get(room.id).pending.length === 0)
    const history = await callerFor(cy).message.history({ roomId: room.id })
    expect(history.messages.map((m) => [m.text, m.clientId])).toEqual([['let me in', clientId]])
  })
})

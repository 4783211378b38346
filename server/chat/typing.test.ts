import { describe, expect, it } from 'vitest'
import { callerFor, createUser, setupTestDatabase } from '../testing/database.ts'
import { userEventStream, type DeliveredEvent } from './event-stream.ts'

setupTestDatabase()

function subscribe(userId: string) {
  const controller = new AbortController()
  const received: DeliveredEvent[] = []
  const done = (async () => {
    for await (const delivered of userEventStream({ userId, signal: controller.signal })) received.push(delivered)
  })()
  return {
    typing: () => received.flatMap((d) => (d.event.type === 'typing' ? [d.event] : [])),
    ready: () => received.some((d) => d.event.type === 'ready'),
    async stop() {
      controller.abort()
      await done
    },
  }
}

const waitFor = async (condition: () => boolean) => {
  const deadline = Date.now() + 10_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('typing', () => {
  it('reaches the other members live, not the typist, at most once per throttle window; outsiders cannot announce', async () => {
    const alice = await createUser('Alice')
    const bob = await createUser('Bob')
    const outsider = await createUser('Outsider')
    const room = await callerFor(alice).room.create({ name: 'typing' })
    await callerFor(bob).room.join({ roomId: room.id })
    const [bobStream, aliceStream, outsiderStream] = [subscribe(bob.id), subscribe(alice.id), subscribe(outsider.id)]
    await waitFor(() => bobStream.ready() && aliceStream.ready() && outsiderStream.ready())

    await callerFor(alice).room.typing({ roomId: room.id })
    await callerFor(alice).room.typing({ roomId: room.id }) // within the throttle: dropped
    await expect(callerFor(outsider).room.typing({ roomId: room.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await waitFor(() => bobStream.typing().length >= 1)
    await new Promise((resolve) => setTimeout(resolve, 200))

    expect(bobStream.typing()).toEqual([{ type: 'typing', roomId: room.id, user: { id: alice.id, name: 'Alice' } }])
    expect(aliceStream.typing()).toEqual([])
    expect(outsiderStream.typing()).toEqual([])
    await Promise.all([bobStream.stop(), aliceStream.stop(), outsiderStream.stop()])
  })
})

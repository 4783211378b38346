import { describe, expect, it } from 'vitest'
import { callerFor, setupTestDatabase, sharedRoom } from '../testing/database.ts'
import { readEvents } from '../testing/event-streams.ts'
import { waitFor } from '../testing/wait-for.ts'

setupTestDatabase()

describe('typing', () => {
  it('reaches the other members live, not the typist, at most once per throttle window; outsiders cannot announce', async () => {
    const { alice, bob, outsider, room } = await sharedRoom('typing')
    const [bobStream, aliceStream, outsiderStream] = [readEvents(bob.id), readEvents(alice.id), readEvents(outsider.id)]
    await waitFor(() => bobStream.ready() && aliceStream.ready() && outsiderStream.ready())

    await callerFor(alice).room.typing({ roomId: room.id })
    await callerFor(alice).room.typing({ roomId: room.id }) // within the throttle: dropped
    await expect(callerFor(outsider).room.typing({ roomId: room.id })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await waitFor(() => bobStream.events('typing').length >= 1)
    await new Promise((resolve) => setTimeout(resolve, 200))

    expect(bobStream.events('typing')).toEqual([{ type: 'typing', roomId: room.id, user: { id: alice.id, name: 'Alice' }, active: true }])

    // Alice empties the box: Bob is told once; a second "stopped" has nothing to stop.
    await callerFor(alice).room.typing({ roomId: room.id, active: false })
    await callerFor(alice).room.typing({ roomId: room.id, active: false })
    await waitFor(() => bobStream.events('typing').length >= 2)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(bobStream.events('typing').map((event) => event.type === 'typing' && event.active)).toEqual([true, false])
    expect(aliceStream.events('typing')).toEqual([])
    expect(outsiderStream.events('typing')).toEqual([])
    await Promise.all([bobStream.stop(), aliceStream.stop(), outsiderStream.stop()])
  })
})

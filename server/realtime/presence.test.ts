import { afterEach, describe, expect, it } from 'vitest'
import { LIVE_CHANNEL } from './bus.ts'
import { createInProcessBus } from './in-process-bus.ts'
import { callerFor, setupTestDatabase, sharedRoom } from '../testing/database.ts'
import { readEvents } from '../testing/event-streams.ts'
import { waitFor } from '../testing/wait-for.ts'
import { Presence, type PresenceHeartbeat } from './presence.ts'

setupTestDatabase()

const trackers: Presence[] = []
afterEach(() => {
  for (const tracker of trackers.splice(0)) tracker.stop()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** Two instances' trackers on one bus, as two app instances on one Redis. */
function cluster() {
  const bus = createInProcessBus()
  const changes = { a: [] as string[], b: [] as string[] }
  const make = (name: 'a' | 'b') => {
    const tracker = new Presence({ bus, graceMs: 100, heartbeatMs: 100, expiryMs: 350, onChange: (userId, online) => changes[name].push(`${userId}:${online ? 'on' : 'off'}`) })
    bus.subscribe(LIVE_CHANNEL, (payload) => {
      const event = JSON.parse(payload) as PresenceHeartbeat
      if (event.type === 'presence.heartbeat') tracker.heard(event)
    })
    trackers.push(tracker)
    return tracker
  }
  return { a: make('a'), b: make('b'), changes }
}

describe('presence across instances', () => {
  it('a user online on one instance is online on every instance; offline once their last tab closed and the grace passed', async () => {
    const { a, b, changes } = cluster()
    a.opened('ana')
    a.opened('ana') // a second tab
    await waitFor(() => b.isOnline('ana'))
    expect(changes).toEqual({ a: ['ana:on'], b: ['ana:on'] })

    a.closed('ana')
    await sleep(300)
    expect(b.isOnline('ana')).toBe(true) // one tab is still open

    a.closed('ana')
    a.opened('ana') // a reload within the grace period: never offline
    await sleep(300)
    expect(changes.b).toEqual(['ana:on'])

    a.closed('ana')
    await waitFor(() => !b.isOnline('ana'))
    expect(changes).toEqual({ a: ['ana:on', 'ana:off'], b: ['ana:on', 'ana:off'] })
  })

  it('the users of an instance that stops answering (killed) go offline elsewhere after the expiry', async () => {
    const { a, b, changes } = cluster()
    a.opened('ben')
    await waitFor(() => b.isOnline('ben'))
    a.stop() // no more heartbeats, as after SIGKILL
    await waitFor(() => !b.isOnline('ben'), 2_000)
    expect(changes.b).toEqual(['ben:on', 'ben:off'])
  })
})

describe('presence in the app', () => {
  it('members see who has the app open, live over the event stream; outsiders are not told', async () => {
    const { alice, bob, outsider, room } = await sharedRoom('presence')

    const streams = [readEvents(alice.id), readEvents(outsider.id)]
    await waitFor(() => streams.every((stream) => stream.ready()))
    const presenceOf = (i: number) => streams[i]!.events('presence').flatMap((event) => (event.userId === bob.id ? [event.online] : []))

    expect((await callerFor(alice).room.members({ roomId: room.id })).find((member) => member.id === bob.id)?.online).toBe(false)
    const bobTab = readEvents(bob.id)
    await waitFor(() => presenceOf(0).length === 1)
    expect((await callerFor(alice).room.members({ roomId: room.id })).map((member) => [member.name, member.online])).toEqual([
      ['Alice', true],
      ['Bob', true],
    ])

    await bobTab.stop()
    await waitFor(() => presenceOf(0).length === 2, 15_000)
    expect(presenceOf(0)).toEqual([true, false])
    expect(presenceOf(1)).toEqual([])
    await Promise.all(streams.map((stream) => stream.stop()))
  })
})

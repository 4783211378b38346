import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRedis, type TestRedis } from '../testing/redis-server.ts'
import type { Bus } from './bus.ts'
import { createRedisBus } from './redis-bus.ts'
import { waitFor } from '../testing/wait-for.ts'

let redis: TestRedis
const buses: Bus[] = []

beforeAll(async () => {
  redis = await startTestRedis()
})
afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()))
  await redis.stop()
})

function newBus(channelPrefix = 'test:'): Bus {
  const bus = createRedisBus({ url: redis.url, channelPrefix, pingIntervalMs: 200, commandTimeoutMs: 500 })
  buses.push(bus)
  return bus
}


const isReady = (bus: Bus) => bus.checkReady().then(() => true, () => false)

describe('Redis bus', () => {
  it('carries a payload from one instance to the subscribers of every instance, once each', async () => {
    const [first, second] = [newBus(), newBus()]
    const channel = `c-${randomUUID()}`
    const heard: string[] = []
    first.subscribe(channel, (payload) => heard.push(`first:${payload}`))
    second.subscribe(channel, (payload) => heard.push(`second:${payload}`))
    await waitFor(async () => (await isReady(first)) && (await isReady(second)))

    await first.publish(channel, 'hello')
    await waitFor(() => heard.length >= 2)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(heard.sort()).toEqual(['first:hello', 'second:hello'])
  })

  it('keeps deployments with different channel prefixes apart, and stops delivering after unsubscribe', async () => {
    const [ours, theirs] = [newBus('ours:'), newBus('theirs:')]
    const heard: string[] = []
    const stop = ours.subscribe('chat', (payload) => heard.push(payload))
    theirs.subscribe('chat', () => heard.push('cross-talk'))
    await waitFor(async () => (await isReady(ours)) && (await isReady(theirs)))

    await ours.publish('chat', 'one')
    await waitFor(() => heard.length >= 1)
    stop()
    await new Promise((resolve) => setTimeout(resolve, 100))
    await ours.publish('chat', 'two')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(heard).toEqual(['one'])
  })

  it('survives a Redis restart: fails fast and reports not ready while down, then resubscribes, says so, and carries payloads again', async () => {
    const [sender, receiver] = [newBus(), newBus()]
    const channel = `c-${randomUUID()}`
    const heard: string[] = []
    let resubscribed = 0
    receiver.subscribe(channel, (payload) => heard.push(payload))
    receiver.onResubscribed(() => resubscribed++)
    await waitFor(async () => (await isReady(sender)) && (await isReady(receiver)))
    const resubscribedBefore = resubscribed

    await redis.stop('SIGKILL')
    await waitFor(async () => !(await isReady(receiver)))
    await expect(receiver.checkReady()).rejects.toThrow()
    const startedAt = Date.now()
    await expect(sender.publish(channel, 'into the void')).rejects.toThrow()
    expect(Date.now() - startedAt).toBeLessThan(2_000) // a send never waits on a Redis that is gone

    await redis.start()
    await waitFor(async () => (await isReady(sender)) && (await isReady(receiver)))
    expect(resubscribed).toBeGreaterThan(resubscribedBefore)
    await sender.publish(channel, 'after the restart')
    await waitFor(() => heard.length >= 1)
    expect(heard).toEqual(['after the restart'])
  })
})

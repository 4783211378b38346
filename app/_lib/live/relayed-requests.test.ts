import { TRPCClientError, type TRPCUntypedClient } from '@trpc/client'
import { afterEach, describe, expect, it } from 'vitest'
import { describeError, isPermanent } from '@/app/(chat)/_lib/request-errors'
import type { AppRouter } from '@/server/trpc/root'
import { RelayedRequests } from './relayed-requests'
import { TabChannel, type TabMessage } from './tab-channel'

type Answer = (path: string, input: unknown) => Promise<unknown>

/** The holder's side: its WebSocket client answers with `answer`; every request it serves is recorded. */
function holderTab(userId: string, answer: Answer) {
  const relay = new RelayedRequests()
  const served: string[] = []
  const client = {
    query: (path: string, input: unknown) => (served.push(path), answer(path, input)),
    mutation: (path: string, input: unknown) => (served.push(path), answer(path, input)),
  } as unknown as TRPCUntypedClient<AppRouter>
  const channel: TabChannel = new TabChannel(userId, 'holder', (message, from) => {
    if (message.kind === 'request') relay.serve(channel, from, message, client)
    if (message.kind === 'abort') relay.abortServed(from, message.requestId)
  })
  return { channel, served }
}

/** A tab that sends its requests through the holder. */
function followerTab(userId: string, tabId = 'follower') {
  const relay = new RelayedRequests()
  const heard: TabMessage[] = []
  const channel = new TabChannel(userId, tabId, (message) => {
    heard.push(message)
    if (message.kind === 'response' && message.to === tabId) relay.settle(message)
  })
  return { relay, channel, heard }
}

const channels: TabChannel[] = []
afterEach(() => channels.splice(0).forEach((channel) => channel.close()))

describe('requests relayed to the tab that holds the connection', () => {
  it("carries a follower's query on the holder's client and brings the answer back", async () => {
    const holder = holderTab('u1', async (path, input) => ({ path, input }))
    const follower = followerTab('u1')
    channels.push(holder.channel, follower.channel)
    const answer = await follower.relay.send(follower.channel, { type: 'query', path: 'room.list', input: { a: 1 } }, undefined)
    expect(answer).toEqual({ path: 'room.list', input: { a: 1 } })
    expect(holder.served).toEqual(['room.list'])
  })

  it('keeps the code of a refusal, so the outbox marks the message failed rather than retrying it', async () => {
    const shape = { message: 'Join this room to send messages.', code: -32603, data: { code: 'FORBIDDEN' } }
    const holder = holderTab('u1', async () => {
      throw new TRPCClientError(shape.message, { result: { error: shape } })
    })
    const follower = followerTab('u1')
    channels.push(holder.channel, follower.channel)
    const failure = await follower.relay.send(follower.channel, { type: 'mutation', path: 'message.send', input: {} }, undefined).catch((error: unknown) => error)
    const error = describeError(failure)
    expect(error).toEqual({ code: 'FORBIDDEN', message: 'Join this room to send messages.' })
    expect(isPermanent(error)).toBe(true)
  })

  it('fails what was waiting as a lost connection when the holder goes, so the outbox sends it again', async () => {
    const holder = holderTab('u1', () => new Promise(() => {}))
    const follower = followerTab('u1')
    channels.push(holder.channel, follower.channel)
    const waiting = follower.relay.send(follower.channel, { type: 'mutation', path: 'message.send', input: {} }, undefined).catch((error: unknown) => error)
    await expect.poll(() => holder.served.length).toBe(1)
    follower.relay.failAll()
    const error = describeError(await waiting)
    expect(error.code).toBe('NETWORK')
    expect(isPermanent(error)).toBe(false)
  })

  it("passes a request's cancellation to the holder", async () => {
    let aborted = false
    const holder = holderTab('u1', () => new Promise(() => {}))
    const follower = followerTab('u1')
    const spy = new TabChannel('u1', 'spy', (message) => {
      if (message.kind === 'abort') aborted = true
    })
    channels.push(holder.channel, follower.channel, spy)
    const controller = new AbortController()
    const waiting = follower.relay.send(follower.channel, { type: 'query', path: 'room.list', input: undefined }, controller.signal).catch((error: unknown) => error)
    await expect.poll(() => holder.served.length).toBe(1)
    controller.abort()
    expect(await waiting).toBeInstanceOf(TRPCClientError)
    await expect.poll(() => aborted).toBe(true)
  })

  it("never hears another person's tabs (someone else signed in on this browser)", async () => {
    const holder = holderTab('someone-else', async () => 'their answer')
    const follower = followerTab('u1')
    channels.push(holder.channel, follower.channel)
    const waiting = follower.relay.send(follower.channel, { type: 'query', path: 'room.list', input: undefined }, undefined)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(holder.served).toEqual([])
    follower.relay.failAll()
    await expect(waiting).rejects.toBeInstanceOf(TRPCClientError)
  })
})

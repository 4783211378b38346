import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callerFor, setupTestDatabase } from '../../testing/database.ts'
import { waitFor } from '../../testing/wait-for.ts'
import { signedUpUser } from '../../testing/signed-up-user.ts'
import { attachWebSocket } from './attach.ts'
import { WS_PATH } from './socket-protocol.ts'

setupTestDatabase()

let server: Server
let origin: string

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(404).end())
  attachWebSocket(server, { allowedOrigins: [] })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

type Frame = { id: number | null; result?: { type: string; id?: string; data?: { id: string; data: { type: string; message?: { id: string; text: string } } } }; error?: { message: string; data: { code: string } } }

/** A raw WebSocket speaking tRPC's wire format, recording every frame it receives. */
async function rawSocket(cookie: string) {
  const socket = new WebSocket(`${origin.replace('http', 'ws')}${WS_PATH}`, { headers: { cookie, origin } })
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  const frames: Frame[] = []
  socket.on('message', (data) => {
    if (String(data) !== 'PING') frames.push(JSON.parse(String(data)) as Frame)
  })
  return {
    frames,
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    of: (id: number) => frames.filter((frame) => frame.id === id),
    events: (id: number) => frames.flatMap((frame) => (frame.id === id && frame.result?.type === 'data' ? [frame.result.data!.data] : [])),
    close: () => socket.close(),
  }
}

const subscribe = (id: number, input: object = {}, lastEventId?: string) => ({ id, method: 'subscription', params: { path: 'events.stream', input, lastEventId } })

/** A new user with a room of their own, and a socket whose stream `id` is live (its `ready` cursor too). */
async function liveSocket(name: string, id: number) {
  const { cookie, user } = await signedUpUser(name, origin)
  const room = await callerFor(user).room.create({ name: `${name} ${randomUUID().slice(0, 6)}` })
  const socket = await rawSocket(cookie)
  socket.send(subscribe(id))
  await waitFor(() => socket.events(id).some((event) => event.type === 'ready'))
  const cursor = socket.of(id).find((frame) => frame.result?.data?.data.type === 'ready')!.result!.id!
  return { cookie, user, room, socket, cursor }
}

describe('events.stream served on the WebSocket (event-stream-socket.ts)', () => {
  it('speaks tRPC’s wire format: started, ready, live tracked events; subscription.stop answers stopped and ends delivery', async () => {
    const { user, room, socket } = await liveSocket('Wire', 7)
    expect(socket.of(7)[0]).toEqual({ id: 7, result: { type: 'started' } })

    const sent = await callerFor(user).message.send({ roomId: room.id, text: 'over the wire', clientId: randomUUID() })
    await waitFor(() => socket.events(7).some((event) => event.type === 'message'))
    const frame = socket.of(7).find((candidate) => candidate.result?.data?.data.type === 'message')!
    expect(frame.result!.id).toBe(frame.result!.data!.id) // the tracked id, which the link sends back on resume
    expect(frame.result!.data!.data).toEqual({ type: 'message', message: sent })

    socket.send({ id: 7, method: 'subscription.stop' })
    await waitFor(() => socket.of(7).some((candidate) => candidate.result?.type === 'stopped'))
    await callerFor(user).message.send({ roomId: room.id, text: 'after stop', clientId: randomUUID() })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(socket.events(7).filter((event) => event.type === 'message')).toHaveLength(1)
    socket.close()
  })

  it('resumes from the lastEventId sent beside the input, and leaves a query batched in the same frame to tRPC', async () => {
    const { cookie, user, room, socket: first, cursor } = await liveSocket('Resumer', 1)
    first.close()
    const missed = [await callerFor(user).message.send({ roomId: room.id, text: 'missed 1', clientId: randomUUID() }), await callerFor(user).message.send({ roomId: room.id, text: 'missed 2', clientId: randomUUID() })]

    const second = await rawSocket(cookie)
    second.send([subscribe(1, {}, cursor), { id: 2, method: 'query', params: { path: 'room.list', input: undefined } }])
    await waitFor(() => second.events(1).some((event) => event.type === 'ready') && second.of(2).length > 0)
    expect(second.events(1).map((event) => event.message?.text ?? event.type)).toEqual(['missed 1', 'missed 2', 'ready'])
    expect(second.events(1).slice(0, 2).map((event) => event.message?.id)).toEqual(missed.map((message) => message.id))
    expect(JSON.stringify(second.of(2)[0])).toContain(room.id)
    second.close()
  })

  it('refuses bad input, another user’s id and a duplicate subscription id with tRPC’s error shape', async () => {
    const { cookie } = await signedUpUser('Strict', origin)
    const socket = await rawSocket(cookie)
    socket.send(subscribe(1, { lastEventId: 'not a number' }))
    socket.send(subscribe(2, { asUserId: 'someone-else' }))
    socket.send(subscribe(3))
    await waitFor(() => socket.events(3).some((event) => event.type === 'ready'))
    socket.send(subscribe(3))
    await waitFor(() => socket.of(1).length > 0 && socket.of(2).length > 0 && socket.of(3).some((frame) => frame.error))
    expect(socket.of(1)[0]!.error!.data.code).toBe('BAD_REQUEST')
    expect(socket.of(1)[0]!.error!.message).toContain('lastEventId')
    expect(socket.of(2)[0]!.error!.data.code).toBe('UNAUTHORIZED')
    expect(socket.of(3).find((frame) => frame.error)!.error!.message).toBe('Duplicate id 3')
    socket.close()
  })
})

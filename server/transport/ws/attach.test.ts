import { randomUUID } from 'node:crypto'
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authFor } from '../../auth.ts'
import { signedUpUser as signUp } from '../../testing/signed-up-user.ts'
import type { ClientEvent } from '../../chat/types.ts'
import { WS_MAX_PAYLOAD_BYTES } from '../../chat/limits.ts'
import { callerFor, setupTestDatabase, testRoomName } from '../../testing/database.ts'
import { startWebSocketServer, type TestWebSocketServer } from '../../testing/websocket-server.ts'
import type { AppRouter } from '../../trpc/root.ts'
import { SESSION_ENDED_CLOSE_CODE, WS_PATH } from './socket-protocol.ts'

setupTestDatabase()

let server: TestWebSocketServer
let url: string
let origin: string

beforeAll(async () => {
  server = await startWebSocketServer({ allowedOrigins: ['https://chat.example.com'], sessionRecheckMs: 200 })
  url = server.url
  origin = server.origin
})

afterAll(() => server.close())

const signedUpUser = (name: string) => signUp(name, origin)

/** Resolves with the HTTP status of a refused upgrade, or 101 when it opened. */
function upgradeStatus(headers: Record<string, string>, path = WS_PATH): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url.replace(WS_PATH, path), { headers })
    socket.on('open', () => {
      socket.close()
      resolve(101)
    })
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    socket.on('error', () => resolve(0))
  })
}

describe('WebSocket endpoint', () => {
  it('refuses foreign origins and missing sessions; accepts same-origin, allowlisted and non-browser clients', async () => {
    const { cookie } = await signedUpUser('Wendy')
    expect(await upgradeStatus({ cookie, origin: 'https://evil.example' })).toBe(403)
    expect(await upgradeStatus({ origin })).toBe(401)
    expect(await upgradeStatus({ cookie: 'better-auth.session_token=forged.value', origin })).toBe(401)
    expect(await upgradeStatus({ cookie, origin })).toBe(101)
    expect(await upgradeStatus({ cookie, origin: 'https://chat.example.com' })).toBe(101)
    expect(await upgradeStatus({ cookie })).toBe(101)
    // Only /api/ws upgrades; in production anything else is cut.
    expect(await upgradeStatus({ cookie, origin }, '/_next/webpack-hmr')).toBe(0)
  })

  it('carries events.stream: ready, then the user’s messages as tRPC tracked events', async () => {
    const { cookie, user } = await signedUpUser('Xavier')
    const room = await callerFor(user).room.create({ name: testRoomName('over ws') })
    const wsClient = createWSClient({
      url,
      WebSocket: class extends WebSocket {
        constructor(address: string) {
          super(address, { headers: { cookie, origin } })
        }
      } as unknown as typeof globalThis.WebSocket,
    })
    const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient })] })
    const received: { id: string; event: ClientEvent }[] = []
    const subscription = client.events.stream.subscribe(
      {},
      { onData: ({ id, data }) => received.push({ id, event: data }) },
    )
    await expect.poll(() => received.map((r) => r.event.type)).toContain('ready')
    const sent = await callerFor(user).message.send({ roomId: room.id, text: 'hello ws', clientId: randomUUID() })
    await expect.poll(() => received.filter((r) => r.event.type === 'message').length).toBe(1)
    const delivered = received.find((r) => r.event.type === 'message')!
    expect(delivered.event).toEqual({ type: 'message', message: sent })
    subscription.unsubscribe()
    await wsClient.close()
  })

  it('closes a connection that sends a frame above the size limit', async () => {
    const { cookie } = await signedUpUser('Yara')
    const socket = new WebSocket(url, { headers: { cookie, origin } })
    await new Promise((resolve) => socket.once('open', resolve))
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
    socket.send('x'.repeat(WS_MAX_PAYLOAD_BYTES + 1))
    expect(await closed).toBe(1009)
  })

  it('closes an open socket once its session ends (signed out elsewhere)', async () => {
    const { cookie } = await signedUpUser('Zoe')
    const socket = new WebSocket(url, { headers: { cookie, origin } })
    await new Promise((resolve) => socket.once('open', resolve))
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
    const headers = new Headers({ cookie, host: new URL(origin).host, origin })
    await authFor(headers).api.signOut({ headers })
    expect(await closed).toBe(SESSION_ENDED_CLOSE_CODE)
  })

  it('behind a TLS proxy (a Secure session cookie) keeps the socket through its session checks, and closes it once signed out', async () => {
    const host = new URL(origin).host
    const proxied = { 'x-forwarded-proto': 'https', origin: `https://${host}` }
    const { cookie } = await signUp('Yara', proxied.origin, { behindTlsProxy: true })
    expect(cookie).toContain('__Secure-better-auth.session_token=')
    const socket = new WebSocket(url, { headers: { cookie, ...proxied } })
    await new Promise((resolve) => socket.once('open', resolve))
    let closedWith: number | undefined
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve((closedWith = code))))
    // Several checks (every 200 ms here) find the session alive, read by the instance that set it.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(closedWith).toBeUndefined()
    const headers = new Headers({ cookie, host, ...proxied })
    await authFor(headers).api.signOut({ headers })
    expect(await closed).toBe(SESSION_ENDED_CLOSE_CODE)
  })
})

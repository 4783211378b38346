import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestDatabase } from '../../testing/database.ts'
import { startWebSocketServer, type TestWebSocketServer } from '../../testing/websocket-server.ts'
import { signedUpUser as signUp } from '../../testing/signed-up-user.ts'
import { FLOODING_CLOSE_CODE, TOO_MANY_CONNECTIONS_CLOSE_CODE } from './socket-protocol.ts'

// Small limits, read once by this file's process (server/limits/request-limits.ts).
process.env.REQUESTS_PER_SECOND_PER_CONNECTION = '5'
process.env.REQUESTS_PER_SECOND_PER_USER = '1000'
process.env.REFUSALS_BEFORE_CLOSE = '20'
process.env.CONNECTIONS_PER_USER = '3'

setupTestDatabase()

let server: TestWebSocketServer
let url: string
let origin: string

beforeAll(async () => {
  server = await startWebSocketServer({ allowedOrigins: [] })
  url = server.url
  origin = server.origin
})

afterAll(() => server.close())

type Reply = { id: number; result?: unknown; error?: { code: number; message: string; data: { code: string; retryAfterMs?: number } } }

async function openSocket(cookie: string): Promise<{ socket: WebSocket; replies: Reply[]; closed: Promise<{ code: number; reason: string }> }> {
  const socket = new WebSocket(url, { headers: { cookie, origin } })
  const replies: Reply[] = []
  socket.on('message', (data) => {
    const text = String(data)
    if (text !== 'PING') replies.push(JSON.parse(text) as Reply)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })))
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  return { socket, replies, closed }
}

function upgradeStatus(cookie: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers: { cookie, origin } })
    socket.on('open', () => (socket.close(), resolve(101)))
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    socket.on('error', () => resolve(0))
  })
}

const query = (id: number) => JSON.stringify({ id, method: 'query', params: { path: 'room.list' } })

describe('WebSocket limits', () => {
  it('answers within the rate, refuses past it with a retry hint, closes a socket that keeps on with 4429 and turns its session away for a while', async () => {
    const { cookie } = await signUp('Flo', origin)
    const { socket, replies, closed } = await openSocket(cookie)
    // Within the allowance: every request answered.
    for (let id = 1; id <= 5; id++) socket.send(query(id))
    await expect.poll(() => replies.filter((reply) => reply.result).length).toBe(5)
    // Then as fast as it can: refused, each with a code and a wait, and closed after 20 refusals.
    for (let id = 6; id <= 60; id++) socket.send(query(id))
    const { code, reason } = await closed
    expect(code).toBe(FLOODING_CLOSE_CODE)
    expect(reason).toBe('Too many requests')
    const refused = replies.filter((reply) => reply.error)
    expect(refused.length).toBeGreaterThanOrEqual(19)
    expect(refused.length).toBeLessThanOrEqual(20)
    for (const reply of refused) {
      expect(reply.error!.data.code).toBe('TOO_MANY_REQUESTS')
      expect(reply.error!.data.retryAfterMs).toBeGreaterThan(0)
    }
    // Reconnecting at once earns a plain 429 before any session check.
    expect(await upgradeStatus(cookie)).toBe(429)
    // Someone else is not affected.
    const other = await signUp('Quiet', origin)
    expect(await upgradeStatus(other.cookie)).toBe(101)
  })

  it('closes the oldest connection of a user past the cap with 4409 and says why; the others stay', async () => {
    const { cookie } = await signUp('Many', origin)
    const sockets = [await openSocket(cookie), await openSocket(cookie), await openSocket(cookie)]
    const fourth = await openSocket(cookie)
    const { code, reason } = await sockets[0]!.closed
    expect(code).toBe(TOO_MANY_CONNECTIONS_CLOSE_CODE)
    expect(reason).toMatch(/Too many connections/)
    for (const { socket } of [...sockets.slice(1), fourth]) expect(socket.readyState).toBe(WebSocket.OPEN)
    // The ones left still answer.
    fourth.socket.send(query(1))
    await expect.poll(() => fourth.replies.find((reply) => reply.id === 1)?.result).toBeTruthy()
    for (const { socket } of [...sockets.slice(1), fourth]) socket.close()
  })
})

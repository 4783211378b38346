import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import WebSocket, { WebSocketServer } from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KeepAlive } from './keep-alive.ts'

const PING_MS = 200
const PONG_WAIT_MS = 150

let server: Server
let url: string
const keepAlive = new KeepAlive(PING_MS, PONG_WAIT_MS)

beforeAll(async () => {
  server = createServer()
  const wss = new WebSocketServer({ server })
  wss.on('connection', (socket) => {
    keepAlive.track(socket)
    socket.on('message', () => keepAlive.heard(socket))
    socket.on('close', () => keepAlive.forget(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  keepAlive.stop()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

async function client(answerPings: boolean) {
  const socket = new WebSocket(url)
  await new Promise((resolve) => socket.once('open', resolve))
  let pings = 0
  let closedAt: number | undefined
  socket.on('message', (data) => {
    if (String(data) !== 'PING') return
    pings++
    if (answerPings) socket.send('PONG')
  })
  socket.on('close', () => (closedAt = performance.now()))
  return { socket, pings: () => pings, closedAt: () => closedAt }
}

describe('KeepAlive', () => {
  it('pings a quiet socket, keeps the one that answers, and drops the one that does not within ping + wait + one sweep', async () => {
    const openedAt = performance.now()
    const answering = await client(true)
    const silent = await client(false)
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    expect(answering.pings()).toBeGreaterThanOrEqual(3)
    expect(answering.closedAt()).toBeUndefined()
    expect(silent.pings()).toBe(1)
    expect(silent.closedAt()).toBeDefined()
    expect(silent.closedAt()! - openedAt).toBeLessThan(PING_MS + PONG_WAIT_MS + 2 * 250 + 100)
    answering.socket.close()
  })
})

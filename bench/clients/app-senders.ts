// Closed-loop senders for the persistence benchmark: each waits for its send's acknowledgement
// (the message is committed) before it sends the next.
import { randomUUID } from 'node:crypto'
import { Agent, request } from 'node:http'
import type WebSocket from 'ws'
import { openWebSocket } from './open-websocket.ts'
import type { Target } from './types.ts'

export type SendTransport = 'websocket' | 'http'

/** Sends one message and resolves true once it is acknowledged (false when refused or failed). */
export type AwaitedSend = (text: string) => Promise<boolean>

export async function openSender(target: Target, transport: SendTransport): Promise<{ send: AwaitedSend; close(): void }> {
  return transport === 'http' ? httpSender(target) : webSocketSender(target)
}

function httpSender(target: Target) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const send: AwaitedSend = (text) =>
    new Promise((resolve) => {
      const body = JSON.stringify({ roomId: target.room, text, clientId: randomUUID() })
      const req = request(`${target.url}/api/trpc/message.send`, { method: 'POST', agent, headers: { cookie: target.senderCookie, 'content-type': 'application/json', origin: target.url } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode === 200))
      })
      req.on('error', () => resolve(false))
      req.end(body)
    })
  return { send, close: () => agent.destroy() }
}

async function webSocketSender(target: Target) {
  const socket: WebSocket = await openWebSocket(`${target.url.replace(/^http/, 'ws')}/api/ws`, { cookie: target.senderCookie, origin: target.url })
  const pending = new Map<number, (ok: boolean) => void>()
  let nextId = 1
  socket.on('message', (data) => {
    const frame = String(data)
    if (frame === 'PING') return socket.send('PONG')
    const reply = JSON.parse(frame) as { id: number; error?: unknown }
    pending.get(reply.id)?.(reply.error === undefined)
    pending.delete(reply.id)
  })
  const send: AwaitedSend = (text) =>
    new Promise((resolve) => {
      const id = nextId++
      pending.set(id, resolve)
      socket.send(JSON.stringify({ id, method: 'mutation', params: { path: 'message.send', input: { roomId: target.room, text, clientId: randomUUID() } } }))
    })
  return { send, close: () => socket.close() }
}

// Closed-loop senders for the persistence benchmark: each waits for its send's acknowledgement
// (the message is committed) before it sends the next. Each sender is a person of their own with
// a room of their own, as one browser tab typing is.
import { randomUUID } from 'node:crypto'
import { Agent, request } from 'node:http'
import type WebSocket from 'ws'
import { readSse, type Account } from '../support/app-client.ts'
import { openWebSocket } from './open-websocket.ts'

/**
 * websocket / http: the raw paths, a bare socket or plain POSTs, nothing else open.
 * browser-websocket: what the browser does while its stream is live on a WebSocket: the socket
 * carries events.stream and the sends (each echoed back on the stream, as the browser sees its own).
 * browser-sse: what it does on the SSE fallback: the stream open, sends as httpBatchLink POSTs.
 */
export type SendTransport = 'websocket' | 'http' | 'browser-websocket' | 'browser-sse'

/** One person typing: their session and the room they type in. */
export type Sender = Account & { room: string }

/** Sends one message and resolves true once it is acknowledged (false when refused or failed). */
export type AwaitedSend = (text: string) => Promise<boolean>

export type OpenedSender = { send: AwaitedSend; close(): void }

export async function openSender(url: string, sender: Sender, transport: SendTransport): Promise<OpenedSender> {
  if (transport === 'http') return httpSender(url, sender, false)
  if (transport === 'websocket') return webSocketSender(url, sender, false)
  if (transport === 'browser-websocket') return webSocketSender(url, sender, true)
  const stopStream = await openSseStream(url, sender)
  const http = httpSender(url, sender, true)
  return {
    send: http.send,
    close() {
      http.close()
      stopStream()
    },
  }
}

function httpSender(url: string, sender: Sender, batched: boolean): OpenedSender {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const path = batched ? '/api/trpc/message.send?batch=1' : '/api/trpc/message.send'
  const send: AwaitedSend = (text) =>
    new Promise((resolve) => {
      const input = { roomId: sender.room, text, clientId: randomUUID(), asUserId: sender.userId }
      const req = request(`${url}${path}`, { method: 'POST', agent, headers: { cookie: sender.cookie, 'content-type': 'application/json', origin: url } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode === 200))
      })
      req.on('error', () => resolve(false))
      req.end(JSON.stringify(batched ? { 0: input } : input))
    })
  return { send, close: () => agent.destroy() }
}

async function webSocketSender(url: string, sender: Sender, withStream: boolean): Promise<OpenedSender> {
  const socket: WebSocket = await openWebSocket(`${url.replace(/^http/, 'ws')}/api/ws`, { cookie: sender.cookie, origin: url })
  const pending = new Map<number, (ok: boolean) => void>()
  let streamReady: (() => void) | undefined
  const ready = new Promise<void>((resolve) => (streamReady = resolve))
  let nextId = 1
  socket.on('message', (data) => {
    const frame = String(data)
    if (frame === 'PING') return socket.send('PONG')
    const reply = JSON.parse(frame) as { id: number; error?: unknown; result?: { data?: { data?: { type?: string } } } }
    if (reply.id === 0) {
      if (reply.result?.data?.data?.type === 'ready') streamReady?.()
      return
    }
    pending.get(reply.id)?.(reply.error === undefined)
    pending.delete(reply.id)
  })
  if (withStream) {
    socket.send(JSON.stringify({ id: 0, method: 'subscription', params: { path: 'events.stream', input: { lastEventId: null, asUserId: sender.userId } } }))
    await ready
  }
  const send: AwaitedSend = (text) =>
    new Promise((resolve) => {
      const id = nextId++
      pending.set(id, resolve)
      const input = { roomId: sender.room, text, clientId: randomUUID(), ...(withStream ? { asUserId: sender.userId } : {}) }
      socket.send(JSON.stringify({ id, method: 'mutation', params: { path: 'message.send', input } }))
    })
  return { send, close: () => socket.close() }
}

/** Opens the person's events.stream over SSE and resolves once it is ready; returns the function that closes it. */
function openSseStream(url: string, sender: Sender): Promise<() => void> {
  return new Promise((resolve) => {
    const stop = readSse(url, sender, (data) => {
      if (data.type === 'ready') resolve(stop)
    })
  })
}

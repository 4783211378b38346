// `message.history` page latency with 1,000,000 messages stored in one room, on PostgreSQL.
import pg from 'pg'
import type WebSocket from 'ws'
import { openWebSocket } from './clients/open-websocket.ts'
import { readSse } from './support/app-client.ts'
import type { Target } from './clients/types.ts'

export const HISTORY_MESSAGES = 1_000_000
const WARM_UP = 50
const PAGES = 300

type Latencies = { p50Ms: number; p99Ms: number; maxMs: number }

/**
 * Over HTTP (Next route handler, session cookie check, tRPC) and over the WebSocket (tRPC's handler
 * on a signed-in socket), each raw and as the browser does it: on the socket that also carries
 * the person's events.stream, and as an httpBatchLink GET beside an open SSE stream.
 */
export type HistoryResult = { messages: number; insertSeconds: number; pages: number; http: Latencies; webSocket: Latencies; browserWebSocket: Latencies; browserSse: Latencies }

/**
 * Stores the messages straight in the database (with the app stopped, so its ordered stream does
 * not replay a million positions): one transaction takes the stream positions and seqs exactly as
 * the app's writer does, so the room and the stream stay consistent.
 */
export async function fillRoom(databaseUrl: string, target: Target, authorId: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const startedAt = performance.now()
  try {
    await client.query('BEGIN')
    await client.query(
      `WITH cursor AS (UPDATE "StreamCursor" SET pos = pos + $3 WHERE id = 1 RETURNING pos - $3 AS base),
       room AS (UPDATE "Room" r SET "lastSeq" = r."lastSeq" + $3 WHERE r.id = $1 RETURNING r."lastSeq" - $3 AS base)
       INSERT INTO "Message" (id, "roomId", seq, pos, "authorId", "clientId", text, "createdAt")
       SELECT gen_random_uuid()::text, $1, room.base + g, cursor.base + g, $2, gen_random_uuid(),
              'history ' || g || ' ' || repeat('.', 80), now() - ($3 - g) * interval '1 second'
       FROM cursor, room, generate_series(1, $3) AS g`,
      [target.room, authorId, HISTORY_MESSAGES],
    )
    await client.query('COMMIT')
    await client.query('ANALYZE "Message"')
  } finally {
    await client.end()
  }
  return (performance.now() - startedAt) / 1000
}

const randomBeforeSeq = () => 51 + Math.floor(Math.random() * (HISTORY_MESSAGES - 50))

/** Sequential pages of 50 at random points of the room, over each path in turn. */
export async function measureHistory(target: Target & { senderId: string }, insertSeconds: number, log: (line: string) => void): Promise<HistoryResult> {
  const input = () => ({ roomId: target.room, beforeSeq: randomBeforeSeq() })
  const http = await timePages(() => pageOverHttp(target, `message.history?input=${encodeURIComponent(JSON.stringify(input()))}`, (body) => body))

  const socket = await openWebSocket(`${target.url.replace(/^http/, 'ws')}/api/ws`, { cookie: target.senderCookie, origin: target.url })
  const webSocket = await timePages(() => pageOverWebSocket(socket, input()))
  socket.close()

  const browserSocket = await openWebSocket(`${target.url.replace(/^http/, 'ws')}/api/ws`, { cookie: target.senderCookie, origin: target.url })
  await subscribeToStream(browserSocket, target.senderId)
  const browserWebSocket = await timePages(() => pageOverWebSocket(browserSocket, input()))
  browserSocket.close()

  const stopStream = await new Promise<() => void>((resolve) => {
    const stop = readSse(target.url, { cookie: target.senderCookie, userId: target.senderId }, (data) => data.type === 'ready' && resolve(stop))
  })
  const browserSse = await timePages(() => pageOverHttp(target, `message.history?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: input() }))}`, (body) => (body as unknown[])[0]))
  stopStream()

  const result = { messages: HISTORY_MESSAGES, insertSeconds, pages: PAGES, http, webSocket, browserWebSocket, browserSse }
  const describe = (l: Latencies) => `p50 ${l.p50Ms.toFixed(1)} p99 ${l.p99Ms.toFixed(1)} max ${l.maxMs.toFixed(1)} ms`
  log(`message.history, ${PAGES} random pages of 50 in a room of ${HISTORY_MESSAGES.toLocaleString('en')} (stored in ${insertSeconds.toFixed(0)} s): over HTTP ${describe(http)}; over the WebSocket ${describe(webSocket)}; the browser on WebSocket ${describe(browserWebSocket)}; the browser on SSE ${describe(browserSse)}`)
  return result
}

async function pageOverHttp(target: Target, path: string, unwrap: (body: unknown) => unknown): Promise<number> {
  const startedAt = performance.now()
  const response = await fetch(`${target.url}/api/trpc/${path}`, { headers: { cookie: target.senderCookie } })
  checkPage(response.status, unwrap(await response.json()))
  return performance.now() - startedAt
}

let nextId = 1

function pageOverWebSocket(socket: WebSocket, input: unknown): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const id = nextId++
    const startedAt = performance.now()
    const onMessage = (data: unknown) => {
      const frame = String(data)
      if (frame === 'PING') return socket.send('PONG')
      const reply = JSON.parse(frame) as { id?: number }
      if (reply.id !== id) return
      socket.off('message', onMessage)
      try {
        checkPage(200, reply)
        resolve(performance.now() - startedAt)
      } catch (error) {
        reject(error)
      }
    }
    socket.on('message', onMessage)
    socket.send(JSON.stringify({ id, method: 'query', params: { path: 'message.history', input } }))
  })
}

/** Opens events.stream on the socket (id 0, as the browser's first request) and waits until it is live. */
function subscribeToStream(socket: WebSocket, userId: string): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (data: unknown) => {
      const frame = String(data)
      if (frame === 'PING') return socket.send('PONG')
      const reply = JSON.parse(frame) as { id?: number; result?: { data?: { data?: { type?: string } } } }
      if (reply.id !== 0 || reply.result?.data?.data?.type !== 'ready') return
      socket.off('message', onMessage)
      resolve()
    }
    socket.on('message', onMessage)
    socket.send(JSON.stringify({ id: 0, method: 'subscription', params: { path: 'events.stream', input: { lastEventId: null, asUserId: userId } } }))
  })
}

async function timePages(page: () => Promise<number>): Promise<Latencies> {
  for (let i = 0; i < WARM_UP; i++) await page()
  const latencies: number[] = []
  for (let i = 0; i < PAGES; i++) latencies.push(await page())
  latencies.sort((a, b) => a - b)
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!
  return { p50Ms: pick(0.5), p99Ms: pick(0.99), maxMs: latencies.at(-1)! }
}

function checkPage(status: number, body: unknown): void {
  const messages = (body as { result?: { data?: { messages?: unknown[] } } }).result?.data?.messages
  if (messages?.length !== 50) throw new Error(`message.history answered ${status}: ${JSON.stringify(body).slice(0, 200)}`)
}

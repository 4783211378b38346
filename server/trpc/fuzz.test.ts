import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GET, POST } from '@/app/api/trpc/[trpc]/route'
import { HTTP_MAX_BATCH_SIZE } from '../chat/limits.ts'
import { db } from '../db/client.ts'
import { callerFor, setupTestDatabase } from '../testing/database.ts'
import { signedUpUser } from '../testing/signed-up-user.ts'
import { attachWebSocket } from '../transport/ws/attach.ts'
import { WS_PATH } from '../transport/ws/socket-protocol.ts'
import { appRouter } from './root.ts'
import { createRoomInput } from './routers/room.ts'

// This suite measures what bad input does, not the rate limits: thousands of requests from one user.
process.env.REQUESTS_PER_SECOND_PER_CONNECTION = '1000000'
process.env.REQUESTS_PER_SECOND_PER_USER = '1000000'
process.env.REQUESTS_PER_SECOND_PER_ADDRESS = '1000000'
process.env.SHED_REQUESTS_WAITING = '1000000'
process.env.SHED_EVENT_LOOP_DELAY_MS = '600000'
process.env.PENDING_REQUESTS_PER_CONNECTION = '1000'

setupTestDatabase()


const INPUTS_PER_PROCEDURE = 2_000
const ORIGIN = 'http://localhost:3000'

/** Text at the edges: empty, blank, NUL, broken surrogates, right-to-left, joiners, markup, SQL, and far too long. */
const edgyText = fc.oneof(
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\uD800', 'x\uDC00y', '\u202Eevil', '\u200D\u200D', '\uFFFF', '<script>alert(1)</script>', "'; DROP TABLE \"Message\"; --", '../../etc/passwd', '%00', '🏳️‍🌈'.repeat(40)),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ minLength: 4_001, maxLength: 9_000 }),
)

/** Any JSON value, at any depth, with the edgy text mixed in. */
const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: edgyText },
  { weight: 1, arbitrary: fc.constantFrom(null, true, -1, 0, 1e308, Number.MAX_SAFE_INTEGER + 2, 0.5) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }).map(nested) },
  { weight: 1, arbitrary: fc.array(fc.integer(), { minLength: 500, maxLength: 2_500 }) },
)

/** An id that exists nowhere, or is not an id. */
const anyId = fc.oneof(fc.uuid().map(String), edgyText, anyValue)

/** The keys each procedure reads, filled with anything; or anything at all in place of the input. */
function inputsFor(keys: readonly string[]): fc.Arbitrary<unknown> {
  const shaped = fc.record(Object.fromEntries(keys.map((key) => [key, key.endsWith('Id') ? anyId : anyValue])), { requiredKeys: [] })
  return fc.oneof(shaped, anyValue)
}

const PROCEDURES: { path: string; type: 'query' | 'mutation'; keys: string[] }[] = [
  { path: 'room.list', type: 'query', keys: [] },
  { path: 'room.browse', type: 'query', keys: [] },
  { path: 'room.people', type: 'query', keys: [] },
  { path: 'room.members', type: 'query', keys: ['roomId'] },
  { path: 'room.create', type: 'mutation', keys: ['name', 'visibility'] },
  { path: 'room.invite', type: 'mutation', keys: ['roomId', 'userId'] },
  { path: 'room.openDirect', type: 'mutation', keys: ['userId'] },
  { path: 'room.join', type: 'mutation', keys: ['roomId'] },
  { path: 'room.leave', type: 'mutation', keys: ['roomId'] },
  { path: 'room.markRead', type: 'mutation', keys: ['roomId', 'seq'] },
  { path: 'room.typing', type: 'mutation', keys: ['roomId'] },
  { path: 'message.send', type: 'mutation', keys: ['roomId', 'text', 'clientId', 'asUserId'] },
  { path: 'message.edit', type: 'mutation', keys: ['messageId', 'text'] },
  { path: 'message.delete', type: 'mutation', keys: ['messageId'] },
  { path: 'message.react', type: 'mutation', keys: ['messageId', 'emoji', 'on'] },
  { path: 'message.search', type: 'query', keys: ['roomId', 'query'] },
  { path: 'message.history', type: 'query', keys: ['roomId', 'beforeSeq', 'limit'] },
]

/** The generated inputs of one procedure: none of them may change anything (a room name that happens to be valid is made invalid). */
function samplesFor(path: string, keys: readonly string[]): unknown[] {
  return fc.sample(inputsFor(keys), { numRuns: INPUTS_PER_PROCEDURE, seed: hash(path) }).map((input) => (path === 'room.create' && createRoomInput.safeParse(input).success ? { name: '\u0000' } : input))
}

let cookie: string
let server: Server
let wsUrl: string
let storedBefore: Record<string, number>

beforeAll(async () => {
  const signedUp = await signedUpUser('Fuzzer', ORIGIN)
  cookie = signedUp.cookie
  // A room the fuzzer is in, with a message: real rows the generated ids must never reach.
  const room = await callerFor(signedUp.user).room.create({ name: `fuzz ${randomUUID().slice(0, 6)}` })
  await callerFor(signedUp.user).message.send({ roomId: room.id, text: 'the one real message', clientId: randomUUID() })
  server = createServer((_req, res) => res.writeHead(404).end())
  attachWebSocket(server, { allowedOrigins: [] })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  wsUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${WS_PATH}`
  storedBefore = await rowCounts()
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('generated bad input, 2,000 per procedure, over HTTP and over the WebSocket', () => {
  it('covers every query and mutation of the router', () => {
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
    const served = procedures.filter(([, procedure]) => procedure._def.type !== 'subscription').map(([path]) => path)
    expect(PROCEDURES.map((procedure) => procedure.path).sort()).toEqual(served.sort())
  })

  it('over HTTP: no answer is a 5xx, every refusal has a code and a sentence, and nothing is stored', async () => {
    const statuses = new Map<number, number>()
    const calls = new Map<number, number>()
    for (const { path, type, keys } of PROCEDURES) {
      // As the browser's httpBatchLink sends them: up to 20 calls per request, each answered on its own.
      const batches = chunks(samplesFor(path, keys), HTTP_MAX_BATCH_SIZE)
      await inWindows(batches, async (inputs) => {
        const response = await callOverHttp(path, type, inputs)
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
        const answers = (await response.json()) as { error?: { message?: string; data?: { code?: string; httpStatus?: number } } }[]
        for (const [i, answer] of answers.entries()) {
          // A procedure without input ignores what it is sent; anything else is a refusal that says why.
          const status = answer.error?.data?.httpStatus ?? 200
          calls.set(status, (calls.get(status) ?? 0) + 1)
          if (status >= 500 || (answer.error && (!answer.error.data?.code || !answer.error.message))) {
            throw new Error(`${type} ${path} answered ${JSON.stringify(answer).slice(0, 300)} to ${JSON.stringify(inputs[i]).slice(0, 200)}`)
          }
        }
      })
    }
    expect([...statuses.keys(), ...calls.keys()].every((status) => status < 500)).toBe(true)
    expect(calls.get(400)).toBeGreaterThan(INPUTS_PER_PROCEDURE)
    expect(await rowCounts()).toEqual(storedBefore)
  })

  it('over the WebSocket: no answer is an internal error, every refusal has a code and a sentence, and nothing is stored', async () => {
    const socket = new WebSocket(wsUrl, { headers: { cookie, origin: new URL(wsUrl).origin.replace('ws:', 'http:') } })
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    type Answer = { id: number; result?: unknown; error?: { message: string; data: { code: string } } }
    const answers = new Map<number, (frame: Answer) => void>()
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Answer
      answers.get(frame.id)?.(frame)
    })
    let id = 0
    const codes = new Map<string, number>()
    for (const { path, type, keys } of PROCEDURES) {
      await inWindows(samplesFor(path, keys), async (input) => {
        const frameId = ++id
        const answered = new Promise<Answer>((resolve) => answers.set(frameId, resolve))
        socket.send(JSON.stringify({ id: frameId, method: type, params: { path, input } }))
        const frame = await answered
        answers.delete(frameId)
        const code = frame.error ? frame.error.data.code : 'OK'
        if (!code || code === 'INTERNAL_SERVER_ERROR' || (frame.error && !frame.error.message)) throw new Error(`${type} ${path} answered ${JSON.stringify(frame).slice(0, 300)} to ${JSON.stringify(input).slice(0, 200)}`)
        codes.set(code, (codes.get(code) ?? 0) + 1)
      })
    }
    socket.close()
    expect(codes.has('INTERNAL_SERVER_ERROR')).toBe(false)
    expect(codes.get('BAD_REQUEST')).toBeGreaterThan(INPUTS_PER_PROCEDURE)
    expect(await rowCounts()).toEqual(storedBefore)
  })

  it('refuses a batch larger than allowed, and a body past the size limit, without reading further', async () => {
    const paths = Array.from({ length: 50 }, () => 'room.list').join(',')
    const batch = await GET(request(`/api/trpc/${paths}?batch=1&input=${encodeURIComponent('{}')}`, 'GET'))
    expect(batch.status).toBe(400)
    const huge = await POST(request('/api/trpc/message.send', 'POST', JSON.stringify({ text: 'x'.repeat(600 * 1024) })))
    expect(huge.status).toBe(413)
    expect(await rowCounts()).toEqual(storedBefore)
  })
})

function callOverHttp(path: string, type: 'query' | 'mutation', inputs: readonly unknown[]): Promise<Response> {
  const batch = Object.fromEntries(inputs.map((input, i) => [i, input]))
  const paths = inputs.map(() => path).join(',')
  if (type === 'query') return GET(request(`/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(batch))}`, 'GET'))
  return POST(request(`/api/trpc/${paths}?batch=1`, 'POST', JSON.stringify(batch)))
}

function request(path: string, method: 'GET' | 'POST', body?: string): Request {
  const headers = new Headers({ cookie, host: 'localhost:3000', origin: ORIGIN, 'content-type': 'application/json' })
  return new Request(`${ORIGIN}${path}`, { method, headers, body })
}

async function rowCounts(): Promise<Record<string, number>> {
  const [rooms, memberships, messages, changes, reactions, users] = await Promise.all([
    db().room.count(),
    db().membership.count(),
    db().message.count(),
    db().messageChange.count(),
    db().reaction.count(),
    db().user.count(),
  ])
  return { rooms, memberships, messages, changes, reactions, users }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))
}

/** Runs `task` over the inputs, this many at a time (as a busy client would). */
const WINDOW = 32

async function inWindows<T>(inputs: readonly T[], task: (input: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < inputs.length; start += WINDOW) await Promise.all(inputs.slice(start, start + WINDOW).map(task))
}

/** Deeper than any procedure's input. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = { roomId: value }
  return value
}

function hash(text: string): number {
  let value = 0
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) | 0
  return value
}

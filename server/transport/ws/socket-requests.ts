import { callTRPCProcedure, TRPCError } from '@trpc/server'
import { WebSocket } from 'ws'
import type { SessionUser } from '../../auth.ts'
import { sessionToken } from '../../http/session-token.ts'
import { floodCooldown } from '../../limits/flood-cooldown.ts'
import { loadShedder } from '../../limits/load-shedder.ts'
import { connectionBucket, limits, REFUSAL_WINDOW_MS, STREAM_OPEN_COST, userRates } from '../../limits/request-limits.ts'
import { rateLimited, sheddingLoad } from '../../limits/refusals.ts'
import type { SessionCredentials } from '../../session-watch.ts'
import { errorShape } from '../trpc-wire.ts'
import { appRouter } from '../../trpc/root.ts'
import { EVENTS_STREAM_PATH } from '../../trpc/routers/events.ts'
import type { EventStreamSocket } from './event-stream-socket.ts'
import { MAX_REQUESTS_PER_FRAME, messagesOf, type Incoming, type MessageId, type RequestMessage } from './socket-messages.ts'
import { FLOODING_CLOSE_CODE } from './socket-protocol.ts'

/** Requests of one socket that run at once; the rest wait their turn, in the order they came. */
const RUNNING_PER_SOCKET = 4

type Reply = { id: MessageId | null; jsonrpc?: '2.0' | undefined; result?: { type: 'data'; data: unknown }; error?: unknown }

/**
 * Serves the tRPC requests of one signed-in WebSocket, in tRPC's wire format: events.stream
 * subscriptions go to the socket's EventStreamSocket, queries and mutations run through the
 * router as the socket's user, a few at a time in the order they came. What one socket may ask
 * is bounded: a rate (its own and its user's), a number waiting, and a socket that keeps asking
 * after being refused is closed. Work for a socket that closed is dropped.
 */
export class SocketRequests {
  private readonly bucket = connectionBucket()
  private readonly waiting: RequestMessage[] = []
  private running = 0
  private readonly refusedAt: number[] = []
  private isClosed = false
  /** Aborts the requests still running when the socket closes; made by the first request (an idle socket has none). */
  private inFlight: AbortController | undefined
  private readonly context: { user: SessionUser }

  constructor(
    private readonly socket: WebSocket,
    user: SessionUser,
    private readonly credentials: SessionCredentials,
    private readonly streams: EventStreamSocket,
  ) {
    this.context = { user }
  }

  /** The socket closed: what waits is dropped, what runs is aborted. */
  closed(): void {
    this.isClosed = true
    this.waiting.length = 0
    this.inFlight?.abort()
  }

  /** A keep-alive PING: answered while the socket keeps to its rate (a PING flood is a flood too), even when shedding load. */
  ping(): void {
    if (!this.bucket.take(1)) return this.countRefusal()
    this.socket.send('PONG')
  }

  /** One text frame from the client. Every frame costs at least one request of the socket's allowance, even one that is not JSON. */
  receive(frame: string): void {
    const messages = messagesOf(frame)
    const refusal = this.admit(costOf(messages))
    if (!messages) {
      if (refusal) return this.countRefusal()
      return this.reply({ id: null, error: this.shape(new TRPCError({ code: 'PARSE_ERROR', message: 'A frame must be JSON.' })) })
    }
    if (messages.length > MAX_REQUESTS_PER_FRAME) {
      return this.reply({ id: null, error: this.shape(new TRPCError({ code: 'PAYLOAD_TOO_LARGE', message: `At most ${MAX_REQUESTS_PER_FRAME} requests per frame.` })) })
    }
    for (const incoming of messages) {
      if (incoming.kind === 'malformed') {
        this.reply({ id: incoming.id, jsonrpc: incoming.jsonrpc, error: this.shape(new TRPCError({ code: 'BAD_REQUEST', message: 'Unexpected message format.' })) })
      } else if (incoming.kind === 'stop') {
        // Stopping is always allowed: it frees work.
        this.streams.stop(incoming.message.id)
      } else if (refusal) {
        this.refuse(incoming.message, refusal)
      } else if (incoming.message.method === 'subscription') {
        this.subscribe(incoming.message)
      } else {
        this.waiting.push(incoming.message)
      }
    }
    this.runWaiting()
  }

  /** Why `cost` requests may not go ahead now (undefined when they may). Waiting requests count against the pending limit. */
  private admit(cost: number): TRPCError | undefined {
    const shedder = loadShedder()
    if (shedder.overloaded()) return sheddingLoad(shedder.retryAfterMs())
    if (!this.bucket.take(cost)) return rateLimited(this.bucket.retryAfterMs(cost))
    const userWait = userRates().admit(this.context.user.id, cost)
    if (userWait > 0) return rateLimited(userWait)
    if (this.running + this.waiting.length + cost > limits().pendingPerConnection) return rateLimited(1_000)
    return undefined
  }

  private subscribe(message: RequestMessage): void {
    const { id, jsonrpc, params } = message
    if (params.path !== EVENTS_STREAM_PATH) {
      const error = new TRPCError({ code: 'NOT_FOUND', message: `No subscription on path "${params.path}".` })
      return this.reply({ id, jsonrpc, error: this.shape(error, message) })
    }
    this.streams.start(id, jsonrpc, params)
  }

  private runWaiting(): void {
    while (this.running < RUNNING_PER_SOCKET && this.waiting.length > 0 && !this.isClosed) {
      const message = this.waiting.shift()!
      this.running++
      void this.run(message).finally(() => {
        this.running--
        this.runWaiting()
      })
    }
  }

  private async run(message: RequestMessage): Promise<void> {
    const { id, jsonrpc, method, params } = message
    try {
      const signal = (this.inFlight ??= new AbortController()).signal
      const data: unknown = await callTRPCProcedure({ router: appRouter, path: params.path, getRawInput: async () => params.input, ctx: this.context, type: method, signal, batchIndex: 0 })
      this.reply({ id, jsonrpc, result: { type: 'data', data } })
    } catch (cause) {
      this.reply({ id, jsonrpc, error: this.shape(cause, message) })
    }
  }

  private refuse(message: RequestMessage, refusal: TRPCError): void {
    this.reply({ id: message.id, jsonrpc: message.jsonrpc, error: this.shape(refusal, message) })
    this.countRefusal()
  }

  /** A client that keeps on after being told to wait is flooding: its socket is closed. */
  private countRefusal(): void {
    const now = performance.now()
    this.refusedAt.push(now)
    while (this.refusedAt[0]! < now - REFUSAL_WINDOW_MS) this.refusedAt.shift()
    if (this.refusedAt.length < limits().refusalsBeforeClose || this.socket.readyState !== WebSocket.OPEN) return
    closeFlooding(this.socket)
    const token = sessionToken(this.credentials.cookie)
    if (token) floodCooldown().mark(token)
  }

  private shape(cause: unknown, message?: RequestMessage) {
    return errorShape(cause, { type: message?.method ?? 'unknown', path: message?.params.path, input: message?.params.input })
  }

  private reply(reply: Reply): void {
    if (this.isClosed || this.socket.readyState !== WebSocket.OPEN) return
    this.socket.send(JSON.stringify(reply))
  }
}

/**
 * Says why (close code 4429), then hangs up shortly after whether or not the client answers: a
 * flooding client keeps sending, and a closing handshake would keep this side reading it.
 */
function closeFlooding(socket: WebSocket): void {
  socket.close(FLOODING_CLOSE_CODE, 'Too many requests')
  // Nothing more is read from it: what it already sent waits in the kernel until the hang-up drops it.
  socket.pause()
  setTimeout(() => socket.terminate(), FLOODING_HANG_UP_MS).unref()
}

const FLOODING_HANG_UP_MS = 1_000

/** What a frame counts against the rates: a request each, a stream opened as several, and at least one (a frame that is not JSON too). */
function costOf(messages: Incoming[] | undefined): number {
  let cost = 0
  for (const incoming of messages ?? []) cost += incoming.kind === 'request' && incoming.message.method === 'subscription' ? STREAM_OPEN_COST : 1
  return Math.max(1, cost)
}

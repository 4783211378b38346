import { TRPCError } from '@trpc/server'
import { streamToSink, type FeedSink, type OpenStream, type StreamEnd } from '../../realtime/stream-to-sink.ts'
import { shutdownSignal } from '../../lifecycle.ts'
import { limits } from '../../limits/request-limits.ts'
import { userConnections, type CountedConnection } from '../../limits/user-connections.ts'
import { countStream } from '../../metrics.ts'
import { SSE_PING_MS, SSE_RECONNECT_AFTER_INACTIVITY_MS } from '../../realtime/heartbeat.ts'
import { createContext } from '../../trpc/context.ts'
import { processWide } from '../../process-wide.ts'
import { SESSION_RECHECK_MS, SessionWatch, sessionCredentials, type SessionCredentials, type WatchedSession } from '../../session-watch.ts'
import type { ClientEvent } from '../../chat/types.ts'
import { EVENTS_STREAM_PATH } from '../../trpc/routers/events.ts'
import { TOO_MANY_CONNECTIONS_MESSAGE } from '../ws/socket-protocol.ts'
import { parseStreamRequest, SSE_PING_FRAME, SSE_RETURN_FRAME, sseEventFrame, sseNamedFrame, streamErrorShape } from '../trpc-wire.ts'
import { logger } from '../../log.ts'

const log = logger('sse')

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
}

const CONNECTED_FRAME = sseNamedFrame('connected', JSON.stringify({ reconnectAfterInactivityMs: SSE_RECONNECT_AFTER_INACTIVITY_MS }))

/** True for the request httpSubscriptionLink makes for events.stream. */
export function isEventStreamRequest(req: Request): boolean {
  return req.method === 'GET' && new URL(req.url).pathname === `/api/trpc/${EVENTS_STREAM_PATH}`
}

/**
 * Serves events.stream as Server-Sent Events itself, in the format tRPC's httpSubscriptionLink
 * reads (what tRPC's SSE producer writes: connected, tracked events, ping, return,
 * serialized-error). Why: tRPC's producer runs each subscriber through several async generators
 * and writes every event as four chunks, encoded per subscriber; here a live event is pushed
 * synchronously and its bytes encoded once per fan-out. Same input schema, same checks and the
 * same stream (streamToSink: backlog, resume, dedupe, overflow) as the WebSocket transport.
 */
export async function eventStreamResponse(req: Request): Promise<Response> {
  const url = new URL(req.url)
  const { user } = await createContext({ headers: req.headers })
  let rawInput: unknown
  const fail = (cause: unknown) => errorResponse(cause, rawInput)
  try {
    const inputParam = url.searchParams.get('input')
    rawInput = inputParam ? JSON.parse(inputParam) : {}
  } catch (cause) {
    return fail(new TRPCError({ code: 'PARSE_ERROR', message: 'The input is not JSON.', cause }))
  }
  if (!user) return fail(new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' }))
  // tRPC's links send the resume cursor as Last-Event-ID or a query parameter.
  const lastEventIdParam = req.headers.get('last-event-id') ?? url.searchParams.get('lastEventId') ?? url.searchParams.get('Last-Event-Id')
  let lastEventId: number | undefined
  try {
    ;({ lastEventId } = parseStreamRequest(user.id, rawInput, lastEventIdParam || undefined))
  } catch (error) {
    return fail(error)
  }

  let stream: SseStream | undefined
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        stream = new SseStream(controller, user.id, sessionCredentials((name) => req.headers.get(name)), rawInput)
        stream.open(lastEventId, req.signal)
      },
      cancel() {
        stream?.readerGone()
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  )
  return new Response(body, { headers: SSE_HEADERS })
}

/**
 * One open event stream response, as the sink of its stream: events as tRPC's SSE frames, a ping
 * every SSE_PING_MS, and an end that says why (`return`: reconnect and resume; or the error).
 * Ends when the session ends elsewhere (it outlives the check that opened it), when a newer
 * connection of the user displaces it, on shutdown, and when its reader goes away.
 */
class SseStream implements FeedSink, WatchedSession, CountedConnection {
  private ended = false
  private stream: OpenStream | undefined
  private ping: NodeJS.Timeout | undefined
  private requestSignal: AbortSignal | undefined

  constructor(
    private readonly controller: ReadableStreamDefaultController<Uint8Array>,
    readonly userId: string,
    readonly credentials: SessionCredentials,
    private readonly input: unknown,
  ) {}

  open(lastEventId: number | undefined, requestSignal: AbortSignal): void {
    // The reader left before the body started: nothing to stream, nothing to count.
    if (requestSignal.aborted) {
      this.ended = true
      return this.controller.close()
    }
    countStream('sse', 1)
    userConnections().open(this)
    sessionWatch().watch(this)
    this.requestSignal = requestSignal
    requestSignal.addEventListener('abort', this.readerGone, { once: true })
    shutdownSignal().addEventListener('abort', this.shutDown, { once: true })
    this.send(CONNECTED_FRAME)
    this.ping = setInterval(this.sendPing, SSE_PING_MS)
    this.stream = streamToSink(this.userId, lastEventId, this)
    if (shutdownSignal().aborted) this.shutDown()
  }

  /** A reader that stops reading is cut off once this much waits for it; it resumes from its last event id. */
  hasRoom(): boolean {
    return (this.controller.desiredSize ?? 0) > -limits().subscriberQueueBytes
  }

  write(cursor: number, event: ClientEvent): void {
    this.send(sseEventFrame(cursor, event))
  }

  /** Shutdown, a reader fallen behind and a stop all say `return`: the client reconnects and resumes. */
  end(outcome: StreamEnd): void {
    if (outcome.reason !== 'failed') return this.finish(SSE_RETURN_FRAME)
    log.error('events.stream failed', { userId: this.userId, error: outcome.error })
    this.finish(errorFrame(outcome.error, this.input))
  }

  sessionEnded(): void {
    this.finish(errorFrame(new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session ended. Sign in again.' }), this.input))
  }

  displaced(): void {
    this.finish(errorFrame(new TRPCError({ code: 'TOO_MANY_REQUESTS', message: TOO_MANY_CONNECTIONS_MESSAGE }), this.input))
  }

  readonly readerGone = (): void => this.finish(undefined)

  private readonly shutDown = (): void => this.stream?.stop()

  private readonly sendPing = (): void => this.send(SSE_PING_FRAME)

  /** Nothing is enqueued once the stream has ended (or its reader went away). */
  private send(bytes: Uint8Array): void {
    if (!this.ended) this.controller.enqueue(bytes)
  }

  private finish(last: Uint8Array | undefined): void {
    if (this.ended) return
    this.ended = true
    countStream('sse', -1)
    userConnections().closed(this)
    sessionWatch().unwatch(this)
    clearInterval(this.ping)
    this.requestSignal?.removeEventListener('abort', this.readerGone)
    shutdownSignal().removeEventListener('abort', this.shutDown)
    this.stream?.stop() // ends the stream (and a backlog still being read); its end() finds this one ended
    if (!last || this.requestSignal?.aborted) return
    this.controller.enqueue(last)
    this.controller.close()
  }
}

/** The SSE streams' session re-checks, one timer for the process. */
function sessionWatch(): SessionWatch {
  return processWide('sse-session-watch', () => new SessionWatch(SESSION_RECHECK_MS))
}

function errorFrame(cause: unknown, input: unknown): Uint8Array {
  return sseNamedFrame('serialized-error', JSON.stringify(streamErrorShape(cause, input)))
}

/** A refused subscription, as tRPC sends one: an event stream that says why and ends. */
function errorResponse(cause: unknown, input: unknown): Response {
  const encoded = new Uint8Array([...CONNECTED_FRAME, ...errorFrame(cause, input)])
  return new Response(encoded, { headers: SSE_HEADERS })
}

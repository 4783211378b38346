import { TRPCError } from '@trpc/server'
import { watchSession } from '../../auth.ts'
import { streamToSink } from '../../realtime/stream-to-sink.ts'
import { shutdownSignal } from '../../lifecycle.ts'
import { limits } from '../../limits/request-limits.ts'
import { userConnections } from '../../limits/user-connections.ts'
import { countStream } from '../../metrics.ts'
import { SSE_PING_MS, SSE_RECONNECT_AFTER_INACTIVITY_MS } from '../../realtime/heartbeat.ts'
import { createContext } from '../../trpc/context.ts'
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
  const { user, headers } = await createContext({ headers: req.headers })
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

  let stopStreaming = () => {}
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const stop = new AbortController()
        const signal = AbortSignal.any([stop.signal, req.signal, shutdownSignal()])
        let ended = false
        // Ends when the session ends elsewhere (sign-out, expiry): the stream outlives the check that opened it.
        const stopWatching = watchSession(headers, user.id, () => end(errorFrame(new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session ended. Sign in again.' }), rawInput)))
        // Nothing is enqueued once the stream has ended (or its reader went away).
        const send = (bytes: Uint8Array) => {
          if (!ended) controller.enqueue(bytes)
        }
        const ping = setInterval(() => send(SSE_PING_FRAME), SSE_PING_MS)
        const uncount = countStream('sse')
        const forget = userConnections().open(user.id, () => end(errorFrame(new TRPCError({ code: 'TOO_MANY_REQUESTS', message: TOO_MANY_CONNECTIONS_MESSAGE }), rawInput)))
        // A reader that stops reading is cut off once this much waits for it; it resumes from its last event id.
        const hasRoom = () => (controller.desiredSize ?? 0) > -limits().subscriberQueueBytes
        function end(last: Uint8Array | undefined, readerGone = false): void {
          if (ended) return
          ended = true
          uncount()
          forget()
          clearInterval(ping)
          stopWatching()
          stop.abort() // ends the stream (and a backlog still being read)
          if (readerGone || req.signal.aborted) return
          if (last) controller.enqueue(last)
          controller.close()
        }
        stopStreaming = () => end(undefined, true)
        send(CONNECTED_FRAME)
        // Shutdown, a reader fallen behind and the end of the stream say `return`: the client reconnects and resumes.
        void streamToSink(user.id, lastEventId, signal, {
          hasRoom,
          write: (cursor, event) => send(sseEventFrame(cursor, event)),
          end: (outcome) => {
            if (outcome.reason !== 'failed') return end(SSE_RETURN_FRAME)
            log.error('events.stream failed', { userId: user.id, error: outcome.error })
            end(errorFrame(outcome.error, rawInput))
          },
        })
      },
      cancel() {
        stopStreaming()
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  )
  return new Response(body, { headers: SSE_HEADERS })
}

function errorFrame(cause: unknown, input: unknown): Uint8Array {
  return sseNamedFrame('serialized-error', JSON.stringify(streamErrorShape(cause, input)))
}

/** A refused subscription, as tRPC sends one: an event stream that says why and ends. */
function errorResponse(cause: unknown, input: unknown): Response {
  const encoded = new Uint8Array([...CONNECTED_FRAME, ...errorFrame(cause, input)])
  return new Response(encoded, { headers: SSE_HEADERS })
}

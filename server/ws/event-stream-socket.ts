import { TRPCError } from '@trpc/server'
import { WebSocket } from 'ws'
import type { SessionUser } from '../auth.ts'
import { UserEventFeed } from '../chat/event-stream.ts'
import { shutdownSignal } from '../lifecycle.ts'
import { countStream } from '../metrics.ts'
import { isRecord, parseStreamRequest, streamErrorShape } from '../trpc/events-stream-request.ts'
import { EVENTS_STREAM_PATH } from '../trpc/routers/events.ts'
import { eventFrame, type SubscriptionId } from './event-frames.ts'

/** A socket with this much unsent output has stopped reading: its stream ends and resumes later from its last event id. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024

const TEXT = { binary: false }

type StreamRequest = { id: SubscriptionId; jsonrpc?: '2.0'; params: { input?: unknown; lastEventId?: unknown } }

/**
 * Serves `events.stream` subscriptions on one WebSocket itself, in tRPC's wire format (the
 * browser's wsLink cannot tell the difference), and leaves every other request to tRPC's adapter.
 * Why: tRPC runs each subscriber through its own chain of async iterators and encodes every event
 * once per subscriber; here a live event is pushed synchronously and its frame encoded once per
 * fan-out (event-frames.ts). Same input schema, same checks and the same UserEventFeed (backlog,
 * resume, dedupe, overflow) as the procedure in server/trpc/routers/events.ts, which SSE uses.
 */
export class EventStreamSocket {
  private readonly streams = new Map<SubscriptionId, AbortController>()

  constructor(
    private readonly socket: WebSocket,
    private readonly user: SessionUser,
  ) {
    socket.once('close', () => {
      for (const stream of this.streams.values()) stream.abort()
    })
  }

  /** Takes the frame's requests for events.stream; returns the rest for tRPC (undefined when none is left). */
  claim(frame: string): string | undefined {
    // Queries and mutations (the browser sends them here while the stream is live) pass unparsed.
    if (!frame.includes('"subscription')) return frame
    if (!frame.includes(EVENTS_STREAM_PATH) && this.streams.size === 0) return frame
    let parsed: unknown
    try {
      parsed = JSON.parse(frame)
    } catch {
      return frame // tRPC answers the parse error
    }
    const requests = Array.isArray(parsed) ? parsed : [parsed]
    const rest = requests.filter((request) => !this.take(request))
    if (rest.length === requests.length) return frame
    if (rest.length === 0) return undefined
    return JSON.stringify(Array.isArray(parsed) ? rest : rest[0])
  }

  private take(request: unknown): boolean {
    if (!isRecord(request) || (typeof request.id !== 'number' && typeof request.id !== 'string')) return false
    if (request.method === 'subscription.stop') {
      const stream = this.streams.get(request.id)
      stream?.abort()
      return stream !== undefined
    }
    if (request.method !== 'subscription' || !isRecord(request.params) || request.params.path !== EVENTS_STREAM_PATH) return false
    void this.serve({ id: request.id, jsonrpc: request.jsonrpc === '2.0' ? '2.0' : undefined, params: request.params })
    return true
  }

  private async serve({ id, jsonrpc, params }: StreamRequest): Promise<void> {
    const respond = (body: object) => this.socket.readyState === WebSocket.OPEN && this.socket.send(JSON.stringify({ id, jsonrpc, ...body }))
    const fail = (cause: unknown) => {
      const error = streamErrorShape(cause, params.input)
      if (error.data.code === 'INTERNAL_SERVER_ERROR') console.error('[ws] events.stream failed', cause)
      respond({ error })
    }
    if (this.streams.has(id)) return fail(new TRPCError({ code: 'BAD_REQUEST', message: `Duplicate id ${id}` }))
    let lastEventId: number | undefined
    try {
      ;({ lastEventId } = parseStreamRequest(this.user.id, params.input, params.lastEventId))
    } catch (error) {
      return fail(error)
    }

    const stop = new AbortController()
    this.streams.set(id, stop)
    const uncount = countStream('websocket')
    // Ends on client stop or disconnect and on overflow. On shutdown the server closes every
    // socket (attach.ts closeAll), which ends its streams; one opened meanwhile ends at once.
    const { signal } = stop
    if (shutdownSignal().aborted) stop.abort()
    respond({ result: { type: 'started' } })
    let feed: UserEventFeed | undefined
    try {
      feed = await UserEventFeed.open(this.user.id, { onOverflow: () => stop.abort() })
      for await (const { cursor, event } of feed.backlog(lastEventId, signal)) this.send(eventFrame(id, jsonrpc, cursor, event))
      if (!signal.aborted) {
        feed.push((cursor, event) => {
          if (this.socket.readyState !== WebSocket.OPEN || this.socket.bufferedAmount > MAX_BUFFERED_BYTES) return false
          this.send(eventFrame(id, jsonrpc, cursor, event))
          return true
        })
        await new Promise((resolve) => (signal.aborted ? resolve(undefined) : signal.addEventListener('abort', resolve, { once: true })))
      }
      respond({ result: { type: 'stopped' } })
    } catch (error) {
      fail(error)
    } finally {
      feed?.close()
      this.streams.delete(id)
      uncount()
    }
  }

  private send(frame: Buffer): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame, TEXT)
  }
}

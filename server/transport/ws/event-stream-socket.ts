import { TRPCError } from '@trpc/server'
import { WebSocket } from 'ws'
import type { SessionUser } from '../../auth.ts'
import { streamToSink } from '../../realtime/stream-to-sink.ts'
import { shutdownSignal } from '../../lifecycle.ts'
import { limits } from '../../limits/request-limits.ts'
import { countStream } from '../../metrics.ts'
import { eventFrame, parseStreamRequest, streamErrorShape } from '../trpc-wire.ts'
import type { MessageId, RequestMessage } from './socket-messages.ts'
import { logger } from '../../log.ts'

const log = logger('ws')

const TEXT = { binary: false }

/**
 * Serves `events.stream` subscriptions on one WebSocket, in tRPC's wire format (the browser's
 * wsLink cannot tell the difference). Why not tRPC's own handler: it runs each subscriber through
 * its own chain of async iterators and encodes every event once per subscriber; here a live event
 * is pushed synchronously and its frame encoded once per fan-out (../trpc-wire.ts). Same input
 * schema (server/trpc/routers/events.ts) and the same stream (streamToSink) as the SSE transport.
 */
export class EventStreamSocket {
  private readonly streams = new Map<MessageId, AbortController>()

  constructor(
    private readonly socket: WebSocket,
    private readonly user: SessionUser,
  ) {
    socket.once('close', () => {
      for (const stream of this.streams.values()) stream.abort()
    })
  }

  stop(id: MessageId): void {
    this.streams.get(id)?.abort()
  }

  start(id: MessageId, jsonrpc: '2.0' | undefined, params: RequestMessage['params']): void {
    const respond = (body: object) => this.socket.readyState === WebSocket.OPEN && this.socket.send(JSON.stringify({ id, jsonrpc, ...body }))
    const fail = (cause: unknown) => {
      const error = streamErrorShape(cause, params.input)
      if (error.data.code === 'INTERNAL_SERVER_ERROR') log.error('events.stream failed', { userId: this.user.id, error: cause })
      respond({ error })
    }
    if (this.streams.has(id)) return fail(new TRPCError({ code: 'BAD_REQUEST', message: `Duplicate id ${id}` }))
    let lastEventId: number | undefined
    try {
      ;({ lastEventId } = parseStreamRequest(this.user.id, params.input, params.lastEventId))
    } catch (error) {
      return fail(error)
    }

    // Ends on client stop or disconnect, and when the client stops reading (it resumes later from
    // its last event id). On shutdown the server closes every socket, which ends its streams.
    const stop = new AbortController()
    this.streams.set(id, stop)
    const uncount = countStream('websocket')
    if (shutdownSignal().aborted) stop.abort()
    respond({ result: { type: 'started' } })
    const maxQueued = limits().subscriberQueueBytes
    void streamToSink(this.user.id, lastEventId, stop.signal, {
      hasRoom: () => this.socket.readyState === WebSocket.OPEN && this.socket.bufferedAmount <= maxQueued,
      write: (cursor, event) => this.send(eventFrame(id, jsonrpc, cursor, event)),
      end: (outcome) => {
        this.streams.delete(id)
        uncount()
        if (outcome.reason === 'failed') fail(outcome.error)
        else respond({ result: { type: 'stopped' } })
      },
    })
  }

  private send(frame: Buffer): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame, TEXT)
  }
}

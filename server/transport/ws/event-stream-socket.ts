import { TRPCError } from '@trpc/server'
import { WebSocket } from 'ws'
import type { SessionUser } from '../../auth.ts'
import { streamToSink, type FeedSink, type OpenStream, type StreamEnd } from '../../realtime/stream-to-sink.ts'
import { shutdownSignal } from '../../lifecycle.ts'
import { limits } from '../../limits/request-limits.ts'
import { countStream } from '../../metrics.ts'
import { eventFrame, parseStreamRequest, streamErrorShape } from '../trpc-wire.ts'
import type { ClientEvent } from '../../chat/types.ts'
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
  private readonly streams = new Map<MessageId, SocketStream>()

  constructor(
    private readonly socket: WebSocket,
    private readonly user: SessionUser,
  ) {}

  stop(id: MessageId): void {
    this.streams.get(id)?.stop()
  }

  /** The socket closed: its streams end. */
  closed(): void {
    for (const stream of this.streams.values()) stream.stop()
  }

  start(id: MessageId, jsonrpc: '2.0' | undefined, params: RequestMessage['params']): void {
    const fail = (cause: unknown) => respondFailed(this.socket, this.user.id, id, jsonrpc, params.input, cause)
    if (this.streams.has(id)) return fail(new TRPCError({ code: 'BAD_REQUEST', message: `Duplicate id ${id}` }))
    let lastEventId: number | undefined
    try {
      ;({ lastEventId } = parseStreamRequest(this.user.id, params.input, params.lastEventId))
    } catch (error) {
      return fail(error)
    }
    const stream = new SocketStream(this.socket, this.user.id, id, jsonrpc, params.input, this.streams)
    this.streams.set(id, stream)
    respond(this.socket, id, jsonrpc, { result: { type: 'started' } })
    stream.open(lastEventId)
    // On shutdown the server closes every socket, which ends its streams; one opened meanwhile ends at once.
    if (shutdownSignal().aborted) stream.stop()
  }
}

/**
 * One subscription on the socket, as the sink of its stream: frames its events with the
 * subscription's id, cuts the reader off when the socket's buffer is past the limit (it resumes
 * later from its last event id), and answers `stopped` (or the error) when the stream ends.
 */
class SocketStream implements FeedSink {
  private stream: OpenStream | undefined

  constructor(
    private readonly socket: WebSocket,
    private readonly userId: string,
    private readonly id: MessageId,
    private readonly jsonrpc: '2.0' | undefined,
    private readonly input: unknown,
    /** The socket's open streams, which this one leaves when it ends. */
    private readonly openStreams: Map<MessageId, SocketStream>,
  ) {}

  open(lastEventId: number | undefined): void {
    countStream('websocket', 1)
    this.stream = streamToSink(this.userId, lastEventId, this)
  }

  stop(): void {
    this.stream?.stop()
  }

  hasRoom(): boolean {
    return this.socket.readyState === WebSocket.OPEN && this.socket.bufferedAmount <= limits().subscriberQueueBytes
  }

  write(cursor: number, event: ClientEvent): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(eventFrame(this.id, this.jsonrpc, cursor, event), TEXT)
  }

  end(outcome: StreamEnd): void {
    this.openStreams.delete(this.id)
    countStream('websocket', -1)
    if (outcome.reason === 'failed') return respondFailed(this.socket, this.userId, this.id, this.jsonrpc, this.input, outcome.error)
    respond(this.socket, this.id, this.jsonrpc, { result: { type: 'stopped' } })
  }
}

function respond(socket: WebSocket, id: MessageId, jsonrpc: '2.0' | undefined, body: object): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id, jsonrpc, ...body }))
}

function respondFailed(socket: WebSocket, userId: string, id: MessageId, jsonrpc: '2.0' | undefined, input: unknown, cause: unknown): void {
  const error = streamErrorShape(cause, input)
  if (error.data.code === 'INTERNAL_SERVER_ERROR') log.error('events.stream failed', { userId, error: cause })
  respond(socket, id, jsonrpc, { error })
}

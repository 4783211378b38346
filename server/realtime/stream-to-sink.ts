import { UserEventFeed } from './user-feed.ts'
import type { ClientEvent } from '../chat/types.ts'

/** How a stream ended: its signal aborted (client stop, disconnect, shutdown), its reader fell behind, or it failed. */
export type StreamEnd = { reason: 'stopped' } | { reason: 'fell-behind' } | { reason: 'failed'; error: unknown }

/**
 * Where one subscriber's events go: a WebSocket (server/transport/ws), a Server-Sent Events response
 * (server/transport/sse), or in tests an array. Each transport encodes an event its own way.
 */
export type FeedSink = {
  /** False once the reader has fallen so far behind that the stream should end rather than buffer more. */
  hasRoom(): boolean
  write(cursor: number, event: ClientEvent): void
  /** Called once, when the stream has ended; nothing is written after it. */
  end(outcome: StreamEnd): void
}

/**
 * One subscriber's `events.stream`, whatever carries it: what it missed since `lastEventId`,
 * `ready`, then every live event as it happens, until `signal` aborts or the reader falls behind
 * (it resumes later from its last event id and loses nothing); then `sink.end`. Returns once the
 * stream is live (or over): an open stream holds no suspended function, only its feed and sink.
 */
export async function streamToSink(userId: string, lastEventId: number | undefined, signal: AbortSignal, sink: FeedSink): Promise<void> {
  if (signal.aborted) return sink.end({ reason: 'stopped' })
  let feed: UserEventFeed | undefined
  let ended = false
  const finish = (outcome: StreamEnd) => {
    if (ended) return
    ended = true
    signal.removeEventListener('abort', stop)
    feed?.close()
    sink.end(outcome)
  }
  const stop = () => finish({ reason: 'stopped' })
  signal.addEventListener('abort', stop, { once: true })
  try {
    feed = await UserEventFeed.open(userId, { onOverflow: () => finish({ reason: 'fell-behind' }) })
    if (ended) return feed.close()
    for await (const { cursor, event } of feed.backlog(lastEventId, signal)) {
      if (ended) return
      if (!sink.hasRoom()) return finish({ reason: 'fell-behind' })
      sink.write(cursor, event)
    }
    if (ended) return
    feed.push((cursor, event) => {
      if (!sink.hasRoom()) return false
      sink.write(cursor, event)
      return true
    })
  } catch (error) {
    finish({ reason: 'failed', error })
  }
}

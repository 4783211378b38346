import { UserEventFeed, type FeedConsumer } from './user-feed.ts'
import type { ClientEvent } from '../chat/types.ts'

/** How a stream ended: stopped (client stop, disconnect, shutdown), its reader fell behind, or it failed. */
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

/** An open stream: stop() ends it (its sink hears `stopped`); stopping one already over does nothing. */
export type OpenStream = { stop(): void }

/** A backlog that never has to be abandoned halfway: a stream opened without a cursor reads none. */
const NO_BACKLOG_TO_ABANDON = new AbortController().signal

/**
 * One subscriber's `events.stream`, whatever carries it: what it missed since `lastEventId`,
 * `ready`, then every live event as it happens, until stopped or the reader falls behind (it
 * resumes later from its last event id and loses nothing); then `sink.end`. Returns at once. An
 * open stream is one small object between its feed and its sink: no suspended function, no
 * closures, no AbortController once live (memory per idle connection).
 */
export function streamToSink(userId: string, lastEventId: number | undefined, sink: FeedSink): OpenStream {
  const stream = new SinkStream(sink)
  void stream.run(userId, lastEventId)
  return stream
}

class SinkStream implements OpenStream, FeedConsumer {
  private feed: UserEventFeed | undefined
  private ended = false
  /** Only while a backlog is read: stopping abandons it (and a wait for the user's backlog allowance). */
  private backlogStop: AbortController | undefined

  constructor(private readonly sink: FeedSink) {}

  stop(): void {
    this.finish({ reason: 'stopped' })
  }

  async run(userId: string, lastEventId: number | undefined): Promise<void> {
    try {
      const feed = await UserEventFeed.open(userId, this)
      this.feed = feed
      if (this.ended) return feed.close()
      if (lastEventId !== undefined) this.backlogStop = new AbortController()
      for await (const { cursor, event } of feed.backlog(lastEventId, this.backlogStop?.signal ?? NO_BACKLOG_TO_ABANDON)) {
        if (this.ended) return
        if (!this.sink.hasRoom()) return this.finish({ reason: 'fell-behind' })
        this.sink.write(cursor, event)
      }
      this.backlogStop = undefined
      if (!this.ended) feed.push()
    } catch (error) {
      this.finish({ reason: 'failed', error })
    }
  }

  /** From the feed, once live: one event, or false when the reader has no room left. */
  deliver(cursor: number, event: ClientEvent): boolean {
    if (!this.sink.hasRoom()) return false
    this.sink.write(cursor, event)
    return true
  }

  /** From the feed: the reader fell too far behind (the feed has closed itself). */
  overflowed(): void {
    this.finish({ reason: 'fell-behind' })
  }

  private finish(outcome: StreamEnd): void {
    if (this.ended) return
    this.ended = true
    this.backlogStop?.abort()
    this.backlogStop = undefined
    this.feed?.close()
    this.sink.end(outcome)
  }
}

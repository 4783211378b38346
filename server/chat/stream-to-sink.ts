import { UserEventFeed } from './event-stream.ts'
import type { ClientEvent } from './types.ts'

/**
 * Where one subscriber's events are written: a WebSocket (server/ws), a Server-Sent Events
 * response (server/sse), or in tests an array. Each transport encodes the event its own way.
 */
export type FeedSink = {
  /** False once the reader has fallen so far behind that the stream should end rather than buffer more. */
  hasRoom(): boolean
  write(cursor: number, event: ClientEvent): void
}

/** Why a stream ended: its signal aborted (client stop, disconnect, shutdown), or its reader fell behind. */
export type StreamEnd = 'stopped' | 'fell-behind'

/**
 * One subscriber's `events.stream`, whatever carries it: what it missed since `lastEventId`,
 * `ready`, then every live event as it happens, until `signal` aborts or the reader falls behind
 * (it resumes later from its last event id and loses nothing). Resolves once the stream has ended.
 */
export async function streamToSink(userId: string, lastEventId: number | undefined, signal: AbortSignal, sink: FeedSink): Promise<StreamEnd> {
  if (signal.aborted) return 'stopped'
  // One controller for both ends (a plain listener, lighter per stream than AbortSignal.any).
  const stop = new AbortController()
  let fellBehind = false
  const endStream = () => stop.abort()
  signal.addEventListener('abort', endStream, { once: true })
  const feed = await UserEventFeed.open(userId, {
    onOverflow: () => {
      fellBehind = true
      endStream()
    },
  })
  try {
    for await (const { cursor, event } of feed.backlog(lastEventId, stop.signal)) {
      if (!sink.hasRoom()) {
        fellBehind = true
        break
      }
      sink.write(cursor, event)
    }
    if (!fellBehind && !stop.signal.aborted) {
      feed.push((cursor, event) => {
        if (!sink.hasRoom()) return false
        sink.write(cursor, event)
        return true
      })
      if (!stop.signal.aborted) await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }))
    }
    return fellBehind ? 'fell-behind' : 'stopped'
  } finally {
    signal.removeEventListener('abort', endStream)
    feed.close()
  }
}

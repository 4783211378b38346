/** Carries encoded events between the instances of the app (or within one). */
export type Bus = {
  /** Delivers `payload` to every subscriber of `channel`, on every instance. Rejects when it cannot. */
  publish(channel: string, payload: string): Promise<void>
  /** Returns the unsubscribe function. */
  subscribe(channel: string, handler: (payload: string) => void): () => void
  /**
   * Calls `listener` each time the bus (re)established its subscriptions, after an outage during
   * which publishes may have been lost. Returns the function that stops listening.
   */
  onResubscribed(listener: () => void): () => void
  /** Resolves when the bus can carry events now; rejects with the reason it cannot (readiness). */
  checkReady(): Promise<void>
  close(): Promise<void>
}

/** Events with a stream position (messages, joins): ordered and replayable. */
export const STREAM_CHANNEL = 'chat:stream'
/** Live-only events (leaves; later typing and presence). */
export const LIVE_CHANNEL = 'chat:live'

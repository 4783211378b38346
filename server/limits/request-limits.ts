import { env } from '../env.ts'
import { processWide } from '../process-wide.ts'
import { TokenBucket } from './token-bucket.ts'

/** The limits of server/env.ts, in the units the code uses. */
export type Limits = {
  perConnection: { ratePerSecond: number; burst: number }
  perUser: { ratePerSecond: number; burst: number }
  /** Every HTTP request and WebSocket upgrade from one client address, checked before anything else runs. */
  perAddress: { ratePerSecond: number; burst: number }
  /** Requests a connection may have running or waiting; more are refused, never queued without bound. */
  pendingPerConnection: number
  /** Refusals within REFUSAL_WINDOW_MS after which a connection that keeps on is closed. */
  refusalsBeforeClose: number
  /** WebSockets and SSE streams of one user on this instance; the oldest goes when a new one passes it. */
  connectionsPerUser: number
  /** Bytes queued for one subscriber (backlog included) before it is cut off to resume later. */
  subscriberQueueBytes: number
  shedEventLoopDelayMs: number
  /** Requests waiting their turn (server/limits/fair-queue.ts) beyond which new ones are refused. */
  shedRequestsWaiting: number
  /** Missed events one user's streams read from the database per second (resuming after a long time away waits, it is not refused). */
  backlogPerUser: { ratePerSecond: number; burst: number }
}

export const REFUSAL_WINDOW_MS = 10_000

/** Opening a live stream counts as this many requests against a rate: it reads the database, then stays open. */
export const STREAM_OPEN_COST = 10

export function limitsFromEnv(): Limits {
  const config = env()
  return {
    perConnection: { ratePerSecond: config.REQUESTS_PER_SECOND_PER_CONNECTION, burst: config.REQUESTS_PER_SECOND_PER_CONNECTION * 2 },
    perUser: { ratePerSecond: config.REQUESTS_PER_SECOND_PER_USER, burst: config.REQUESTS_PER_SECOND_PER_USER },
    perAddress: { ratePerSecond: config.REQUESTS_PER_SECOND_PER_ADDRESS, burst: config.REQUESTS_PER_SECOND_PER_ADDRESS * 2 },
    pendingPerConnection: config.PENDING_REQUESTS_PER_CONNECTION,
    refusalsBeforeClose: config.REFUSALS_BEFORE_CLOSE,
    connectionsPerUser: config.CONNECTIONS_PER_USER,
    subscriberQueueBytes: config.SUBSCRIBER_QUEUE_KB * 1024,
    shedEventLoopDelayMs: config.SHED_EVENT_LOOP_DELAY_MS,
    shedRequestsWaiting: config.SHED_REQUESTS_WAITING,
    backlogPerUser: { ratePerSecond: config.BACKLOG_EVENTS_PER_SECOND_PER_USER, burst: Math.ceil(config.BACKLOG_EVENTS_PER_SECOND_PER_USER / 5) },
  }
}

/** This process's limits, read once. */
export function limits(): Limits {
  return processWide('limits', limitsFromEnv)
}

/** How fast each user (or each client address) may ask, across all their connections on this instance. */
class KeyedRates {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(private readonly rate: { ratePerSecond: number; burst: number }) {
    // Clients who stopped asking are forgotten: memory follows the active ones, not all who ever came.
    setInterval(() => {
      for (const [key, bucket] of this.buckets) if (bucket.isIdle()) this.buckets.delete(key)
    }, 60_000).unref()
  }

  /** Takes `cost` from the allowance of `key`: 0 when admitted, else the milliseconds to wait. */
  admit(key: string, cost: number): number {
    let bucket = this.buckets.get(key)
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(this.rate.ratePerSecond, this.rate.burst)))
    return bucket.take(cost) ? 0 : Math.max(1, bucket.retryAfterMs(cost))
  }

  /** Waits until `key` may spend `cost` (more than the burst: the burst), then spends it; false when the signal aborted first. */
  async spend(key: string, cost: number, signal: AbortSignal): Promise<boolean> {
    const affordable = Math.min(cost, this.rate.burst)
    for (let waitMs = this.admit(key, affordable); waitMs > 0; waitMs = this.admit(key, affordable)) {
      if (signal.aborted) return false
      await new Promise((resolve) => setTimeout(resolve, waitMs))
    }
    return !signal.aborted
  }
}

export function userRates(): KeyedRates {
  return processWide('user-rates', () => new KeyedRates(limits().perUser))
}

export function backlogRates(): KeyedRates {
  return processWide('backlog-rates', () => new KeyedRates(limits().backlogPerUser))
}

export function addressRates(): KeyedRates {
  return processWide('address-rates', () => new KeyedRates(limits().perAddress))
}

/** A connection's own allowance (a WebSocket; an HTTP request is its own connection and only has the user's). */
export function connectionBucket(): TokenBucket {
  const { ratePerSecond, burst } = limits().perConnection
  return new TokenBucket(ratePerSecond, burst)
}

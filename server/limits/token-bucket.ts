/**
 * A token bucket: `ratePerSecond` tokens flow in, up to `burst` saved; each request takes one
 * (or its cost). A client that keeps to the rate is never refused; one that goes over is told
 * how long until enough tokens are back.
 */
export class TokenBucket {
  private tokens: number
  private updatedAt: number

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now = performance.now(),
  ) {
    this.tokens = burst
    this.updatedAt = now
  }

  /** Takes `cost` tokens if there are enough; returns whether it did. */
  take(cost = 1, now = performance.now()): boolean {
    this.refill(now)
    if (this.tokens < cost) return false
    this.tokens -= cost
    return true
  }

  /** How long until `cost` tokens are there (0 when they are now). */
  retryAfterMs(cost = 1, now = performance.now()): number {
    this.refill(now)
    return this.tokens >= cost ? 0 : Math.ceil(((cost - this.tokens) / this.ratePerSecond) * 1000)
  }

  /** Full again, and no request since: a bucket that can be forgotten. */
  isIdle(now = performance.now()): boolean {
    this.refill(now)
    return this.tokens >= this.burst
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond)
    this.updatedAt = now
  }
}

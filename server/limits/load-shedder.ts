import { monitorEventLoopDelay } from 'node:perf_hooks'
import { processWide } from '../process-wide.ts'
import { fairQueue, type FairQueue } from './fair-queue.ts'
import { limits } from './request-limits.ts'

const SAMPLE_MS = 500
/** Once overloaded, new work is refused for at least this long (then the next sample decides). */
const SHED_FOR_MS = 1_000

/**
 * Whether the instance should refuse new work for a moment: its event loop is running late, or
 * too many requests wait their turn for the database. Refusing is cheap; live delivery,
 * /api/health and /api/ready go on, and clients retry (the outbox does by itself).
 */
class LoadShedder {
  private readonly delay = monitorEventLoopDelay({ resolution: 10 })
  private shedUntil = 0
  private lateBefore = false

  constructor(
    private readonly maxDelayMs: number,
    private readonly maxWaiting: number,
    private readonly queue: FairQueue,
  ) {
    this.delay.enable()
    setInterval(() => this.sample(), SAMPLE_MS).unref()
  }

  overloaded(): boolean {
    return this.queue.backlog >= this.maxWaiting || performance.now() < this.shedUntil
  }

  /** How long a refused client should wait before trying again. */
  retryAfterMs(): number {
    return Math.max(SHED_FOR_MS, Math.ceil(this.shedUntil - performance.now()))
  }

  /**
   * The median lateness of the event loop over the last sample: one long task (a route loaded for
   * the first time, a big GC) moves it little, a loop that cannot keep up moves it a lot. Two late
   * samples in a row start the shedding.
   */
  private sample(): void {
    const late = this.delay.percentile(50) / 1e6 > this.maxDelayMs
    this.delay.reset()
    if (late && this.lateBefore) this.shedUntil = performance.now() + SHED_FOR_MS
    this.lateBefore = late
  }
}

export function loadShedder(): LoadShedder {
  return processWide('load-shedder', () => new LoadShedder(limits().shedEventLoopDelayMs, limits().shedRequestsWaiting, fairQueue()))
}

import { env } from '../env.ts'
import { processWide } from '../process-wide.ts'

/**
 * Each user's requests that touch the database take turns: at most `perUser` of one user run at
 * once, the rest wait in the order they came. One client asking for a lot (a flood, ten streams
 * reading a long backlog) keeps at most that many queries ahead of anyone else's, so another
 * person's next request waits for a few queries, not for the whole queue; many people asking at
 * once all run (and their sends share a commit).
 */
export class FairQueue {
  private readonly running = new Map<string, number>()
  private readonly waiting = new Map<string, (() => void)[]>()
  private waitingCount = 0

  constructor(private readonly perUser: number) {}

  /** Requests waiting their turn, all users together (the load shedder watches it). */
  get backlog(): number {
    return this.waitingCount
  }

  async run<T>(user: string, work: () => Promise<T>): Promise<T> {
    await this.turn(user)
    try {
      return await work()
    } finally {
      this.next(user)
    }
  }

  private turn(user: string): Promise<void> {
    const running = this.running.get(user) ?? 0
    if (running < this.perUser) {
      this.running.set(user, running + 1)
      return Promise.resolve()
    }
    this.waitingCount++
    return new Promise((resolve) => {
      const queue = this.waiting.get(user)
      if (queue) queue.push(resolve)
      else this.waiting.set(user, [resolve])
    })
  }

  /** A request of this user ended: its next one starts in its place, or it has one fewer running. */
  private next(user: string): void {
    const queue = this.waiting.get(user)
    const start = queue?.shift()
    if (start) {
      if (queue!.length === 0) this.waiting.delete(user)
      this.waitingCount--
      start()
      return
    }
    const running = (this.running.get(user) ?? 1) - 1
    if (running > 0) this.running.set(user, running)
    else this.running.delete(user)
  }
}

export function fairQueue(): FairQueue {
  return processWide('fair-queue', () => new FairQueue(env().REQUESTS_RUNNING_PER_USER))
}

import { isBackground } from './background.ts'

/** A background statement waits at most this long for the foreground to clear: it is never starved. */
const BACKGROUND_WAITS_AT_MOST_MS = 250

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Orders the embedded database's statements in two lanes. Every statement first waits one
 * event-loop turn (sockets are read between any two); a background one then also waits until no
 * foreground statement is pending, or BACKGROUND_WAITS_AT_MOST_MS.
 */
export class StatementLanes {
  private foregroundPending = 0
  private backgroundWaiting: (() => void)[] = []

  async run<T>(statement: () => Promise<T>): Promise<T> {
    if (isBackground()) {
      await nextTurn()
      if (this.foregroundPending > 0) await this.foregroundCleared()
      return statement()
    }
    this.foregroundPending++
    try {
      await nextTurn()
      return await statement()
    } finally {
      if (--this.foregroundPending === 0) this.releaseBackground()
    }
  }

  private foregroundCleared(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(release, BACKGROUND_WAITS_AT_MOST_MS)
      function release() {
        clearTimeout(timer)
        resolve()
      }
      this.backgroundWaiting.push(release)
    })
  }

  private releaseBackground(): void {
    const waiting = this.backgroundWaiting
    this.backgroundWaiting = []
    for (const release of waiting) release()
  }
}

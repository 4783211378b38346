'use client'

type Handlers = {
  /** This tab now holds the lock: it owns the live connection. */
  onGranted(): void
  /** Another tab took the lock (this one had stopped answering): drop the connection. */
  onLost(): void
}

/**
 * Which tab of this browser holds the live connection: the one holding a Web Lock. The browser
 * releases it when that tab closes or its renderer dies, and grants it to the next tab in line
 * at once. A holder that is alive but stuck (frozen, paused) can have the lock stolen from it.
 */
export class HolderLock {
  private release: (() => void) | undefined
  private waiting: AbortController | undefined

  constructor(
    private readonly name: string,
    private readonly handlers: Handlers,
  ) {}

  get held(): boolean {
    return this.release !== undefined
  }

  /** Waits in line for the lock (nothing to do when held or already waiting). */
  join(): void {
    if (this.held || this.waiting) return
    const waiting = new AbortController()
    this.waiting = waiting
    this.request({ signal: waiting.signal }, () => this.waiting === waiting && (this.waiting = undefined))
  }

  /** Takes the lock from a holder that stopped answering; it learns so when it wakes. */
  steal(): void {
    if (this.held) return
    this.stopWaiting()
    this.request({ steal: true }, () => {})
  }

  /** Gives the lock up (the tab is closing or being frozen). `join()` waits in line again. */
  resign(): void {
    this.stopWaiting()
    const release = this.release
    this.release = undefined
    release?.()
  }

  private stopWaiting(): void {
    this.waiting?.abort()
    this.waiting = undefined
  }

  private request(options: LockOptions, onGrant: () => void): void {
    let release: (() => void) | undefined
    navigator.locks
      .request(
        this.name,
        options,
        () =>
          new Promise<void>((resolve) => {
            onGrant()
            release = resolve
            this.release = resolve
            this.handlers.onGranted()
          }),
      )
      .catch(() => {
        // Rejected: given up while waiting (nothing to do), or stolen while held.
        if (release === undefined || this.release !== release) return
        this.release = undefined
        this.handlers.onLost()
      })
  }
}

/**
 * Counts the open tabs of this person in this browser: each holds a shared lock of one name for
 * its whole life, and the browser drops it when the tab goes, however it goes.
 */
export class TabPresence {
  private release: (() => void) | undefined

  constructor(private readonly name: string) {}

  enter(): void {
    if (this.release) return
    void navigator.locks.request(this.name, { mode: 'shared' }, () => new Promise<void>((resolve) => (this.release = resolve)))
  }

  leave(): void {
    this.release?.()
    this.release = undefined
  }

  async count(): Promise<number> {
    const { held = [] } = await navigator.locks.query()
    return Math.max(1, held.filter((lock) => lock.name === this.name).length)
  }
}

/** Web Locks and BroadcastChannel are both needed for tabs to share one connection. */
export function tabsCanShare(): boolean {
  return typeof BroadcastChannel !== 'undefined' && typeof navigator !== 'undefined' && Boolean(navigator.locks)
}

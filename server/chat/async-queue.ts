/**
 * A FIFO whose consumer awaits the next item. `next` resolves undefined once the signal aborts,
 * or once the queue is closed and drained.
 */
export class AsyncQueue<T> {
  private readonly items: T[] = []
  private head = 0
  private closed = false
  private wake: (() => void) | undefined

  get size(): number {
    return this.items.length - this.head
  }

  push(item: T): void {
    if (this.closed) return
    this.items.push(item)
    this.wake?.()
  }

  /** No more items will come; the consumer drains what is queued, then gets undefined. */
  close(): void {
    this.closed = true
    this.wake?.()
  }

  /** The next item without waiting, or undefined when none is queued. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined
    return this.take()
  }

  async next(signal: AbortSignal): Promise<T | undefined> {
    while (this.head >= this.items.length) {
      if (signal.aborted || this.closed) return undefined
      await new Promise<void>((resolve) => {
        const done = () => {
          this.wake = undefined
          signal.removeEventListener('abort', done)
          resolve()
        }
        this.wake = done
        signal.addEventListener('abort', done, { once: true })
      })
    }
    if (signal.aborted) return undefined
    return this.take()
  }

  private take(): T {
    const item = this.items[this.head] as T
    this.head += 1
    // Compact now and then so a long-lived queue does not keep every item it ever held.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head)
      this.head = 0
    }
    return item
  }
}

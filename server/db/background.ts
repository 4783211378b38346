import { AsyncLocalStorage } from 'node:async_hooks'

const background = new AsyncLocalStorage<true>()

/**
 * Runs work whose statements may wait for everyone else's: reading a backlog page, say. On the
 * embedded database (one statement at a time) they go only when no one's send or query is
 * waiting; on PostgreSQL they run as any other.
 */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work)
}

export function isBackground(): boolean {
  return background.getStore() === true
}

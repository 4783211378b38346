import { processWide } from '../process-wide.ts'
import { limits } from './request-limits.ts'

type Connection = { close(): void }

/**
 * The WebSockets and SSE streams each user has open on this instance, oldest first. One more than
 * the limit closes the oldest (a browser shares one connection across its tabs, so the limit is
 * a number of browsers and devices, not of tabs).
 */
class UserConnections {
  private readonly byUser = new Map<string, Set<Connection>>()

  constructor(private readonly perUser: number) {}

  /** Registers a connection; returns the function that unregisters it (call it once it closed). */
  open(userId: string, close: () => void): () => void {
    let open = this.byUser.get(userId)
    if (!open) this.byUser.set(userId, (open = new Set()))
    const connection: Connection = { close }
    open.add(connection)
    if (open.size > this.perUser) {
      const oldest = open.values().next().value!
      open.delete(oldest)
      oldest.close()
    }
    return () => {
      open.delete(connection)
      if (open.size === 0 && this.byUser.get(userId) === open) this.byUser.delete(userId)
    }
  }
}

export function userConnections(): UserConnections {
  return processWide('user-connections', () => new UserConnections(limits().connectionsPerUser))
}

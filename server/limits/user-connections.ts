import { processWide } from '../process-wide.ts'
import { limits } from './request-limits.ts'

/** A WebSocket or SSE stream, counted against its user's limit. */
export type CountedConnection = {
  readonly userId: string
  /** A newer connection of the same user pushed this one over the limit: close it (called once). */
  displaced(): void
}

/**
 * The WebSockets and SSE streams each user has open on this instance, oldest first. One more than
 * the limit closes the oldest (a browser shares one connection across its tabs, so the limit is
 * a number of browsers and devices, not of tabs).
 */
class UserConnections {
  private readonly byUser = new Map<string, Set<CountedConnection>>()

  constructor(private readonly perUser: number) {}

  open(connection: CountedConnection): void {
    let open = this.byUser.get(connection.userId)
    if (!open) this.byUser.set(connection.userId, (open = new Set()))
    open.add(connection)
    if (open.size <= this.perUser) return
    const oldest = open.values().next().value!
    open.delete(oldest)
    oldest.displaced()
  }

  /** The connection closed (whether or not it was displaced). */
  closed(connection: CountedConnection): void {
    const open = this.byUser.get(connection.userId)
    if (open?.delete(connection) && open.size === 0) this.byUser.delete(connection.userId)
  }
}

export function userConnections(): UserConnections {
  return processWide('user-connections', () => new UserConnections(limits().connectionsPerUser))
}

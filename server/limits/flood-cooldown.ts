import { processWide } from '../process-wide.ts'
import { FLOODING_COOLDOWN_MS } from '../transport/ws/socket-protocol.ts'

/**
 * Sessions that were just closed for flooding: their next upgrades are refused at once, before
 * any session check, so an attacker who reconnects in a loop costs a few bytes each time.
 */
export class FloodCooldown {
  private readonly until = new Map<string, number>()

  mark(token: string, now = performance.now()): void {
    this.until.set(token, now + FLOODING_COOLDOWN_MS)
    // Expired entries go whenever a new one comes: the map holds only the sessions cooling down.
    for (const [key, ends] of this.until) if (ends <= now) this.until.delete(key)
  }

  /** Milliseconds the session still waits (0: it may connect). */
  remainingMs(token: string, now = performance.now()): number {
    const ends = this.until.get(token)
    return ends === undefined ? 0 : Math.max(0, Math.ceil(ends - now))
  }
}

export function floodCooldown(): FloodCooldown {
  return processWide('flood-cooldown', () => new FloodCooldown())
}

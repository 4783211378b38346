import { sessionUser } from './auth.ts'
import { sessionCookieOnly } from './http/session-token.ts'

/**
 * What a long-lived connection keeps for its session checks: the session cookie alone and the
 * headers that decide which auth instance reads it (host, origin, the proxy's scheme), not its
 * whole request (Better Auth's cached session data alone is about 1 KB).
 */
export type SessionCredentials = {
  readonly cookie: string | undefined
  readonly host: string | undefined
  readonly origin: string | undefined
  readonly forwardedProto: string | undefined
}

export function sessionCredentials(header: (name: string) => string | null | undefined): SessionCredentials {
  return {
    cookie: sessionCookieOnly(header('cookie')),
    host: header('host') ?? undefined,
    origin: header('origin') ?? undefined,
    forwardedProto: header('x-forwarded-proto') ?? undefined,
  }
}

/** The credentials as request headers, for one session check. */
export function credentialHeaders({ cookie, host, origin, forwardedProto }: SessionCredentials): Headers {
  const headers = new Headers()
  if (cookie) headers.set('cookie', cookie)
  if (host) headers.set('host', host)
  if (origin) headers.set('origin', origin)
  if (forwardedProto) headers.set('x-forwarded-proto', forwardedProto)
  return headers
}

/** A connection that outlives the session check that let it open. */
export type WatchedSession = {
  readonly userId: string
  readonly credentials: SessionCredentials
  /** The session ended (signed out elsewhere, expired, revoked): called once, and the watch is over. */
  sessionEnded(): void
}

/** How often a long-lived connection's session is checked again (sign-out elsewhere, expiry). */
export const SESSION_RECHECK_MS = 60_000

/** At most this many slots: a 60 s re-check looks at one slot a second. */
const MAX_SLOTS = 60

/**
 * Checks every watched connection's session again every `everyMs`, from one timer for all of
 * them (a timer per connection cost each idle one about 300 bytes). Connections are spread over
 * slots by when they started, so the checks are spread over the interval as before, not made all
 * at once. A failed check (a database hiccup) is not an ending.
 */
export class SessionWatch {
  private readonly slots: Set<WatchedSession>[]
  private turn = 0
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly everyMs: number) {
    this.slots = Array.from({ length: Math.min(MAX_SLOTS, Math.max(1, Math.round(everyMs / 1_000))) }, () => new Set())
  }

  /** First checked one interval from now (into the slot checked last, so a full turn away). */
  watch(watched: WatchedSession): void {
    this.slots[(this.turn + this.slots.length - 1) % this.slots.length]!.add(watched)
    this.timer ??= setInterval(() => this.checkNextSlot(), this.everyMs / this.slots.length).unref()
  }

  unwatch(watched: WatchedSession): void {
    for (const slot of this.slots) if (slot.delete(watched)) return
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  private checkNextSlot(): void {
    const slot = this.slots[this.turn]!
    this.turn = (this.turn + 1) % this.slots.length
    for (const watched of slot) void this.check(watched, slot)
  }

  private async check(watched: WatchedSession, slot: Set<WatchedSession>): Promise<void> {
    const user = await sessionUser(credentialHeaders(watched.credentials), { fresh: true }).catch(() => undefined)
    if (user === undefined || user?.id === watched.userId || !slot.delete(watched)) return
    watched.sessionEnded()
  }
}

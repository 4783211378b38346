import { randomUUID } from 'node:crypto'
import type { Bus } from './bus.ts'
import { LIVE_CHANNEL } from './bus.ts'

export type PresenceOptions = {
  bus: Bus
  /** A user whose last stream here closed stays online this long (a reload, a transport switch). */
  graceMs?: number
  /** Each instance tells the others whom it serves this often (and at once on a change). */
  heartbeatMs?: number
  /** An instance not heard from for this long is gone (killed): its users go offline. */
  expiryMs?: number
  /** Called when a user comes online or goes offline anywhere in the cluster. */
  onChange(userId: string, online: boolean): void
}

export type PresenceHeartbeat = { type: 'presence.heartbeat'; instanceId: string; userIds: string[] }

/**
 * Who is online: a user with at least one open stream (tab) on any instance. Each instance counts
 * its own streams and tells the others over the bus whom it serves, on every change and every
 * few seconds; what an instance stops repeating expires. Never stored.
 */
export class Presence {
  readonly instanceId = randomUUID()
  private readonly streams = new Map<string, number>()
  private readonly leaving = new Map<string, NodeJS.Timeout>()
  private readonly elsewhere = new Map<string, { userIds: Set<string>; seenAt: number }>()
  private readonly timer: NodeJS.Timeout
  private broadcastQueued = false
  private readonly options: Required<PresenceOptions>

  constructor(options: PresenceOptions) {
    this.options = { graceMs: 5_000, heartbeatMs: 10_000, expiryMs: 25_000, ...options }
    this.timer = setInterval(() => {
      this.broadcast()
      this.expire()
    }, this.options.heartbeatMs)
    this.timer.unref()
  }

  isOnline(userId: string): boolean {
    if (this.streams.has(userId)) return true
    for (const { userIds } of this.elsewhere.values()) if (userIds.has(userId)) return true
    return false
  }

  /** A stream of this user opened here. */
  opened(userId: string): void {
    clearTimeout(this.leaving.get(userId))
    this.leaving.delete(userId)
    const known = this.streams.has(userId)
    const wasOnline = this.isOnline(userId)
    this.streams.set(userId, (this.streams.get(userId) ?? 0) + 1)
    if (!known) this.queueBroadcast()
    if (!wasOnline) this.options.onChange(userId, true)
  }

  /** A stream of this user closed here; after the grace period, if none reopened, they left this instance. */
  closed(userId: string): void {
    const count = Math.max(0, (this.streams.get(userId) ?? 1) - 1)
    // Kept at 0 through the grace period: still online here until it ends.
    this.streams.set(userId, count)
    if (count > 0 || this.leaving.has(userId)) return
    const leave = setTimeout(() => {
      this.leaving.delete(userId)
      if ((this.streams.get(userId) ?? 0) > 0) return
      this.streams.delete(userId)
      this.queueBroadcast()
      if (!this.isOnline(userId)) this.options.onChange(userId, false)
    }, this.options.graceMs)
    leave.unref()
    this.leaving.set(userId, leave)
  }

  /** Whom another instance serves now (its heartbeat). */
  heard(heartbeat: PresenceHeartbeat): void {
    if (heartbeat.instanceId === this.instanceId) return
    const before = this.elsewhere.get(heartbeat.instanceId)?.userIds ?? new Set<string>()
    const wasOnline = new Map([...before, ...heartbeat.userIds].map((userId) => [userId, this.isOnline(userId)]))
    this.elsewhere.set(heartbeat.instanceId, { userIds: new Set(heartbeat.userIds), seenAt: Date.now() })
    this.reportChanges(wasOnline)
  }

  stop(): void {
    clearInterval(this.timer)
    for (const pending of this.leaving.values()) clearTimeout(pending)
  }

  private expire(): void {
    const deadline = Date.now() - this.options.expiryMs
    for (const [instanceId, { userIds, seenAt }] of this.elsewhere) {
      if (seenAt >= deadline) continue
      const wasOnline = new Map([...userIds].map((userId) => [userId, this.isOnline(userId)]))
      this.elsewhere.delete(instanceId)
      this.reportChanges(wasOnline)
    }
  }

  private reportChanges(wasOnline: Map<string, boolean>): void {
    for (const [userId, was] of wasOnline) {
      const now = this.isOnline(userId)
      if (now !== was) this.options.onChange(userId, now)
    }
  }

  /** Several changes in one tick make one heartbeat. */
  private queueBroadcast(): void {
    if (this.broadcastQueued) return
    this.broadcastQueued = true
    setTimeout(() => {
      this.broadcastQueued = false
      this.broadcast()
    }, 50).unref()
  }

  private broadcast(): void {
    const heartbeat: PresenceHeartbeat = { type: 'presence.heartbeat', instanceId: this.instanceId, userIds: [...this.streams.keys()] }
    this.options.bus.publish(LIVE_CHANNEL, JSON.stringify(heartbeat)).catch(() => {
      // Redis away: the next heartbeat tells the others; until then they keep the last one.
    })
  }
}

import type { Author } from '@/server/chat/types'

/** A typist disappears this long after their last "typing" event, unless another arrives. */
export const TYPING_SHOWN_MS = 5_000

type Typist = Author & { until: number }

/** Who is typing in each room, from the live stream's typing events; never stored. */
export class TypingTracker {
  private readonly rooms = new Map<string, Map<string, Typist>>()
  private readonly listeners = new Set<() => void>()
  private readonly snapshots = new Map<string, readonly Author[]>()
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly now: () => number = Date.now) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The people typing in a room, oldest first (the same array until it changes). */
  typists(roomId: string): readonly Author[] {
    return this.snapshots.get(roomId) ?? NONE
  }

  heard(roomId: string, user: Author): void {
    let typists = this.rooms.get(roomId)
    if (!typists) this.rooms.set(roomId, (typists = new Map()))
    typists.set(user.id, { ...user, until: this.now() + TYPING_SHOWN_MS })
    this.changed(roomId)
  }

  /** Their message arrived: they stopped typing it. */
  stopped(roomId: string, userId: string): void {
    if (this.rooms.get(roomId)?.delete(userId)) this.changed(roomId)
  }

  stop(): void {
    clearTimeout(this.timer)
  }

  private changed(roomId: string): void {
    const typists = [...(this.rooms.get(roomId)?.values() ?? [])]
    this.snapshots.set(roomId, typists.map(({ id, name }) => ({ id, name })))
    for (const listener of this.listeners) listener()
    this.scheduleExpiry()
  }

  private scheduleExpiry(): void {
    clearTimeout(this.timer)
    const next = Math.min(...[...this.rooms.values()].flatMap((typists) => [...typists.values()].map((typist) => typist.until)))
    if (!Number.isFinite(next)) return
    this.timer = setTimeout(() => this.expire(), Math.max(0, next - this.now()))
  }

  private expire(): void {
    const now = this.now()
    for (const [roomId, typists] of this.rooms) {
      let expired = false
      for (const [userId, typist] of typists) if (typist.until <= now) expired = typists.delete(userId) || expired
      if (expired) this.changed(roomId)
    }
    this.scheduleExpiry()
  }
}

const NONE: readonly Author[] = []

/** "Ana is typing…", "Ana and Ben are typing…", "Several people are typing…". */
export function typingSentence(typists: readonly Author[]): string {
  if (typists.length === 0) return ''
  if (typists.length === 1) return `${typists[0]!.name} is typing…`
  if (typists.length === 2) return `${typists[0]!.name} and ${typists[1]!.name} are typing…`
  return 'Several people are typing…'
}

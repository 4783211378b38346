import type { LiveEvent, PositionedEvent } from '../chat/types.ts'
import { logger } from '../log.ts'

const log = logger('stream')

export type StreamItem = PositionedEvent | LiveEvent

/** Positions read from the database per query when catching up. */
const CATCH_UP_PAGE = 1000
export type StreamListener = (item: StreamItem) => void

export type OrderedStreamSource = {
  /** Committed events with after < pos <= upTo. Authoritative: a position it lacks is a hole. */
  eventsInRange(after: number, upTo: number): Promise<PositionedEvent[]>
  /** The last position handed out. */
  headPosition(): Promise<number>
}

export type OrderedStreamOptions = {
  startPos: number
  source: OrderedStreamSource
  /** How long a missing position may stay missing before it is read from the database. */
  holeWaitMs?: number
  /** How often to compare with the database head (catches events whose publish was lost). */
  pollMs?: number
}

/**
 * One per instance: turns the bus's positioned events, which may arrive out of order, late or not
 * at all, into a gap-free stream in `pos` order. Every listener sees every position once, in order.
 */
export class OrderedStream {
  private released: number
  private readonly pending = new Map<number, PositionedEvent>()
  private readonly listeners = new Set<StreamListener>()
  private holeTimer: NodeJS.Timeout | undefined
  private readonly pollTimer: NodeJS.Timeout | undefined
  private catchingUp: Promise<void> | undefined
  private readonly source: OrderedStreamSource
  private readonly holeWaitMs: number

  constructor({ startPos, source, holeWaitMs = 100, pollMs = 1000 }: OrderedStreamOptions) {
    this.released = startPos
    this.source = source
    this.holeWaitMs = holeWaitMs
    if (pollMs > 0) {
      this.pollTimer = setInterval(() => void this.catchUpToHead(), pollMs)
      this.pollTimer.unref()
    }
  }

  /** Highest position delivered to listeners; everything at or below it has been delivered. */
  get position(): number {
    return this.released
  }

  listen(listener: StreamListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  acceptPositioned(event: PositionedEvent): void {
    if (event.pos <= this.released || this.pending.has(event.pos)) return
    this.pending.set(event.pos, event)
    this.releaseContiguous()
    if (this.pending.size > 0) this.scheduleHoleFill()
  }

  acceptLive(event: LiveEvent): void {
    this.emit(event)
  }

  /** Reads everything up to the database head; used by the poll and after a bus outage. */
  catchUpToHead(): Promise<void> {
    return this.catchUp(async () => this.source.headPosition())
  }

  stop(): void {
    clearInterval(this.pollTimer)
    clearTimeout(this.holeTimer)
    this.listeners.clear()
  }

  private releaseContiguous(): void {
    for (let next = this.pending.get(this.released + 1); next; next = this.pending.get(this.released + 1)) {
      this.pending.delete(next.pos)
      this.released = next.pos
      this.emit(next)
    }
  }

  private scheduleHoleFill(): void {
    if (this.holeTimer) return
    this.holeTimer = setTimeout(() => {
      this.holeTimer = undefined
      if (this.pending.size === 0) return
      void this.catchUp(async () => Math.min(...this.pending.keys()) - 1)
    }, this.holeWaitMs)
    this.holeTimer.unref()
  }

  private catchUp(target: () => Promise<number>): Promise<void> {
    this.catchingUp ??= (async () => {
      try {
        const upTo = await target()
        // In pages, so a long outage does not load millions of rows at once.
        while (this.released < upTo) await this.releaseFromDatabase(Math.min(upTo, this.released + CATCH_UP_PAGE))
        this.releaseContiguous()
      } catch (error) {
        log.error('catching up from the database failed; will retry', { error })
      } finally {
        this.catchingUp = undefined
        if (this.pending.size > 0) this.scheduleHoleFill()
      }
    })()
    return this.catchingUp
  }

  /** Releases every position up to `upTo`, reading them from the database. */
  private async releaseFromDatabase(upTo: number): Promise<void> {
    const events = await this.source.eventsInRange(this.released, upTo)
    for (const event of events) if (event.pos > this.released) this.pending.set(event.pos, event)
    while (this.released < upTo) {
      const next = this.pending.get(this.released + 1)
      this.released += 1
      // A position the database lacks is a hole (a rolled-back write): nothing to deliver.
      if (!next) continue
      this.pending.delete(next.pos)
      this.emit(next)
    }
  }

  private emit(item: StreamItem): void {
    for (const listener of this.listeners) {
      try {
        listener(item)
      } catch (error) {
        log.error('a listener threw', { error })
      }
    }
  }
}

import type { ChatMessage } from '@/server/chat/types'

export type SeqGap = { afterSeq: number; beforeSeq: number }

/**
 * A room's stored messages by seq. Seqs are contiguous per room, so only the run from the oldest
 * loaded seq up to the first missing one is shown; what lies beyond a gap is held until the gap
 * is filled, and the reader never sees a hole.
 */
export class SeqLog {
  private readonly bySeq = new Map<number, ChatMessage>()
  /** The oldest seq loaded from history; unset until a history page arrived. */
  private floor: number | undefined
  private run: readonly ChatMessage[] = []
  private held: readonly ChatMessage[] = []

  /** Adds messages; a history page also passes the oldest seq it reaches. */
  add(messages: readonly ChatMessage[], floor?: number): void {
    for (const message of messages) {
      // A copy read before an edit, delete or reaction may land after it: the newer revision stays.
      if ((this.bySeq.get(message.seq)?.revision ?? -1) > message.revision) continue
      this.bySeq.set(message.seq, message)
    }
    if (floor !== undefined) this.floor = Math.min(this.floor ?? floor, floor)
    this.split()
  }

  get shown(): readonly ChatMessage[] {
    return this.run
  }

  get waiting(): readonly ChatMessage[] {
    return this.held
  }

  /** The first hole: the seqs after `afterSeq` and before `beforeSeq` are missing. */
  gap(): SeqGap | undefined {
    const next = this.held[0]
    if (this.floor === undefined || !next) return undefined
    return { afterSeq: this.run.at(-1)?.seq ?? this.floor - 1, beforeSeq: next.seq }
  }

  private split(): void {
    const sorted = [...this.bySeq.values()].sort((a, b) => a.seq - b.seq)
    if (this.floor === undefined) {
      this.run = []
      this.held = sorted
      return
    }
    const run: ChatMessage[] = []
    let expected = this.floor
    let i = sorted.findIndex((message) => message.seq >= expected)
    if (i === -1) i = sorted.length
    for (; i < sorted.length && sorted[i]!.seq === expected; i++, expected++) run.push(sorted[i]!)
    this.run = run
    this.held = sorted.slice(i)
  }
}

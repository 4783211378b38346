'use client'
import type { ClientEvent } from '@/server/chat/types'

/** Events with a stream position: after a change of holder the new one may replay some of them. */
const POSITIONED = new Set<ClientEvent['type']>(['message', 'message.updated', 'room.joined'])

/**
 * How far one tab has got in the stream: every position it was handed (each once, whichever tab
 * held the connection then), and the event id to resume from if it comes to hold the connection.
 */
export class TabCursor {
  private lastId: string | undefined
  private deliveredThrough = 0

  get lastEventId(): string | undefined {
    return this.lastId
  }

  /** Records the event; false when this tab had its position already (a new holder replaying it). */
  accept(event: ClientEvent, id: string): boolean {
    const cursor = Number(id)
    if (POSITIONED.has(event.type)) {
      if (cursor <= this.deliveredThrough) return false
      this.deliveredThrough = cursor
    }
    if (this.lastId === undefined || cursor > Number(this.lastId)) this.lastId = id
    return true
  }

  /** A tab that joins a live holder starts where the holder is; what came before, history shows. */
  startAt(id: string): void {
    if (this.lastId !== undefined) return
    this.lastId = id
    this.deliveredThrough = Math.max(this.deliveredThrough, Number(id))
  }
}

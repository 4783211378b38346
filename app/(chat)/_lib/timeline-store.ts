'use client'
import { TRPCClientError } from '@trpc/client'
import { HISTORY_PAGE_MAX } from '@/server/chat/limits'
import type { ChatMessage } from '@/server/chat/types'
import type { HttpClient } from '@/app/_lib/trpc'
import { newUuid } from '@/app/_lib/uuid'

export type PendingMessage = {
  clientId: string
  text: string
  status: 'sending' | 'failed'
  error?: string | undefined
}

export type Timeline = {
  /** Stored messages, ascending by seq, each seq once. */
  confirmed: readonly ChatMessage[]
  /** Sent by this tab and not yet acknowledged (or failed), in the order typed. */
  pending: readonly PendingMessage[]
  loaded: boolean
  hasMore: boolean
  loadingOlder: boolean
  loadError?: { code: string; message: string } | undefined
}

const EMPTY: Timeline = { confirmed: [], pending: [], loaded: false, hasMore: false, loadingOlder: false }

/** Unsent messages are kept in localStorage, so a reload or a closed tab loses nothing typed. */
const pendingKey = (roomId: string) => `relay:pending:${roomId}`
const NOT_SENT_BEFORE_CLOSE = 'Not sent before the page was closed.'

/**
 * The messages of every room this tab has seen, from history pages, live events and its own sends,
 * merged by seq so that whichever path delivers a message first, it shows once and in order.
 */
export class TimelineStore {
  private readonly timelines = new Map<string, Timeline>()
  private readonly listeners = new Map<string, Set<() => void>>()
  private readonly fillingGaps = new Set<string>()

  constructor(private readonly client: HttpClient) {}

  subscribe = (roomId: string, listener: () => void): (() => void) => {
    let set = this.listeners.get(roomId)
    if (!set) this.listeners.set(roomId, (set = new Set()))
    set.add(listener)
    return () => set.delete(listener)
  }

  get(roomId: string): Timeline {
    return this.timelines.get(roomId) ?? EMPTY
  }

  /** A message from the live stream or a send acknowledgement. */
  receive(message: ChatMessage): void {
    this.merge(message.roomId, [message], {})
    if (this.get(message.roomId).loaded) void this.fillGaps(message.roomId)
  }

  /** Reloads the newest page of every room on screen or seen before (after a fresh subscription). */
  refreshLoaded(): void {
    for (const [roomId, timeline] of this.timelines) if (timeline.loaded && !timeline.loadError) void this.loadLatest(roomId)
  }

  async loadLatest(roomId: string): Promise<void> {
    this.restorePending(roomId)
    try {
      const page = await this.client.message.history.query({ roomId })
      const current = this.get(roomId)
      // Keep hasMore from an earlier load if this page overlaps what we already hold.
      this.merge(roomId, page.messages, { loaded: true, hasMore: current.loaded ? current.hasMore || page.hasMore : page.hasMore, loadError: undefined })
      void this.fillGaps(roomId)
    } catch (error) {
      this.update(roomId, { loaded: true, loadError: describeError(error) })
    }
  }

  async loadOlder(roomId: string): Promise<void> {
    const current = this.get(roomId)
    const oldest = current.confirmed[0]
    if (!current.hasMore || current.loadingOlder || !oldest) return
    this.update(roomId, { loadingOlder: true })
    try {
      const page = await this.client.message.history.query({ roomId, beforeSeq: oldest.seq })
      this.merge(roomId, page.messages, { hasMore: page.hasMore, loadingOlder: false })
    } catch {
      this.update(roomId, { loadingOlder: false })
    }
  }

  /** Shows the message at once as pending, then confirmed when stored. */
  send(roomId: string, text: string): void {
    const pending: PendingMessage = { clientId: newUuid(), text, status: 'sending' }
    this.update(roomId, { pending: [...this.get(roomId).pending, pending] })
    void this.deliver(roomId, pending)
  }

  /** Sends a failed message again with the same clientId: stored at most once. */
  retry(roomId: string, clientId: string): void {
    const pending = this.get(roomId).pending.find((item) => item.clientId === clientId)
    if (!pending) return
    this.replacePending(roomId, clientId, { ...pending, status: 'sending', error: undefined })
    void this.deliver(roomId, pending)
  }

  discard(roomId: string, clientId: string): void {
    this.update(roomId, { pending: this.get(roomId).pending.filter((item) => item.clientId !== clientId) })
  }

  /**
   * Seqs are contiguous per room, so a missing seq between two held messages is a message not
   * yet seen (it arrived before this tab subscribed, or while it was away): fetch it.
   */
  private async fillGaps(roomId: string): Promise<void> {
    if (this.fillingGaps.has(roomId)) return
    this.fillingGaps.add(roomId)
    try {
      for (let attempt = 0; attempt < 50; attempt++) {
        const gap = firstGap(this.get(roomId).confirmed)
        if (!gap) return
        const limit = Math.min(HISTORY_PAGE_MAX, gap.beforeSeq - gap.afterSeq - 1)
        const page = await this.client.message.history.query({ roomId, beforeSeq: gap.beforeSeq, limit })
        if (page.messages.length === 0) return
        this.merge(roomId, page.messages, {})
      }
    } catch {
      // Offline or the server is away: the next message or reload tries again.
    } finally {
      this.fillingGaps.delete(roomId)
    }
  }

  private restorePending(roomId: string): void {
    if (this.timelines.has(roomId) && this.get(roomId).loaded) return
    const saved = readPending(roomId)
    const known = new Set(this.get(roomId).pending.map((item) => item.clientId))
    const restored = saved.filter((item) => !known.has(item.clientId)).map((item) => ({ ...item, status: 'failed' as const, error: NOT_SENT_BEFORE_CLOSE }))
    if (restored.length) this.update(roomId, { pending: [...restored, ...this.get(roomId).pending] })
  }

  private async deliver(roomId: string, pending: PendingMessage): Promise<void> {
    try {
      const stored = await this.client.message.send.mutate({ roomId, text: pending.text, clientId: pending.clientId })
      this.receive(stored)
    } catch (error) {
      this.replacePending(roomId, pending.clientId, { ...pending, status: 'failed', error: describeError(error).message })
    }
  }

  private replacePending(roomId: string, clientId: string, replacement: PendingMessage): void {
    const pending = this.get(roomId).pending.map((item) => (item.clientId === clientId ? replacement : item))
    this.update(roomId, { pending })
  }

  private merge(roomId: string, messages: readonly ChatMessage[], changes: Partial<Timeline>): void {
    const current = this.get(roomId)
    const bySeq = new Map(current.confirmed.map((message) => [message.seq, message]))
    for (const message of messages) bySeq.set(message.seq, message)
    const confirmed = [...bySeq.values()].sort((a, b) => a.seq - b.seq)
    const stored = new Set(messages.map((message) => message.clientId))
    const acknowledged = current.pending.some((item) => stored.has(item.clientId))
    const pending = acknowledged ? current.pending.filter((item) => !stored.has(item.clientId)) : current.pending
    this.update(roomId, { ...changes, confirmed, pending })
  }

  private update(roomId: string, changes: Partial<Timeline>): void {
    const previous = this.get(roomId)
    this.timelines.set(roomId, { ...previous, ...changes })
    if (changes.pending && changes.pending !== previous.pending) writePending(roomId, changes.pending)
    for (const listener of this.listeners.get(roomId) ?? []) listener()
  }
}

function firstGap(confirmed: readonly ChatMessage[]): { afterSeq: number; beforeSeq: number } | undefined {
  for (let i = 1; i < confirmed.length; i++) {
    const before = confirmed[i - 1]!.seq
    const after = confirmed[i]!.seq
    if (after > before + 1) return { afterSeq: before, beforeSeq: after }
  }
  return undefined
}

function readPending(roomId: string): PendingMessage[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(pendingKey(roomId)) ?? '[]')
    if (!Array.isArray(parsed)) return []
    return parsed.filter(
      (item): item is PendingMessage => typeof item?.clientId === 'string' && typeof item?.text === 'string',
    )
  } catch {
    return []
  }
}

function writePending(roomId: string, pending: readonly PendingMessage[]): void {
  try {
    if (pending.length) localStorage.setItem(pendingKey(roomId), JSON.stringify(pending.map(({ clientId, text }) => ({ clientId, text }))))
    else localStorage.removeItem(pendingKey(roomId))
  } catch {
    // Storage full or disabled: the message stays pending in this tab.
  }
}

export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: string } | undefined)?.code ?? 'ERROR'
    if (code === 'INTERNAL_SERVER_ERROR') return { code, message: 'Something went wrong on the server. Try again.' }
    return { code, message: error.message }
  }
  return { code: 'NETWORK', message: 'Could not reach the server. Check your connection and try again.' }
}

'use client'
import { TRPCClientError } from '@trpc/client'
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

/**
 * The messages of every room this tab has seen, from history pages, live events and its own sends,
 * merged by seq so that whichever path delivers a message first, it shows once and in order.
 */
export class TimelineStore {
  private readonly timelines = new Map<string, Timeline>()
  private readonly listeners = new Map<string, Set<() => void>>()

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
  }

  async loadLatest(roomId: string): Promise<void> {
    try {
      const page = await this.client.message.history.query({ roomId })
      const current = this.get(roomId)
      // Keep hasMore from an earlier load if this page overlaps what we already hold.
      this.merge(roomId, page.messages, { loaded: true, hasMore: current.loaded ? current.hasMore || page.hasMore : page.hasMore, loadError: undefined })
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
    const pending = current.pending.filter((item) => !stored.has(item.clientId))
    this.update(roomId, { ...changes, confirmed, pending })
  }

  private update(roomId: string, changes: Partial<Timeline>): void {
    this.timelines.set(roomId, { ...this.get(roomId), ...changes })
    for (const listener of this.listeners.get(roomId) ?? []) listener()
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

'use client'
import { HISTORY_PAGE_MAX } from '@/server/chat/limits'
import type { ChatMessage } from '@/server/chat/types'
import type { AppClient } from '@/app/_lib/trpc'
import type { Outbox } from './outbox'
import { nothingSaved, type SavedHistory } from '@/app/_lib/saved-history'
import { OutboxSender, type PendingMessage } from './outbox-sender'
import { describeError, isPermanent, type RequestError } from './request-errors'
import { SeqLog } from './seq-log'

export type { PendingMessage }

/** A search result further back than this many history pages is not scrolled to. */
const MAX_PAGES_TO_REVEAL = 50

export type Timeline = {
  /** Stored messages, ascending by seq, each seq once, with no hole. */
  confirmed: readonly ChatMessage[]
  /** Typed here and not shown as stored yet, in the order typed. */
  pending: readonly PendingMessage[]
  loaded: boolean
  hasMore: boolean
  loadingOlder: boolean
  /** The last history load failed for a reason that may pass: the room shows what this tab has (or this browser saved). */
  offline: boolean
  /** The room cannot be shown at all (not a member, no such room). */
  loadError?: RequestError | undefined
}

type Api = AppClient['message']
type Call<Input, Output> = (input: Input, options?: { signal?: AbortSignal }) => Promise<Output>

/** What the store needs of the API: the app's client in the browser, anything shaped alike in tests. */
export type ChatClient = {
  message: {
    history: { query: Call<Parameters<Api['history']['query']>[0], Awaited<ReturnType<Api['history']['query']>>> }
    send: { mutate: Call<Parameters<Api['send']['mutate']>[0], ChatMessage> }
  }
}

export type TimelineStoreOptions = {
  userId: string
  outbox: Outbox
  /** Where the newest messages of each room are kept for a reload while offline. */
  saved?: SavedHistory
}

/** Saving a room's newest messages waits this long for more changes: one write per burst. */
const SAVE_AFTER_MS = 1_000

const EMPTY: Timeline = { confirmed: [], pending: [], loaded: false, hasMore: false, loadingOlder: false, offline: false }

/**
 * The messages of every room this tab has seen, from history pages, live events and the outbox,
 * merged by seq so that whichever path delivers a message first, it shows once and in order.
 */
export class TimelineStore {
  private readonly timelines = new Map<string, Timeline>()
  private readonly logs = new Map<string, SeqLog>()
  private readonly listeners = new Map<string, Set<() => void>>()
  private readonly fillingGaps = new Set<string>()
  /** Newest-page loads under way, and those whose answer may predate what the stream now covers. */
  private readonly loadingLatest = new Set<string>()
  private readonly reloadWhenLoaded = new Set<string>()
  private readonly sender: OutboxSender
  private readonly saves = new Map<string, ReturnType<typeof setTimeout>>()

  constructor(
    private readonly client: ChatClient,
    private readonly options: TimelineStoreOptions,
  ) {
    this.sender = new OutboxSender({
      outbox: options.outbox,
      lockName: `relay-outbox:${options.userId}`,
      send: ({ roomId, text, clientId }, signal) => client.message.send.mutate({ roomId, text, clientId, asUserId: options.userId }, { signal }),
      onStored: (message) => this.receive(message),
      onChange: (roomIds) => roomIds.forEach((roomId) => this.showPending(roomId)),
    })
  }

  /** Loads the outbox and starts sending it (in the browser only, never during server rendering). */
  start(): void {
    this.sender.start()
  }

  stop(): void {
    this.sender.stop()
    for (const timer of this.saves.values()) clearTimeout(timer)
    this.saves.clear()
  }

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
    void this.fillGaps(message.roomId)
  }

  /** Reloads the newest page of every room on screen or seen before (after a fresh subscription). */
  refreshLoaded(): void {
    // A load still under way may have read the room before the stream started listening.
    for (const roomId of this.loadingLatest) this.reloadWhenLoaded.add(roomId)
    for (const [roomId, timeline] of this.timelines) {
      if (timeline.loaded && !timeline.offline && !timeline.loadError && !this.loadingLatest.has(roomId)) void this.loadLatest(roomId)
    }
  }

  /** The network or the live stream is back: send the outbox, load what could not be loaded. */
  resume(): void {
    this.sender.wake()
    for (const [roomId, timeline] of this.timelines) {
      if (timeline.offline) void this.loadLatest(roomId)
      else void this.fillGaps(roomId)
    }
  }

  async loadLatest(roomId: string): Promise<void> {
    this.loadingLatest.add(roomId)
    try {
      const page = await this.client.message.history.query({ roomId })
      const current = this.get(roomId)
      // Keep hasMore from an earlier load if this page overlaps what we already hold.
      const hasMore = current.loaded ? current.hasMore || page.hasMore : page.hasMore
      this.merge(roomId, page.messages, { loaded: true, hasMore, offline: false, loadError: undefined }, pageFloor(page))
      void this.fillGaps(roomId)
    } catch (cause) {
      const error = describeError(cause)
      if (isPermanent(error)) this.update(roomId, { loaded: true, offline: false, loadError: error })
      else await this.showSaved(roomId)
    } finally {
      this.loadingLatest.delete(roomId)
      if (this.reloadWhenLoaded.delete(roomId)) void this.loadLatest(roomId)
    }
  }

  async loadOlder(roomId: string): Promise<void> {
    const current = this.get(roomId)
    const oldest = current.confirmed[0]
    if (!current.hasMore || current.loadingOlder || !oldest) return
    this.update(roomId, { loadingOlder: true })
    try {
      const page = await this.client.message.history.query({ roomId, beforeSeq: oldest.seq })
      this.merge(roomId, page.messages, { hasMore: page.hasMore, loadingOlder: false }, pageFloor(page))
    } catch {
      this.update(roomId, { loadingOlder: false })
    }
  }

  /** Loads older pages until the message with `seq` is held (a search result to jump to). */
  async reveal(roomId: string, seq: number): Promise<boolean> {
    for (let pages = 0; pages < MAX_PAGES_TO_REVEAL; pages++) {
      const current = this.get(roomId)
      const oldest = current.confirmed[0]
      if (oldest && oldest.seq <= seq) return current.confirmed.some((message) => message.seq === seq)
      if (!current.hasMore) return false
      await this.loadOlder(roomId)
      // A load already under way: wait for it rather than spin.
      while (this.get(roomId).loadingOlder) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return false
  }

  /** Shows the message at once as pending; the outbox stores it, then sends it in order. */
  send(roomId: string, text: string): void {
    this.sender.add(roomId, text)
  }

  /** Sends a failed message again with the same clientId: stored at most once. */
  retry(clientId: string): void {
    this.sender.retry(clientId)
  }

  /** Takes back a queued message before it goes out, or drops a failed one. */
  cancel(clientId: string): void {
    this.sender.cancel(clientId)
  }

  /**
   * Fetches the messages missing between the shown run and the held ones, oldest first, so held
   * messages are released in order as soon as the hole before them is filled.
   */
  private async fillGaps(roomId: string): Promise<void> {
    if (this.fillingGaps.has(roomId)) return
    this.fillingGaps.add(roomId)
    try {
      for (let gap = this.logs.get(roomId)?.gap(); gap; gap = this.logs.get(roomId)?.gap()) {
        const beforeSeq = Math.min(gap.beforeSeq, gap.afterSeq + 1 + HISTORY_PAGE_MAX)
        const page = await this.client.message.history.query({ roomId, beforeSeq, limit: beforeSeq - gap.afterSeq - 1 })
        const afterSeq = gap.afterSeq
        // Cannot happen while seqs are contiguous; stop rather than ask forever.
        if (!page.messages.some((message) => message.seq === afterSeq + 1)) return
        this.merge(roomId, page.messages, {})
      }
    } catch {
      // Offline or the server is away: the next message, reconnect or reload tries again.
    } finally {
      this.fillingGaps.delete(roomId)
    }
  }

  /** The server cannot be reached: a room this tab has nothing of shows what this browser saved of it. */
  private async showSaved(roomId: string): Promise<void> {
    const saved = this.get(roomId).confirmed.length === 0 ? await (this.options.saved ?? nothingSaved).messages(roomId) : undefined
    const still = this.get(roomId)
    if (saved?.length && still.confirmed.length === 0 && !still.loaded) this.merge(roomId, saved, { offline: true }, saved[0]!.seq)
    else this.update(roomId, { offline: true })
  }

  private scheduleSave(roomId: string): void {
    if (!this.options.saved || this.saves.has(roomId)) return
    this.saves.set(
      roomId,
      setTimeout(() => {
        this.saves.delete(roomId)
        void this.options.saved?.saveMessages(roomId, this.get(roomId).confirmed)
      }, SAVE_AFTER_MS),
    )
  }

  private merge(roomId: string, messages: readonly ChatMessage[], changes: Partial<Timeline>, floor?: number): void {
    let log = this.logs.get(roomId)
    if (!log) this.logs.set(roomId, (log = new SeqLog()))
    log.add(messages, floor)
    this.update(roomId, { ...changes, confirmed: log.shown })
    if (!this.get(roomId).offline) this.scheduleSave(roomId)
    for (const message of messages) if (message.author.id === this.options.userId) this.sender.acknowledge(message)
    this.showPending(roomId)
  }

  /**
   * Pending = the outbox's messages for the room, plus those already stored whose copy is held
   * behind a gap (so they never vanish), minus those the room shows as stored (never twice).
   */
  private showPending(roomId: string): void {
    const current = this.get(roomId)
    const queued = this.sender.pending(roomId)
    const queuedIds = new Set(queued.map((item) => item.clientId))
    const held = new Set(this.logs.get(roomId)?.waiting.map((message) => message.clientId))
    const stillHeld = current.pending.filter((item) => !queuedIds.has(item.clientId) && held.has(item.clientId))
    const shown = new Set(current.confirmed.filter((message) => message.author.id === this.options.userId).map((message) => message.clientId))
    const pending = [...stillHeld, ...queued].filter((item) => !shown.has(item.clientId))
    if (!samePending(pending, current.pending)) this.update(roomId, { pending })
  }

  private update(roomId: string, changes: Partial<Timeline>): void {
    this.timelines.set(roomId, { ...this.get(roomId), ...changes })
    for (const listener of this.listeners.get(roomId) ?? []) listener()
  }
}

/** A page that reaches the first message starts the room at seq 1. */
function pageFloor(page: { messages: readonly ChatMessage[]; hasMore: boolean }): number {
  return page.hasMore && page.messages[0] ? page.messages[0].seq : 1
}

function samePending(a: readonly PendingMessage[], b: readonly PendingMessage[]): boolean {
  return (
    a.length === b.length &&
    a.every((item, i) => {
      const other = b[i]!
      return item.clientId === other.clientId && item.status === other.status && item.cancellable === other.cancellable && item.error === other.error
    })
  )
}

import { backoffDelay } from '@/app/_lib/live/backoff'
import { newUuid } from '@/app/_lib/uuid'
import type { ChatMessage } from '@/server/chat/types'
import { nextSendOrder, sendAfter, type Outbox, type OutboxEntry } from './outbox'
import { describeError, isPermanent } from './request-errors'

/** A message typed here that the room does not show as stored yet. */
export type PendingMessage = {
  clientId: string
  text: string
  /** waiting: queued until the network is back; sending: going out now; failed: refused for good. */
  status: 'waiting' | 'sending' | 'failed'
  /** Not in flight yet, so it can still be taken back. */
  cancellable: boolean
  error?: string | undefined
}

export type OutboxSenderOptions = {
  outbox: Outbox
  /** Held while flushing, so one tab of the user sends at a time. */
  lockName: string
  send(entry: OutboxEntry, signal: AbortSignal): Promise<ChatMessage>
  /** The server stored it: called before the entry leaves the queue, so the room can show it first. */
  onStored(message: ChatMessage): void
  onChange(roomIds: ReadonlySet<string>): void
}

type Queued = {
  entry: OutboxEntry
  state: 'queued' | 'sending' | 'failed'
  /** Server errors in a row for this message: past a few, it is marked failed so the queue behind it goes on. */
  serverErrors: number
  /** The outbox write finished (stored, or failed and kept in memory only). */
  written: boolean
  /** The outbox holds it: missing there later means another tab finished with it. */
  saved: boolean
  saving: Promise<void>
}

/** A request hanging on a half-open connection must not hold the queue: the retry is idempotent. */
const SEND_TIMEOUT_MS = 20_000
const RETRY_BACKOFF = { baseMs: 1_000, maxMs: 30_000 }
/** A message the server failed on this many times running is set aside (Retry/Discard): it may be what fails. */
const MAX_SERVER_ERRORS = 5

/**
 * Sends the outbox in the order typed, one message at a time, each with its clientId so a send
 * repeated after a lost answer is stored once. A failure that may pass keeps the queue and retries
 * it with backoff; a refusal marks that message failed and the queue goes on.
 */
export class OutboxSender {
  private readonly queued = new Map<string, Queued>()
  /** Acknowledged or taken back here: never picked up again from a stale read. */
  private readonly gone = new Set<string>()
  private stopped = true
  private flushing = false
  private flushAgain = false
  private stalled = false
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly options: OutboxSenderOptions) {}

  start(): void {
    this.stopped = false
    void this.pickUp().then(() => this.flush())
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.retryTimer)
  }

  /** The network may be back: try now rather than at the end of the backoff. */
  wake(): void {
    this.attempt = 0
    void this.flush()
  }

  pending(roomId: string): PendingMessage[] {
    return [...this.queued.values()]
      .filter((item) => item.entry.roomId === roomId)
      .sort((a, b) => a.entry.order - b.entry.order)
      .map(({ entry, state, written }) => ({
        clientId: entry.clientId,
        text: entry.text,
        status: state === 'queued' ? (written && this.stalled ? 'waiting' : 'sending') : state,
        cancellable: state !== 'sending',
        error: entry.error,
      }))
  }

  /** Queues the message and stores it in the outbox before sending it. */
  add(roomId: string, text: string): void {
    const entry: OutboxEntry = { clientId: newUuid(), roomId, text, createdAt: Date.now(), order: nextSendOrder() }
    const item: Queued = { entry, state: 'queued', serverErrors: 0, written: false, saved: false, saving: Promise.resolve() }
    item.saving = this.save(item)
    this.queued.set(entry.clientId, item)
    this.changed(roomId)
    void item.saving.then(() => this.flush())
  }

  /** Takes back a message not yet in flight (queued or failed). */
  cancel(clientId: string): void {
    const item = this.queued.get(clientId)
    if (!item || item.state === 'sending') return
    this.forget(item)
    this.changed(item.entry.roomId)
  }

  retry(clientId: string): void {
    const item = this.queued.get(clientId)
    if (!item || item.state !== 'failed') return
    item.state = 'queued'
    item.serverErrors = 0
    item.entry = { ...item.entry, error: undefined }
    item.saving = this.save(item)
    this.changed(item.entry.roomId)
    void item.saving.then(() => this.flush())
  }

  /** A stored copy was seen (send answer, live stream or history): the entry is done. */
  acknowledge(message: ChatMessage): void {
    const item = this.queued.get(message.clientId)
    if (!item || item.entry.roomId !== message.roomId) return
    this.forget(item)
    this.changed(item.entry.roomId)
  }

  private async flush(): Promise<void> {
    if (this.stopped) return
    if (this.flushing) {
      this.flushAgain = true
      return
    }
    this.flushing = true
    clearTimeout(this.retryTimer)
    try {
      do {
        this.flushAgain = false
        await withLock(this.options.lockName, () => this.flushOnce())
      } while (this.flushAgain && !this.stopped)
    } catch {
      this.retryLater()
    } finally {
      this.flushing = false
    }
  }

  private async flushOnce(): Promise<void> {
    // Another tab may have queued messages and closed before sending them.
    await this.pickUp()
    const order = [...this.queued.values()].filter((item) => item.state === 'queued').sort((a, b) => a.entry.order - b.entry.order)
    for (const item of order) {
      if (this.stopped) return
      if (isOffline()) return this.setStalled(true)
      if ((await this.sendOne(item)) === 'retry later') return this.retryLater()
    }
    this.attempt = 0
    this.setStalled(false)
  }

  private async sendOne(item: Queued): Promise<'done' | 'retry later'> {
    await item.saving
    const current = () => this.queued.get(item.entry.clientId) === item && item.state === 'queued'
    if (!current()) return 'done'
    // Gone from storage: another tab had it stored, or it was cancelled there.
    if (item.saved && !(await this.options.outbox.has(item.entry.clientId).catch(() => true))) {
      this.forget(item)
      this.changed(item.entry.roomId)
      return 'done'
    }
    if (!current()) return 'done'
    item.state = 'sending'
    this.changed(item.entry.roomId)
    try {
      const stored = await this.options.send(item.entry, AbortSignal.timeout(SEND_TIMEOUT_MS))
      this.setStalled(false)
      this.options.onStored(stored)
      this.acknowledge(stored)
      return 'done'
    } catch (cause) {
      if (this.queued.get(item.entry.clientId) !== item) return 'done'
      const error = describeError(cause)
      if (error.code === 'INTERNAL_SERVER_ERROR') item.serverErrors++
      if (!isPermanent(error) && item.serverErrors < MAX_SERVER_ERRORS) {
        item.state = 'queued'
        this.setStalled(true)
        this.changed(item.entry.roomId)
        return 'retry later'
      }
      item.state = 'failed'
      item.entry = { ...item.entry, error: error.message }
      item.saving = this.save(item)
      this.changed(item.entry.roomId)
      return 'done'
    }
  }

  /** Loads what the outbox holds that this tab does not know yet (after a reload, from other tabs). */
  private async pickUp(): Promise<void> {
    const entries = await this.options.outbox.list().catch(() => [])
    sendAfter(entries)
    const rooms = new Set<string>()
    for (const entry of entries) {
      if (this.queued.has(entry.clientId) || this.gone.has(entry.clientId)) continue
      const state = entry.error ? 'failed' : 'queued'
      this.queued.set(entry.clientId, { entry, state, serverErrors: 0, written: true, saved: true, saving: Promise.resolve() })
      rooms.add(entry.roomId)
    }
    if (rooms.size) this.options.onChange(rooms)
  }

  private async save(item: Queued): Promise<void> {
    try {
      await this.options.outbox.put(item.entry)
      item.saved = true
    } catch {
      // No durable storage (quota, disabled): the message is still sent from this tab.
    }
    item.written = true
    this.changed(item.entry.roomId)
  }

  private forget(item: Queued): void {
    this.queued.delete(item.entry.clientId)
    this.gone.add(item.entry.clientId)
    // After the pending write, or a late write would bring the entry back.
    void item.saving.then(() => this.options.outbox.remove(item.entry.clientId)).catch(() => {})
  }

  private retryLater(): void {
    clearTimeout(this.retryTimer)
    if (this.stopped) return
    this.retryTimer = setTimeout(() => void this.flush(), backoffDelay(this.attempt++, RETRY_BACKOFF))
  }

  private setStalled(stalled: boolean): void {
    if (this.stalled === stalled) return
    this.stalled = stalled
    this.options.onChange(new Set([...this.queued.values()].map((item) => item.entry.roomId)))
  }

  private changed(roomId: string): void {
    this.options.onChange(new Set([roomId]))
  }
}

function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false
}

async function withLock(name: string, task: () => Promise<void>): Promise<void> {
  if (typeof navigator === 'undefined' || !navigator.locks) return task()
  await navigator.locks.request(name, task)
}

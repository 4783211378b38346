'use client'
import { TRPCClientError } from '@trpc/client'
import { newUuid } from '@/app/_lib/uuid'
import type { ClientEvent } from '@/server/chat/types'
import { HolderLock, TabPresence, tabsCanShare } from './holder-lock'
import { LiveConnection } from './live-connection'
import { watchPageLifecycle } from './page-lifecycle'
import { RelayedRequests, type CarriedRequest } from './relayed-requests'
import { sameLiveStatus, type LiveStatus, type Transport, type TransportStatus } from './status'
import { TabChannel, type TabMessage } from './tab-channel'
import { TabCursor } from './tab-cursor'

/** The holder says how it is at least this often: its heartbeat. */
const HEARTBEAT_MS = 500
/** A holder not heard for this long is asked whether it is there… */
const HOLDER_QUIET_MS = 800
/** …and one still silent after this long (frozen, paused) has its lock taken, with a little jitter so two tabs do not both take it. */
const HOLDER_GONE_MS = 1_200
const WATCH_MS = 200

export type SharedConnectionOptions = {
  userId: string
  forcedTransport?: Transport | undefined
  onEvent(event: ClientEvent): void
  /** This tab may have missed events (its first stream, a wake from being frozen): reload what it shows. */
  onResync(): void
  onStatus(status: LiveStatus): void
  /** The session is gone (signed out elsewhere, expired): reconnecting cannot help. */
  onSignedOut(): void
}

type HeardHolder = { tab: string; status: TransportStatus; tabs: number }

/**
 * One live connection per person per browser. The tab holding a Web Lock holds the WebSocket or
 * SSE stream (LiveConnection) and passes every event and its status to the other tabs over a
 * BroadcastChannel; they send their queries and mutations through it while it is on a live
 * WebSocket. When the holder closes, crashes or is frozen, the next tab takes the lock and
 * resumes from the last event id it saw. Without Web Locks or BroadcastChannel the tab holds a
 * connection of its own.
 */
export class SharedConnection {
  private readonly tabId = newUuid()
  private readonly channel: TabChannel | undefined
  private readonly lock: HolderLock | undefined
  private readonly presence: TabPresence | undefined
  private readonly relay = new RelayedRequests()
  private connection: LiveConnection | undefined
  private heartbeat: ReturnType<typeof setInterval> | undefined
  /** The connection's status as this tab last heard it (its own, or the holder's), and as it last showed it. */
  private status: TransportStatus = { state: 'connecting', transport: 'ws' }
  private shown: LiveStatus | undefined
  private heard: HeardHolder | undefined
  private heardAt = 0
  private pinged = false
  private tabs = 1
  private readonly cursor = new TabCursor()
  private caughtUp = false
  private stopped = false
  private watch: ReturnType<typeof setInterval> | undefined
  private stopWatchingPage = () => {}
  private readonly patience = HOLDER_GONE_MS + Math.random() * 300

  constructor(private readonly options: SharedConnectionOptions) {
    if (!tabsCanShare()) return
    this.channel = new TabChannel(options.userId, this.tabId, (message, from) => this.receive(message, from))
    this.presence = new TabPresence(`relay-live-tabs:${options.userId}`)
    this.lock = new HolderLock(`relay-live-holder:${options.userId}`, {
      onGranted: () => this.hold(),
      // Taken by another tab while this one was stuck: what passed meanwhile may never have reached it.
      onLost: () => {
        this.letGo(false)
        this.caughtUp = false
        this.follow()
      },
    })
  }

  start(): void {
    if (!this.channel || !this.lock || !this.presence) return this.hold()
    this.presence.enter()
    this.follow()
    this.watch = setInterval(() => this.watchHolder(), WATCH_MS)
    this.stopWatchingPage = watchPageLifecycle({
      // Frozen, cached or closing: let another tab hold the connection meanwhile.
      onPause: () => this.resign(),
      // Back: events may have passed by unseen, so catch up, then follow (or hold) again.
      onResume: () => {
        if (this.stopped || this.connection) return
        this.caughtUp = false
        this.follow()
      },
    })
  }

  stop(): void {
    if (this.stopped) return
    this.stopped = true
    clearInterval(this.watch)
    this.stopWatchingPage()
    this.resign()
    this.relay.failAll()
    this.presence?.leave()
    this.channel?.close()
  }

  /** Whether a query or mutation sent now would ride the live WebSocket (this tab's, or the holder's). */
  carriesRequests(): boolean {
    if (this.connection) return this.connection.requests() !== undefined
    const holder = this.heard
    return Boolean(holder && holder.status.state === 'live' && holder.status.transport === 'ws' && performance.now() - this.heardAt < this.patience)
  }

  request(request: CarriedRequest, signal: AbortSignal | undefined): Promise<unknown> {
    const own = this.connection?.requests()
    if (own) return request.type === 'query' ? own.query(request.path, request.input, { signal }) : own.mutation(request.path, request.input, { signal })
    if (this.channel && this.heard) return this.relay.send(this.channel, request, signal)
    return Promise.reject(new TRPCClientError('The live connection is not up right now.'))
  }

  /** Waits in line for the lock; meanwhile the holder (if any) tells this tab how things are. */
  private follow(): void {
    this.heardAt = performance.now()
    this.lock?.join()
    this.channel?.post({ kind: 'hello' })
  }

  private hold(): void {
    if (this.stopped) return this.lock?.resign()
    const previous = this.heard
    this.heard = undefined
    // Whatever was waiting on the previous holder is sent again, here.
    this.relay.failAll()
    this.connection = new LiveConnection({
      userId: this.options.userId,
      forcedTransport: this.options.forcedTransport,
      resumeFrom: { lastEventId: this.cursor.lastEventId, status: previous?.status },
      onEvent: (event, id) => {
        this.channel?.post({ kind: 'event', id, event })
        this.deliver(event, id)
      },
      onStatus: (status) => {
        this.status = status
        this.announce()
      },
      onSignedOut: () => {
        this.channel?.post({ kind: 'signed-out' })
        this.signedOut()
      },
    })
    this.connection.start()
    this.heartbeat = setInterval(() => {
      this.announce()
      this.countTabs()
    }, HEARTBEAT_MS)
    this.countTabs()
  }

  /** Stops holding: on resign (closing, frozen) the others are told at once; when the lock was taken, they know. */
  private letGo(tellOthers: boolean): void {
    if (!this.connection) return
    clearInterval(this.heartbeat)
    this.connection.stop()
    this.connection = undefined
    if (tellOthers) this.channel?.post({ kind: 'resign' })
    this.heardAt = performance.now()
    this.show({ ...this.status, state: 'reconnecting' }, this.tabs, false)
  }

  private resign(): void {
    this.letGo(true)
    this.lock?.resign()
  }

  private receive(message: TabMessage, from: string): void {
    if (this.stopped) return
    if (this.connection) return this.receiveAsHolder(message, from)
    switch (message.kind) {
      case 'status':
        this.heardAt = performance.now()
        this.pinged = false
        if (this.heard?.tab !== from) this.relay.failAll()
        this.heard = { tab: from, status: message.status, tabs: message.tabs }
        if (message.lastEventId !== undefined) this.cursor.startAt(message.lastEventId)
        if (message.status.state === 'live') this.markCaughtUp()
        return this.show(message.status, message.tabs, false)
      case 'event':
        this.heardAt = performance.now()
        return this.deliver(message.event, message.id)
      case 'resign':
        if (this.heard?.tab !== from) return
        this.heard = undefined
        this.relay.failAll()
        return this.show({ ...this.status, state: 'reconnecting' }, this.tabs, false)
      case 'signed-out':
        return this.signedOut()
      case 'response':
        if (message.to === this.tabId) this.relay.settle(message)
        return
    }
  }

  private receiveAsHolder(message: TabMessage, from: string): void {
    switch (message.kind) {
      // Another tab took over while this one was stuck, and this one has not noticed yet.
      case 'event':
        return this.deliver(message.event, message.id)
      case 'hello':
        this.countTabs()
        return this.announce()
      case 'ping':
        return this.announce()
      case 'request':
        return this.relay.serve(this.channel!, from, message, this.connection?.requests())
      case 'abort':
        return this.relay.abortServed(from, message.requestId)
    }
  }

  /** Hands an event to this tab, once: a new holder may replay positions this tab already had. */
  private deliver(event: ClientEvent, id: string): void {
    if (!this.cursor.accept(event, id)) return
    if (event.type === 'ready') this.markCaughtUp()
    this.options.onEvent(event)
  }

  private markCaughtUp(): void {
    if (this.caughtUp) return
    this.caughtUp = true
    this.options.onResync()
  }

  /** A follower's watch: a holder that goes quiet is asked, and one that stays silent is replaced. */
  private watchHolder(): void {
    if (this.connection || !this.lock || !this.channel) return
    const quietFor = performance.now() - this.heardAt
    if (quietFor > this.patience) {
      this.heardAt = performance.now()
      this.lock.steal()
    } else if (quietFor > HOLDER_QUIET_MS && !this.pinged) {
      this.pinged = true
      this.channel.post({ kind: 'ping' })
    }
  }

  private announce(): void {
    this.channel?.post({ kind: 'status', status: this.status, tabs: this.tabs, lastEventId: this.cursor.lastEventId })
    this.show(this.status, this.tabs, true)
  }

  private countTabs(): void {
    void this.presence?.count().then((tabs) => {
      if (tabs === this.tabs || !this.connection) return
      this.tabs = tabs
      this.announce()
    })
  }

  private show(status: TransportStatus, tabs: number, holder: boolean): void {
    this.status = status
    this.tabs = tabs
    const next: LiveStatus = { state: status.state, transport: status.transport, fallback: status.fallback, tabs, holder, shared: Boolean(this.channel) }
    // The heartbeat repeats itself twice a second: only a change reaches the page.
    if (this.shown && sameLiveStatus(this.shown, next)) return
    this.shown = next
    this.options.onStatus(next)
  }

  private signedOut(): void {
    if (this.stopped) return
    this.stop()
    this.options.onSignedOut()
  }
}

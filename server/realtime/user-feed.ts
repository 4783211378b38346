import { inBackground } from '../db/background.ts'
import { db } from '../db/client.ts'
import { fairQueue } from '../limits/fair-queue.ts'
import { backlogRates } from '../limits/request-limits.ts'
import type { Hub } from './hub.ts'
import { instanceHub, instancePresence, instanceStream } from './instance-stream.ts'
import type { OrderedStream, StreamItem } from './ordered-stream.ts'
import type { Presence } from './presence.ts'
import { BACKLOG_PAGE_EVENTS, backlogFor } from './event-log.ts'
import type { ChatMessage, ClientEvent, PositionedEvent } from '../chat/types.ts'

/** An event for one client and the stream position it is delivered through (its resume cursor). */
export type DeliveredEvent = { cursor: number; event: ClientEvent }

/**
 * Live events held while the backlog is read; past this many the subscriber is cut off instead of
 * buffering without end, and its client resubscribes with its last event id.
 */
const MAX_HELD_EVENTS = 5_000

/** A live event for this user, with its stream position (live-only events have none). */
type Routed = { pos?: number; event: ClientEvent }

/** Who reads a feed (server/realtime/stream-to-sink.ts). */
export type FeedConsumer = {
  /** Takes one live event; returns false when it cannot take more (its reader fell too far behind). */
  deliver(cursor: number, event: ClientEvent): boolean
  /** The feed overflowed (and closed itself): called once. */
  overflowed(): void
}

const READY: ClientEvent = { type: 'ready' }

/**
 * Everything one user should see, across all their rooms: first what they missed since
 * `lastEventId` (from the database), then live. Listens before it reads the backlog, so nothing
 * committed in between is missed; positions already delivered are skipped, so nothing comes twice.
 * The live events are pushed (`push()`), synchronously and in position order, so a transport
 * writes each one without a per-subscriber async pipeline (see stream-to-sink.ts).
 */
export class UserEventFeed {
  private rooms: Map<string, number> | undefined
  /** Items taken while the rooms were being read; dropped once replayed, so an idle feed keeps no array. */
  private beforeRoomsLoaded: StreamItem[] | undefined = []
  /** Live events routed while the backlog is read, handed over by push(); none once live. */
  private held: Routed[] | undefined = []
  private cursor = 0
  private live = false
  private closed = false

  private constructor(
    readonly userId: string,
    private readonly stream: OrderedStream,
    private readonly hub: Hub,
    private readonly presence: Presence,
    private readonly consumer: FeedConsumer,
  ) {
    // This tab counts as the user being online for as long as it streams.
    presence.opened(userId)
    // The hub hands over, in position order, what may concern this user; the feed keeps only what does.
    hub.add(this)
  }

  /** Starts listening; the consumer gets the live events from push() on. */
  static async open(userId: string, consumer: FeedConsumer): Promise<UserEventFeed> {
    const [stream, hub, presence] = await Promise.all([instanceStream(), instanceHub(), instancePresence()])
    return new UserEventFeed(userId, stream, hub, presence, consumer)
  }

  /** The rooms this feed delivers (none until they are read): the hub files it under them. */
  roomIds(): Iterable<string> {
    return this.rooms?.keys() ?? []
  }

  /** From the hub: every item until this feed's rooms are known, then those of its rooms and its user. */
  take(item: StreamItem): void {
    if (this.rooms) this.route(item)
    else this.beforeRoomsLoaded?.push(item)
  }

  /** What was missed since `lastEventId`, then `ready`. Everything later comes through push(). */
  async *backlog(lastEventId: number | undefined, signal: AbortSignal): AsyncGenerator<DeliveredEvent> {
    // Every position up to here is committed; everything after it comes through take(), held until push().
    const listenedFrom = this.stream.position
    const rooms = await membershipPositions(this.userId)
    this.rooms = rooms
    const taken = this.beforeRoomsLoaded ?? []
    this.beforeRoomsLoaded = undefined
    for (const item of taken) this.route(item)
    // Same tick: no item can slip between the replay above and the index.
    this.hub.index(this)

    // The backlog is exactly (lastEventId, listenedFrom]: read from the database, in pages.
    for (let from = lastEventId; from !== undefined && from < listenedFrom && !signal.aborted; ) {
      const start = from
      // A page read waits for the user's backlog allowance, takes its turn with their other
      // requests, and runs behind everyone's sends and queries: a long backlog (or ten) cannot
      // crowd others out.
      if (!(await backlogRates().spend(this.userId, BACKLOG_PAGE_EVENTS, signal))) break
      const page = await fairQueue().run(this.userId, () => inBackground(() => backlogFor(this.userId, start, listenedFrom)))
      for (const event of page.events) {
        const delivered = deliverable(event, this.userId, rooms)
        if (delivered) yield { cursor: event.pos, event: delivered }
      }
      from = page.throughPos
    }
    // A cursor from an instance further along than this one: skip what the client has seen.
    this.cursor = Math.max(lastEventId ?? listenedFrom, listenedFrom)
    yield { cursor: this.cursor, event: READY }
  }

  /** Hands the consumer what was held during the backlog, then each live event as it happens; a refused event overflows the feed. */
  push(): void {
    this.live = true
    const held = this.held ?? []
    this.held = undefined
    for (const routed of held) {
      if (this.closed) return
      this.pushOne(routed)
    }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.held = undefined
    this.hub.remove(this)
    this.presence.closed(this.userId)
  }

  private route(item: StreamItem): void {
    if (this.closed) return
    const routed = routeFor(item, this.userId, this.rooms!)
    // Joins and leaves move this feed in the hub's room index, in stream order.
    if (item.type === 'room.joined' && item.userId === this.userId) this.hub.enter(this, item.room.id)
    if (item.type === 'room.left' && item.userId === this.userId) this.hub.leave(this, item.roomId)
    if (!routed) return
    if (this.live) return this.pushOne(routed)
    if (this.held!.length >= MAX_HELD_EVENTS) return this.overflow()
    this.held!.push(routed)
  }

  private pushOne(routed: Routed): void {
    if (this.advance(routed) && !this.consumer.deliver(this.cursor, routed.event)) this.overflow()
  }

  /** Skips a position already delivered (from the backlog); moves the cursor past the rest. */
  private advance(routed: Routed): boolean {
    if (routed.pos === undefined) return true
    if (routed.pos <= this.cursor) return false
    this.cursor = routed.pos
    return true
  }

  private overflow(): void {
    this.close()
    this.consumer.overflowed()
  }
}

function routeFor(item: StreamItem, userId: string, rooms: Map<string, number>): Routed | undefined {
  if (item.type === 'room.hidden') {
    // Only the leaver's own tabs; the room stays in `rooms`, so its next message still arrives.
    if (item.userId !== userId) return undefined
    return { event: { type: 'room.hidden', roomId: item.roomId } }
  }
  if (item.type === 'room.read') {
    // The reader's other tabs clear the room's unread count too.
    if (item.userId !== userId) return undefined
    return { event: { type: 'room.read', roomId: item.roomId, lastReadSeq: item.lastReadSeq } }
  }
  if (item.type === 'presence') {
    if (!item.roomIds.some((roomId) => rooms.has(roomId))) return undefined
    return { event: { type: 'presence', userId: item.userId, online: item.online } }
  }
  if (item.type === 'typing') {
    // The typist's own tabs need not be told.
    if (item.user.id === userId || !rooms.has(item.roomId)) return undefined
    return { event: item }
  }
  const event = deliverable(item, userId, rooms)
  return event && { pos: item.pos, event }
}

/** The client's view of a positioned event, or undefined when it is not this user's business. */
function deliverable(event: PositionedEvent, userId: string, rooms: Map<string, number>): ClientEvent | undefined {
  if (event.type === 'room.joined') {
    if (event.userId !== userId) return undefined
    rooms.set(event.room.id, event.pos)
    return { type: 'room.joined', room: event.room }
  }
  if (event.type === 'room.left') {
    // Told even when the room was not routed (a backlog read after the leave): the tab may still list it.
    if (event.userId !== userId) return undefined
    rooms.delete(event.roomId)
    return { type: 'room.left', roomId: event.roomId }
  }
  const joinedPos = rooms.get(event.message.roomId)
  if (joinedPos === undefined || event.pos <= joinedPos) return undefined
  return clientViewOf(event)
}

const clientViews = new WeakMap<PositionedEvent, ClientEvent>()

/** One client view per message event, shared by every subscriber, so a transport can encode it once. */
function clientViewOf(event: Extract<PositionedEvent, { message: ChatMessage }>): ClientEvent {
  const cached = clientViews.get(event)
  if (cached) return cached
  const view: ClientEvent = event.type === 'message' ? { type: 'message', message: event.message } : { type: 'message.updated', message: event.message }
  clientViews.set(event, view)
  return view
}

async function membershipPositions(userId: string): Promise<Map<string, number>> {
  const memberships = await db().membership.findMany({ where: { userId }, select: { roomId: true, joinedPos: true } })
  return new Map(memberships.map((membership) => [membership.roomId, Number(membership.joinedPos)]))
}

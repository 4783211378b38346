import type { OrderedStream, StreamItem } from './ordered-stream.ts'

/** What the hub hands items to: one user's feed (a browser's live stream). */
export type HubFeed = {
  readonly userId: string
  /** The rooms it is in, as of the last item it took (it reports each change with enter / leave). */
  roomIds(): Iterable<string>
  /** Takes an item the feed may care about; the feed makes the final call (joined position, typist…). */
  take(item: StreamItem): void
}

/**
 * The instance's fan-out, indexed by room and by user, as Socket.IO's adapter and Centrifugo's hub
 * are: an event reaches only the feeds of its room's members (or of its user, for a user's own
 * events), so its cost follows the room's size, not the number of connections on the instance.
 *
 * A feed starts unindexed (its rooms are being read from the database) and meanwhile gets every
 * item; `index` files it under its rooms, and `enter` / `leave` follow its joins and leaves, which
 * the feed reports as it takes them, in stream order.
 */
export class Hub {
  private readonly byRoom = new Map<string, Set<HubFeed>>()
  private readonly byUser = new Map<string, Set<HubFeed>>()
  private readonly unindexed = new Set<HubFeed>()
  private readonly stopListening: () => void

  constructor(stream: OrderedStream) {
    this.stopListening = stream.listen((item) => this.dispatch(item))
  }

  add(feed: HubFeed): void {
    this.unindexed.add(feed)
    addTo(this.byUser, feed.userId, feed)
  }

  /** The feed's rooms are known: from now on it gets only what concerns them or its user. */
  index(feed: HubFeed): void {
    if (!this.unindexed.delete(feed)) return
    for (const roomId of feed.roomIds()) addTo(this.byRoom, roomId, feed)
  }

  /** The feed joined a room (an unindexed feed is filed under all its rooms when indexed). */
  enter(feed: HubFeed, roomId: string): void {
    if (!this.unindexed.has(feed)) addTo(this.byRoom, roomId, feed)
  }

  leave(feed: HubFeed, roomId: string): void {
    removeFrom(this.byRoom, roomId, feed)
  }

  remove(feed: HubFeed): void {
    removeFrom(this.byUser, feed.userId, feed)
    if (this.unindexed.delete(feed)) return
    for (const roomId of feed.roomIds()) removeFrom(this.byRoom, roomId, feed)
  }

  stop(): void {
    this.stopListening()
  }

  private dispatch(item: StreamItem): void {
    // Usually no feed is being opened: then every target is indexed and none is checked.
    if (this.unindexed.size === 0) {
      for (const feed of this.targets(item)) feed.take(item)
      return
    }
    for (const feed of this.unindexed) feed.take(item)
    for (const feed of this.targets(item)) if (!this.unindexed.has(feed)) feed.take(item)
  }

  /** The feeds an item may concern: its room's, its user's, or (presence) those of the user's rooms, each once. */
  private targets(item: StreamItem): Iterable<HubFeed> {
    switch (item.type) {
      case 'message':
      case 'message.updated':
        return this.byRoom.get(item.message.roomId) ?? NONE
      case 'typing':
        return this.byRoom.get(item.roomId) ?? NONE
      case 'room.joined':
      case 'room.left':
      case 'room.hidden':
      case 'room.read':
        return this.byUser.get(item.userId) ?? NONE
      case 'presence': {
        const feeds = new Set<HubFeed>()
        for (const roomId of item.roomIds) for (const feed of this.byRoom.get(roomId) ?? NONE) feeds.add(feed)
        return feeds
      }
    }
  }
}

const NONE: ReadonlySet<HubFeed> = new Set()

function addTo<K>(index: Map<K, Set<HubFeed>>, key: K, feed: HubFeed): void {
  let feeds = index.get(key)
  if (!feeds) index.set(key, (feeds = new Set()))
  feeds.add(feed)
}

function removeFrom<K>(index: Map<K, Set<HubFeed>>, key: K, feed: HubFeed): void {
  const feeds = index.get(key)
  if (!feeds?.delete(feed)) return
  if (feeds.size === 0) index.delete(key)
}

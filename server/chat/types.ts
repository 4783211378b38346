export type Author = { id: string; name: string }

/** One emoji on a message and who put it there, in the order they did. */
export type ReactionSummary = { emoji: string; userIds: string[] }

export type ChatMessage = {
  id: string
  roomId: string
  seq: number
  /** Empty once deleted. */
  text: string
  clientId: string
  author: Author
  createdAt: string
  editedAt: string | null
  deletedAt: string | null
  reactions: ReactionSummary[]
  /** Members the text names as @Name. */
  mentions: string[]
  /** Bumped by every edit, delete and reaction: of two copies of a message, the higher is newer. */
  revision: number
}

/** A room member, and whether they have the app open anywhere right now. */
export type RoomMember = Author & { online: boolean }

export type RoomSummary = { id: string; name: string; isPublic: boolean; lastSeq: number }

/** A room in the member's list: where they stopped reading and how much is new since. */
export type MemberRoom = RoomSummary & {
  lastReadSeq: number
  unread: number
  mentions: number
  /** For a direct conversation: the other person (the room is shown by their name). */
  directWith: Author | null
}

/** A change with a place in the global stream: replayed on resume, delivered in `pos` order. */
export type PositionedEvent =
  | { pos: number; type: 'message'; message: ChatMessage }
  | { pos: number; type: 'message.updated'; message: ChatMessage }
  | { pos: number; type: 'room.joined'; userId: string; room: RoomSummary }
  | { pos: number; type: 'room.left'; userId: string; roomId: string }

/** A change that is only delivered live (never replayed). */
export type LiveEvent =
  /** A direct conversation its member left: off their list, still delivered (a new message brings it back). */
  | { type: 'room.hidden'; userId: string; roomId: string }
  | { type: 'typing'; roomId: string; user: Author; active: boolean }
  | { type: 'room.read'; userId: string; roomId: string; lastReadSeq: number }
  /** Emitted by each instance's presence tracker; `roomIds` are the user's rooms (who may be told). */
  | { type: 'presence'; userId: string; online: boolean; roomIds: string[] }

/** What `events.stream` yields to a client. */
export type ClientEvent =
  | { type: 'ready' }
  | { type: 'message'; message: ChatMessage }
  | { type: 'message.updated'; message: ChatMessage }
  | { type: 'room.joined'; room: RoomSummary }
  | { type: 'room.left'; roomId: string }
  | { type: 'room.hidden'; roomId: string }
  | { type: 'typing'; roomId: string; user: Author; active: boolean }
  | { type: 'room.read'; roomId: string; lastReadSeq: number }
  | { type: 'presence'; userId: string; online: boolean }

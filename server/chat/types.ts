export type Author = { id: string; name: string }

export type ChatMessage = {
  id: string
  roomId: string
  seq: number
  text: string
  clientId: string
  author: Author
  createdAt: string
}

export type RoomSummary = { id: string; name: string; isPublic: boolean; lastSeq: number }

/** A change with a place in the global stream: replayed on resume, delivered in `pos` order. */
export type PositionedEvent =
  | { pos: number; type: 'message'; message: ChatMessage }
  | { pos: number; type: 'room.joined'; userId: string; room: RoomSummary }

/** A change that is only delivered live (never replayed). */
export type LiveEvent = { type: 'room.left'; userId: string; roomId: string }

/** What `events.stream` yields to a client. */
export type ClientEvent =
  | { type: 'ready' }
  | { type: 'message'; message: ChatMessage }
  | { type: 'room.joined'; room: RoomSummary }
  | { type: 'room.left'; roomId: string }

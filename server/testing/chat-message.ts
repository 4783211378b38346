import type { ChatMessage } from '../chat/types.ts'

/** A stored message for pure tests (no database): seq `seq` in room `room`, anything else overridden. */
export function chatMessage(seq: number, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: `id-${overrides.roomId ?? 'room'}-${seq}`,
    roomId: 'room',
    seq,
    text: `m${seq}`,
    clientId: `client-${overrides.roomId ?? 'room'}-${seq}`,
    author: { id: 'someone', name: 'Someone' },
    createdAt: new Date(0).toISOString(),
    editedAt: null,
    deletedAt: null,
    reactions: [],
    mentions: [],
    revision: 0,
    ...overrides,
  }
}

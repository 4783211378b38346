import type { ChatMessage, MemberRoom } from '@/server/chat/types'

/**
 * The room list after a live message: a message from someone else beyond the reader's marker
 * counts as unread (and as a mention if it names them), unless the room is being read right now.
 */
export function countLiveMessage(rooms: readonly MemberRoom[], message: ChatMessage, me: string, readingRoomId: string | undefined): MemberRoom[] {
  return rooms.map((room) => {
    if (room.id !== message.roomId || message.seq <= room.lastSeq) return room
    const counts = message.author.id !== me && message.seq > room.lastReadSeq && room.id !== readingRoomId
    return {
      ...room,
      lastSeq: message.seq,
      unread: room.unread + (counts ? 1 : 0),
      mentions: room.mentions + (counts && message.mentions.includes(me) ? 1 : 0),
    }
  })
}

/** The room list after the reader's marker moved to `lastReadSeq`. */
export function markedRead(rooms: readonly MemberRoom[], roomId: string, lastReadSeq: number): MemberRoom[] {
  return rooms.map((room) => (room.id === roomId && lastReadSeq >= room.lastSeq ? { ...room, lastReadSeq, unread: 0, mentions: 0 } : room))
}

/**
 * The room list after the reader's marker moved in another tab (a `room.read` event), or
 * undefined when the counts cannot be worked out here (read only part of the way): ask the server.
 */
export function readElsewhere(rooms: readonly MemberRoom[], roomId: string, lastReadSeq: number): MemberRoom[] | undefined {
  const room = rooms.find((candidate) => candidate.id === roomId)
  if (!room) return undefined
  if (lastReadSeq <= room.lastReadSeq) return [...rooms]
  return lastReadSeq >= room.lastSeq ? markedRead(rooms, roomId, lastReadSeq) : undefined
}

export const totalUnread = (rooms: readonly MemberRoom[] | undefined) => (rooms ?? []).reduce((sum, room) => sum + room.unread, 0)

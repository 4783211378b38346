import type { RoomSummary } from './types.ts'

export type RoomRow = { id: string; name: string; isPublic: boolean; lastSeq: number }

export const toSummary = (room: RoomRow): RoomSummary => ({
  id: room.id,
  name: room.name,
  isPublic: room.isPublic,
  lastSeq: room.lastSeq,
})

/** The columns a RoomSummary is made of, for Prisma's `select`. */
export const roomSelect = { id: true, name: true, isPublic: true, lastSeq: true } as const

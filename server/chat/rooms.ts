import { randomUUID } from 'node:crypto'
import { db } from '../db/client.ts'
import { trackWrite } from '../lifecycle.ts'
import { ChatError } from './errors.ts'
import { publishLive, publishPositioned } from './publish.ts'
import type { RoomSummary } from './types.ts'

type RoomRow = { id: string; name: string; isPublic: boolean; lastSeq: number }

const toSummary = (room: RoomRow): RoomSummary => ({
  id: room.id,
  name: room.name,
  isPublic: room.isPublic,
  lastSeq: room.lastSeq,
})

const roomSelect = { id: true, name: true, isPublic: true, lastSeq: true } as const

/** Rooms the user belongs to, oldest membership first. */
export async function listRooms(userId: string): Promise<RoomSummary[]> {
  const memberships = await db().membership.findMany({
    where: { userId },
    orderBy: { joinedPos: 'asc' },
    select: { room: { select: roomSelect } },
  })
  return memberships.map((membership) => toSummary(membership.room))
}

export type BrowsedRoom = RoomSummary & { memberCount: number; joined: boolean }

/** Public rooms, newest first, with whether the user is already in each. */
export async function browseRooms(userId: string, limit = 100): Promise<BrowsedRoom[]> {
  const rooms = await db().room.findMany({
    where: { isPublic: true },
    orderBy: { createdAt: 'desc' },
    take: limit,
    select: { ...roomSelect, _count: { select: { memberships: true } }, memberships: { where: { userId }, select: { userId: true } } },
  })
  return rooms.map((room) => ({ ...toSummary(room), memberCount: room._count.memberships, joined: room.memberships.length > 0 }))
}

/** Creates a public room with its creator as the first member. */
export async function createRoom(userId: string, name: string): Promise<RoomSummary> {
  const roomId = randomUUID()
  // One statement: the room, and the creator's membership at the next stream position.
  const rows = await trackWrite(db().$queryRaw<{ joinedPos: bigint }[]>`
    WITH cursor AS (UPDATE "StreamCursor" SET pos = pos + 1 WHERE id = 1 RETURNING pos),
    room AS (
      INSERT INTO "Room" (id, name, "isPublic", "createdById") VALUES (${roomId}, ${name}, true, ${userId}) RETURNING id
    )
    INSERT INTO "Membership" ("roomId", "userId", "joinedPos")
    SELECT room.id, ${userId}, cursor.pos FROM room, cursor
    RETURNING "joinedPos"`)
  const joinedPos = Number(rows[0]!.joinedPos)
  const room: RoomSummary = { id: roomId, name, isPublic: true, lastSeq: 0 }
  await publishPositioned({ pos: joinedPos, type: 'room.joined', userId, room })
  return room
}

/** Joins a public room; joining a room you are in already changes nothing. */
export async function joinRoom(userId: string, roomId: string): Promise<RoomSummary> {
  const room = await db().room.findUnique({ where: { id: roomId }, select: roomSelect })
  if (!room || !room.isPublic) throw new ChatError('NOT_FOUND', 'That room does not exist or is not public.')
  if (await isMember(userId, roomId)) return toSummary(room)
  let joinedPos: number
  try {
    const rows = await trackWrite(db().$queryRaw<{ joinedPos: bigint }[]>`
      WITH cursor AS (UPDATE "StreamCursor" SET pos = pos + 1 WHERE id = 1 RETURNING pos)
      INSERT INTO "Membership" ("roomId", "userId", "joinedPos")
      SELECT ${roomId}, ${userId}, cursor.pos FROM cursor
      RETURNING "joinedPos"`)
    joinedPos = Number(rows[0]!.joinedPos)
  } catch (error) {
    // A concurrent join of the same user won the race: the statement rolled back whole.
    if (await isMember(userId, roomId)) return toSummary(room)
    throw error
  }
  await publishPositioned({ pos: joinedPos, type: 'room.joined', userId, room: toSummary(room) })
  return toSummary(room)
}

export async function leaveRoom(userId: string, roomId: string): Promise<void> {
  const { count } = await db().membership.deleteMany({ where: { userId, roomId } })
  if (count === 0) return
  await publishLive({ type: 'room.left', userId, roomId })
}

export async function isMember(userId: string, roomId: string): Promise<boolean> {
  const membership = await db().membership.findUnique({ where: { roomId_userId: { roomId, userId } }, select: { userId: true } })
  return membership !== null
}

/** Throws unless the user may read and write the room. */
export async function requireMembership(userId: string, roomId: string): Promise<void> {
  if (await isMember(userId, roomId)) return
  const exists = await db().room.findUnique({ where: { id: roomId }, select: { id: true } })
  if (!exists) throw new ChatError('NOT_FOUND', 'That room does not exist.')
  throw new ChatError('FORBIDDEN', 'Join this room to read and send its messages.')
}


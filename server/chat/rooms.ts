import { randomUUID } from 'node:crypto'
import { db } from '../db/client.ts'
import { trackWrite } from '../lifecycle.ts'
import { ChatError } from './errors.ts'
import { UNREAD_COUNT_CAP } from './limits.ts'
import { publishLive, publishPositioned } from './publish.ts'
import type { Author, MemberRoom, RoomSummary } from './types.ts'

type RoomRow = { id: string; name: string; isPublic: boolean; lastSeq: number }

const toSummary = (room: RoomRow): RoomSummary => ({
  id: room.id,
  name: room.name,
  isPublic: room.isPublic,
  lastSeq: room.lastSeq,
})

const roomSelect = { id: true, name: true, isPublic: true, lastSeq: true } as const

type MemberRoomRow = RoomRow & { lastReadSeq: number; unread: number; mentions: number }

/**
 * Rooms the user belongs to, oldest membership first, each with the read marker and the number of
 * messages from others after it (deleted ones do not count; capped at UNREAD_COUNT_CAP), and how
 * many of those name them.
 */
export async function listRooms(userId: string): Promise<MemberRoom[]> {
  const rows = await db().$queryRaw<MemberRoomRow[]>`
    SELECT r.id, r.name, r."isPublic", r."lastSeq", ms."lastReadSeq",
      (SELECT count(*)::int FROM (
         SELECT 1 FROM "Message" m
         WHERE m."roomId" = r.id AND m.seq > ms."lastReadSeq" AND m."authorId" <> ${userId} AND m."deletedAt" IS NULL
         LIMIT ${UNREAD_COUNT_CAP}) unread) AS unread,
      (SELECT count(*)::int FROM "MessageMention" mm JOIN "Message" m ON m.id = mm."messageId"
       WHERE mm."userId" = ${userId} AND m."roomId" = r.id AND m.seq > ms."lastReadSeq" AND m."deletedAt" IS NULL) AS mentions
    FROM "Membership" ms JOIN "Room" r ON r.id = ms."roomId"
    WHERE ms."userId" = ${userId}
    ORDER BY ms."joinedPos"`
  return rows.map((row) => ({ ...toSummary(row), lastReadSeq: row.lastReadSeq, unread: row.unread, mentions: row.mentions }))
}

/**
 * Moves the user's read marker forward to `seq` (never back, never past the room's last message)
 * and tells their other tabs. Returns the marker.
 */
export async function markRead(userId: string, roomId: string, seq: number): Promise<number> {
  await requireMembership(userId, roomId)
  const rows = await db().$queryRaw<{ lastReadSeq: number }[]>`
    UPDATE "Membership" ms
    SET "lastReadSeq" = GREATEST(ms."lastReadSeq", LEAST(${seq}, r."lastSeq"))
    FROM "Room" r
    WHERE r.id = ms."roomId" AND ms."roomId" = ${roomId} AND ms."userId" = ${userId}
    RETURNING ms."lastReadSeq"`
  const lastReadSeq = rows[0]?.lastReadSeq ?? 0
  await publishLive({ type: 'room.read', userId, roomId, lastReadSeq })
  return lastReadSeq
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
      INSERT INTO "Membership" ("roomId", "userId", "joinedPos", "lastReadSeq")
      SELECT ${roomId}, ${userId}, cursor.pos, r."lastSeq" FROM cursor, "Room" r WHERE r.id = ${roomId}
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


/** The members of a room the user is in, by name (for @mentions and the member list). */
export async function roomMembers(userId: string, roomId: string): Promise<Author[]> {
  await requireMembership(userId, roomId)
  const members = await db().membership.findMany({ where: { roomId }, select: { user: { select: { id: true, name: true } } } })
  return members.map(({ user }) => user).sort((a, b) => a.name.localeCompare(b.name))
}

import { randomUUID } from 'node:crypto'
import { db } from '../db/client.ts'
import { trackWrite } from '../lifecycle.ts'
import { ChatError } from './errors.ts'
import { UNREAD_COUNT_CAP, UNREAD_SCAN_WINDOW } from './limits.ts'
import { publishLive, publishPositioned } from '../realtime/publish.ts'
import { requireMembership } from './membership.ts'
import { roomSelect, toSummary, type RoomRow } from './room-rows.ts'
import type { MemberRoom, RoomSummary } from './types.ts'

type MemberRoomRow = RoomRow & { lastReadSeq: number; unread: number; mentions: number; directWithId: string | null; directWithName: string | null }

/**
 * Rooms the user belongs to, oldest membership first, each with the read marker and the number of
 * messages from others after it (deleted ones do not count; capped at UNREAD_COUNT_CAP), and how
 * many of those name them. Both look at the room's newest UNREAD_SCAN_WINDOW messages at most.
 * A direct conversation the user left is not listed until someone writes in it again.
 */
export async function listRooms(userId: string): Promise<MemberRoom[]> {
  const rows = await db().$queryRaw<MemberRoomRow[]>`
    SELECT r.id, r.name, r."isPublic", r."lastSeq", ms."lastReadSeq",
      (SELECT count(*)::int FROM (
         SELECT 1 FROM "Message" m
         WHERE m."roomId" = r.id AND m.seq > GREATEST(ms."lastReadSeq", r."lastSeq" - ${UNREAD_SCAN_WINDOW})
           AND m."authorId" <> ${userId} AND m."deletedAt" IS NULL
         LIMIT ${UNREAD_COUNT_CAP}) unread) AS unread,
      (SELECT count(*)::int FROM "MessageMention" mm JOIN "Message" m ON m.id = mm."messageId"
       WHERE mm."userId" = ${userId} AND m."roomId" = r.id AND m."deletedAt" IS NULL
         AND m.seq > GREATEST(ms."lastReadSeq", r."lastSeq" - ${UNREAD_SCAN_WINDOW})) AS mentions,
      other.id AS "directWithId", other.name AS "directWithName"
    FROM "Membership" ms JOIN "Room" r ON r.id = ms."roomId"
    LEFT JOIN "User" other ON r."directKey" IS NOT NULL AND other.id <> ${userId}
      AND other.id IN (SELECT m2."userId" FROM "Membership" m2 WHERE m2."roomId" = r.id)
    WHERE ms."userId" = ${userId} AND (ms."hiddenThroughSeq" IS NULL OR r."lastSeq" > ms."hiddenThroughSeq")
    ORDER BY ms."joinedPos"`
  return rows.map((row) => ({
    ...toSummary(row),
    lastReadSeq: row.lastReadSeq,
    unread: row.unread,
    mentions: row.mentions,
    directWith: row.directWithId ? { id: row.directWithId, name: row.directWithName ?? '' } : null,
  }))
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

/**
 * Creates a room (public, or private: visible and joinable only by invitation) with its creator as
 * the first member. Public names are unique whatever their case, so nobody joins the wrong #general.
 */
export async function createRoom(userId: string, name: string, isPublic = true): Promise<RoomSummary> {
  const roomId = randomUUID()
  let rows: { joinedPos: bigint }[]
  try {
    // One statement: the room, and the creator's membership at the next stream position.
    rows = await trackWrite(db().$queryRaw<{ joinedPos: bigint }[]>`
      WITH cursor AS (UPDATE "StreamCursor" SET pos = pos + 1 WHERE id = 1 RETURNING pos),
      room AS (
        INSERT INTO "Room" (id, name, "isPublic", "createdById") VALUES (${roomId}, ${name}, ${isPublic}, ${userId}) RETURNING id
      )
      INSERT INTO "Membership" ("roomId", "userId", "joinedPos")
      SELECT room.id, ${userId}, cursor.pos FROM room, cursor
      RETURNING "joinedPos"`)
  } catch (error) {
    if (isPublic && (await publicNameTaken(name))) throw new ChatError('CONFLICT', `A public room called “${name}” exists already: join it from Browse, or pick another name.`)
    throw error
  }
  const joinedPos = Number(rows[0]!.joinedPos)
  const room: RoomSummary = { id: roomId, name, isPublic, lastSeq: 0 }
  await publishPositioned({ pos: joinedPos, type: 'room.joined', userId, room })
  return room
}

async function publicNameTaken(name: string): Promise<boolean> {
  const rows = await db().$queryRaw<{ taken: boolean }[]>`SELECT EXISTS (SELECT 1 FROM "Room" WHERE "isPublic" AND lower(name) = lower(${name})) AS taken`
  return rows[0]?.taken ?? false
}

import { randomUUID } from 'node:crypto'
import { db } from '../db/client.ts'
import { trackWrite } from '../lifecycle.ts'
import { ChatError } from './errors.ts'
import { UNREAD_COUNT_CAP, UNREAD_SCAN_WINDOW } from './limits.ts'
import { publishLive, publishPositioned } from '../realtime/publish.ts'
import type { Author, MemberRoom, RoomSummary } from './types.ts'

type RoomRow = { id: string; name: string; isPublic: boolean; lastSeq: number }

const toSummary = (room: RoomRow): RoomSummary => ({
  id: room.id,
  name: room.name,
  isPublic: room.isPublic,
  lastSeq: room.lastSeq,
})

const roomSelect = { id: true, name: true, isPublic: true, lastSeq: true } as const

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

/** Joins a public room; joining a room you are in already changes nothing. */
export async function joinRoom(userId: string, roomId: string): Promise<RoomSummary> {
  const room = await db().room.findUnique({ where: { id: roomId }, select: roomSelect })
  // A private room answers exactly like a missing one: its existence is not told to outsiders.
  if (!room || !room.isPublic) throw new ChatError('NOT_FOUND', 'That room does not exist or is not public.')
  await addMember(userId, room)
  return toSummary(room)
}

/** A member brings someone into a private room (or a public one). DMs stay between their two people. */
export async function inviteToRoom(inviterId: string, roomId: string, inviteeId: string): Promise<void> {
  await requireMembership(inviterId, roomId)
  const room = await db().room.findUniqueOrThrow({ where: { id: roomId }, select: { ...roomSelect, directKey: true } })
  if (room.directKey) throw new ChatError('FORBIDDEN', 'A direct conversation stays between its two people.')
  if (!(await sharesARoom(inviterId, inviteeId))) throw new ChatError('NOT_FOUND', 'You can invite people you share a room with.')
  await addMember(inviteeId, room)
}

/** Adds a member at the next stream position and tells their tabs; a member already changes nothing. */
async function addMember(userId: string, room: RoomRow): Promise<void> {
  if (await isMember(userId, room.id)) return
  let joinedPos: number
  try {
    const rows = await trackWrite(db().$queryRaw<{ joinedPos: bigint }[]>`
      WITH cursor AS (UPDATE "StreamCursor" SET pos = pos + 1 WHERE id = 1 RETURNING pos)
      INSERT INTO "Membership" ("roomId", "userId", "joinedPos", "lastReadSeq")
      SELECT ${room.id}, ${userId}, cursor.pos, r."lastSeq" FROM cursor, "Room" r WHERE r.id = ${room.id}
      RETURNING "joinedPos"`)
    joinedPos = Number(rows[0]!.joinedPos)
  } catch (error) {
    // A concurrent join of the same user won the race: the statement rolled back whole.
    if (await isMember(userId, room.id)) return
    throw error
  }
  await publishPositioned({ pos: joinedPos, type: 'room.joined', userId, room: toSummary(room) })
}

/**
 * The direct conversation between the user and another person, created on first use. Only with
 * someone they share a room with: nobody can be messaged out of the blue.
 */
export async function openDirect(userId: string, otherId: string): Promise<RoomSummary> {
  if (otherId === userId) throw new ChatError('FORBIDDEN', 'A direct conversation needs someone else.')
  if (!(await sharesARoom(userId, otherId))) throw new ChatError('NOT_FOUND', 'You can message people you share a room with.')
  const directKey = [userId, otherId].sort().join(':')
  let room = await db().room.findUnique({ where: { directKey }, select: roomSelect })
  if (!room) {
    try {
      room = await trackWrite(db().room.create({ data: { name: '', isPublic: false, directKey, createdById: userId }, select: roomSelect }))
    } catch (error) {
      // The other person opened it at the same moment: theirs is the one.
      room = await db().room.findUnique({ where: { directKey }, select: roomSelect })
      if (!room) throw error
    }
  }
  // Opening it shows it again to the opener if they had left it; the other person sees it with the next message.
  await db().membership.updateMany({ where: { roomId: room.id, userId, hiddenThroughSeq: { not: null } }, data: { hiddenThroughSeq: null } })
  await addMember(userId, room)
  await addMember(otherId, room)
  return toSummary(room)
}

/** People the user shares at least one room with (whom they may invite or message), by name. */
export async function knownPeople(userId: string, limit = 200): Promise<Author[]> {
  return db().$queryRaw<Author[]>`
    SELECT DISTINCT u.id, u.name FROM "User" u
    JOIN "Membership" theirs ON theirs."userId" = u.id
    JOIN "Membership" mine ON mine."roomId" = theirs."roomId" AND mine."userId" = ${userId}
    WHERE u.id <> ${userId}
    ORDER BY u.name LIMIT ${limit}`
}

async function sharesARoom(userId: string, otherId: string): Promise<boolean> {
  const rows = await db().$queryRaw<{ shared: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM "Membership" a JOIN "Membership" b ON b."roomId" = a."roomId"
      WHERE a."userId" = ${userId} AND b."userId" = ${otherId}) AS shared`
  return rows[0]?.shared ?? false
}

/**
 * Leaves a room. A direct conversation is only hidden from the leaver: the other person can still
 * write, and their next message shows it to the leaver again (it is the leaver's too, after all).
 */
export async function leaveRoom(userId: string, roomId: string): Promise<void> {
  const room = await db().room.findUnique({ where: { id: roomId }, select: { directKey: true } })
  if (!room) return
  const count = room.directKey
    ? await db().$executeRaw`
        UPDATE "Membership" ms SET "hiddenThroughSeq" = r."lastSeq" FROM "Room" r
        WHERE r.id = ms."roomId" AND ms."roomId" = ${roomId} AND ms."userId" = ${userId}`
    : (await db().membership.deleteMany({ where: { userId, roomId } })).count
  if (count === 0) return
  await publishLive({ type: room.directKey ? 'room.hidden' : 'room.left', userId, roomId })
}

export async function isMember(userId: string, roomId: string): Promise<boolean> {
  const membership = await db().membership.findUnique({ where: { roomId_userId: { roomId, userId } }, select: { userId: true } })
  return membership !== null
}

/** Throws unless the user may read and write the room. */
export async function requireMembership(userId: string, roomId: string): Promise<void> {
  if (await isMember(userId, roomId)) return
  const exists = await db().room.findUnique({ where: { id: roomId }, select: { isPublic: true } })
  if (!exists) throw new ChatError('NOT_FOUND', 'That room does not exist.')
  // Nothing to join: only a member's invitation opens a private room (or a conversation).
  if (!exists.isPublic) throw new ChatError('NOT_FOUND', 'This room is private. A member can invite you.')
  throw new ChatError('FORBIDDEN', 'Join this room to read and send its messages.')
}

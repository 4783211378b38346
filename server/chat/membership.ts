import { db } from '../db/client.ts'
import { trackWrite } from '../lifecycle.ts'
import { publishLive, publishPositioned } from '../realtime/publish.ts'
import { ChatError } from './errors.ts'
import { roomSelect, toSummary, type RoomRow } from './room-rows.ts'
import type { Author, RoomSummary } from './types.ts'

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
export async function addMember(userId: string, room: RoomRow): Promise<void> {
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

/** People the user shares at least one room with (whom they may invite or message), by name. */
export async function knownPeople(userId: string, limit = 200): Promise<Author[]> {
  return db().$queryRaw<Author[]>`
    SELECT DISTINCT u.id, u.name FROM "User" u
    JOIN "Membership" theirs ON theirs."userId" = u.id
    JOIN "Membership" mine ON mine."roomId" = theirs."roomId" AND mine."userId" = ${userId}
    WHERE u.id <> ${userId}
    ORDER BY u.name LIMIT ${limit}`
}

export async function sharesARoom(userId: string, otherId: string): Promise<boolean> {
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
  if (room.directKey) {
    const count = await db().$executeRaw`
      UPDATE "Membership" ms SET "hiddenThroughSeq" = r."lastSeq" FROM "Room" r
      WHERE r.id = ms."roomId" AND ms."roomId" = ${roomId} AND ms."userId" = ${userId}`
    if (count > 0) await publishLive({ type: 'room.hidden', userId, roomId })
    return
  }
  // The leave takes the next stream position in the statement that ends the membership (none when
  // there was none), so every instance stops routing the room to this user in stream order.
  const rows = await trackWrite(db().$queryRaw<{ pos: bigint }[]>`
    WITH gone AS (DELETE FROM "Membership" WHERE "roomId" = ${roomId} AND "userId" = ${userId} RETURNING "roomId", "userId"),
    cursor AS (UPDATE "StreamCursor" SET pos = pos + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM gone) RETURNING pos)
    INSERT INTO "RoomLeave" (pos, "roomId", "userId") SELECT cursor.pos, gone."roomId", gone."userId" FROM cursor, gone
    RETURNING pos`)
  if (rows[0]) await publishPositioned({ pos: Number(rows[0].pos), type: 'room.left', userId, roomId })
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

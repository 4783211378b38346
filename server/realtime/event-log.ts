import { db } from '../db/client.ts'
import { MESSAGE_COLUMNS, messageOfRow, type MessageColumnsRow } from '../chat/message-rows.ts'
import type { PositionedEvent } from '../chat/types.ts'

type JoinEventRow = { pos: bigint; userId: string; roomId: string; name: string; isPublic: boolean; lastSeq: number }

const messageEvent = (row: MessageColumnsRow): PositionedEvent => ({ pos: Number(row.pos), type: 'message', message: messageOfRow(row) })

// A change replays the message as it is now: a later state is never older than the change.
const changeEvent = (row: MessageColumnsRow): PositionedEvent => ({ pos: Number(row.pos), type: 'message.updated', message: messageOfRow(row) })

const joinEvent = (row: JoinEventRow): PositionedEvent => ({
  pos: Number(row.pos),
  type: 'room.joined',
  userId: row.userId,
  room: { id: row.roomId, name: row.name, isPublic: row.isPublic, lastSeq: row.lastSeq },
})

type LeaveEventRow = { pos: bigint; userId: string; roomId: string }

const leaveEvent = (row: LeaveEventRow): PositionedEvent => ({ pos: Number(row.pos), type: 'room.left', userId: row.userId, roomId: row.roomId })

const byPos = (a: PositionedEvent, b: PositionedEvent) => a.pos - b.pos

/** The last stream position handed out (committed). */
export async function headPosition(): Promise<number> {
  const rows = await db().$queryRaw<{ pos: bigint }[]>`SELECT pos FROM "StreamCursor" WHERE id = 1`
  return Number(rows[0]?.pos ?? 0)
}

/** Every positioned event with after < pos <= upTo, all rooms (fills holes in the live stream). */
export async function eventsInRange(after: number, upTo: number): Promise<PositionedEvent[]> {
  const [messages, changes, joins, leaves] = await Promise.all([
    db().$queryRaw<MessageColumnsRow[]>`
      SELECT m.pos, ${MESSAGE_COLUMNS}
      FROM "Message" m JOIN "User" u ON u.id = m."authorId"
      WHERE m.pos > ${after} AND m.pos <= ${upTo}`,
    db().$queryRaw<MessageColumnsRow[]>`
      SELECT c.pos, ${MESSAGE_COLUMNS}
      FROM "MessageChange" c JOIN "Message" m ON m.id = c."messageId" JOIN "User" u ON u.id = m."authorId"
      WHERE c.pos > ${after} AND c.pos <= ${upTo}`,
    db().$queryRaw<JoinEventRow[]>`
      SELECT ms."joinedPos" AS pos, ms."userId", r.id AS "roomId", r.name, r."isPublic", r."lastSeq"
      FROM "Membership" ms JOIN "Room" r ON r.id = ms."roomId"
      WHERE ms."joinedPos" > ${after} AND ms."joinedPos" <= ${upTo}`,
    db().$queryRaw<LeaveEventRow[]>`
      SELECT pos, "userId", "roomId" FROM "RoomLeave" WHERE pos > ${after} AND pos <= ${upTo}`,
  ])
  return [...messages.map(messageEvent), ...changes.map(changeEvent), ...joins.map(joinEvent), ...leaves.map(leaveEvent)].sort(byPos)
}

export type BacklogPage = { events: PositionedEvent[]; throughPos: number }

/** Events of each kind one backlog page reads: small enough that a page's statements never keep anyone else waiting long. */
export const BACKLOG_PAGE_EVENTS = 100

/**
 * What a member missed in (after, upTo], in pos order: messages of their rooms and changes to
 * them (from when they joined) and their own joins and leaves. `upTo` must be a position known committed, so
 * every query sees everything up to it whatever its snapshot. Pages by position: `throughPos` is
 * where this page ends and the next begins; the backlog is complete when it reaches `upTo`.
 */
export async function backlogFor(userId: string, after: number, upTo: number, pageSize = BACKLOG_PAGE_EVENTS): Promise<BacklogPage> {
  // One statement after another: a reader has one statement ahead of everyone else's at a time
  // (the embedded database runs them one by one on the event loop anyway).
  const messages = await db().$queryRaw<MessageColumnsRow[]>`
    SELECT m.pos, ${MESSAGE_COLUMNS}
    FROM "Message" m
    JOIN "Membership" ms ON ms."roomId" = m."roomId" AND ms."userId" = ${userId}
    JOIN "User" u ON u.id = m."authorId"
    WHERE m.pos > ${after} AND m.pos <= ${upTo} AND m.pos > ms."joinedPos"
    ORDER BY m.pos LIMIT ${pageSize}`
  const changes = await db().$queryRaw<MessageColumnsRow[]>`
    SELECT c.pos, ${MESSAGE_COLUMNS}
    FROM "MessageChange" c
    JOIN "Membership" ms ON ms."roomId" = c."roomId" AND ms."userId" = ${userId}
    JOIN "Message" m ON m.id = c."messageId"
    JOIN "User" u ON u.id = m."authorId"
    WHERE c.pos > ${after} AND c.pos <= ${upTo} AND c.pos > ms."joinedPos"
    ORDER BY c.pos LIMIT ${pageSize}`
  const joins = await db().$queryRaw<JoinEventRow[]>`
    SELECT ms."joinedPos" AS pos, ms."userId", r.id AS "roomId", r.name, r."isPublic", r."lastSeq"
    FROM "Membership" ms JOIN "Room" r ON r.id = ms."roomId"
    WHERE ms."userId" = ${userId} AND ms."joinedPos" > ${after} AND ms."joinedPos" <= ${upTo}
    ORDER BY ms."joinedPos" LIMIT ${pageSize}`
  const leaves = await db().$queryRaw<LeaveEventRow[]>`
    SELECT pos, "userId", "roomId" FROM "RoomLeave"
    WHERE "userId" = ${userId} AND pos > ${after} AND pos <= ${upTo}
    ORDER BY pos LIMIT ${pageSize}`
  // A full page of any kind may have more behind it: this page is complete only up to its end.
  let throughPos = upTo
  for (const rows of [messages, changes, joins, leaves]) if (rows.length === pageSize) throughPos = Math.min(throughPos, Number(rows.at(-1)!.pos))
  const events = [...messages.map(messageEvent), ...changes.map(changeEvent), ...joins.map(joinEvent), ...leaves.map(leaveEvent)].sort(byPos).filter((event) => event.pos <= throughPos)
  return { events, throughPos }
}

import { db } from '../db/client.ts'
import { toChatMessage, type MessageRow } from './messages.ts'
import type { PositionedEvent } from './types.ts'

type MessageEventRow = Omit<MessageRow, 'author'> & { pos: bigint; authorId: string; authorName: string }

type JoinEventRow = { pos: bigint; userId: string; roomId: string; name: string; isPublic: boolean; lastSeq: number }

const messageEvent = ({ pos, authorId, authorName, ...row }: MessageEventRow): PositionedEvent => ({
  pos: Number(pos),
  type: 'message',
  message: toChatMessage({ ...row, author: { id: authorId, name: authorName } }),
})

const joinEvent = (row: JoinEventRow): PositionedEvent => ({
  pos: Number(row.pos),
  type: 'room.joined',
  userId: row.userId,
  room: { id: row.roomId, name: row.name, isPublic: row.isPublic, lastSeq: row.lastSeq },
})

const byPos = (a: PositionedEvent, b: PositionedEvent) => a.pos - b.pos

/** The last stream position handed out (committed). */
export async function headPosition(): Promise<number> {
  const rows = await db().$queryRaw<{ pos: bigint }[]>`SELECT pos FROM "StreamCursor" WHERE id = 1`
  return Number(rows[0]?.pos ?? 0)
}

/** Every positioned event with after < pos <= upTo, all rooms (fills holes in the live stream). */
export async function eventsInRange(after: number, upTo: number): Promise<PositionedEvent[]> {
  const [messages, joins] = await Promise.all([
    db().$queryRaw<MessageEventRow[]>`
      SELECT m.pos, m.id, m."roomId", m.seq, m.text, m."clientId"::text AS "clientId", m."createdAt",
             u.id AS "authorId", u.name AS "authorName"
      FROM "Message" m JOIN "User" u ON u.id = m."authorId"
      WHERE m.pos > ${after} AND m.pos <= ${upTo}`,
    db().$queryRaw<JoinEventRow[]>`
      SELECT ms."joinedPos" AS pos, ms."userId", r.id AS "roomId", r.name, r."isPublic", r."lastSeq"
      FROM "Membership" ms JOIN "Room" r ON r.id = ms."roomId"
      WHERE ms."joinedPos" > ${after} AND ms."joinedPos" <= ${upTo}`,
  ])
  return [...messages.map(messageEvent), ...joins.map(joinEvent)].sort(byPos)
}

export type BacklogPage = { events: PositionedEvent[]; throughPos: number }

/**
 * What a member missed in (after, upTo], in pos order: messages of their rooms (from when they
 * joined) and their own joins. `upTo` must be a position known committed, so both queries see
 * everything up to it whatever their snapshots. Pages by position: `throughPos` is where this page
 * ends and the next begins; the backlog is complete when it reaches `upTo`.
 */
export async function backlogFor(userId: string, after: number, upTo: number, pageSize = 500): Promise<BacklogPage> {
  const [messages, joins] = await Promise.all([
    db().$queryRaw<MessageEventRow[]>`
      SELECT m.pos, m.id, m."roomId", m.seq, m.text, m."clientId"::text AS "clientId", m."createdAt",
             u.id AS "authorId", u.name AS "authorName"
      FROM "Message" m
      JOIN "Membership" ms ON ms."roomId" = m."roomId" AND ms."userId" = ${userId}
      JOIN "User" u ON u.id = m."authorId"
      WHERE m.pos > ${after} AND m.pos <= ${upTo} AND m.pos > ms."joinedPos"
      ORDER BY m.pos LIMIT ${pageSize}`,
    db().$queryRaw<JoinEventRow[]>`
      SELECT ms."joinedPos" AS pos, ms."userId", r.id AS "roomId", r.name, r."isPublic", r."lastSeq"
      FROM "Membership" ms JOIN "Room" r ON r.id = ms."roomId"
      WHERE ms."userId" = ${userId} AND ms."joinedPos" > ${after} AND ms."joinedPos" <= ${upTo}
      ORDER BY ms."joinedPos" LIMIT ${pageSize}`,
  ])
  // A full page of either kind may have more behind it: this page is complete only up to its end.
  let throughPos = upTo
  if (messages.length === pageSize) throughPos = Math.min(throughPos, Number(messages.at(-1)!.pos))
  if (joins.length === pageSize) throughPos = Math.min(throughPos, Number(joins.at(-1)!.pos))
  const events = [...messages.map(messageEvent), ...joins.map(joinEvent)].sort(byPos).filter((event) => event.pos <= throughPos)
  return { events, throughPos }
}

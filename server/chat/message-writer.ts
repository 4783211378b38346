import { randomUUID } from 'node:crypto'
import { db } from '../db/client.ts'

export type MessageToStore = { authorId: string; roomId: string; text: string; clientId: string; mentioned: string[] }

/** What was stored for one message; undefined when it was not (a retry of a stored send, or the author is not a member). */
export type StoredRow = { id: string; seq: number; pos: bigint; createdAt: Date } | undefined

/** The most messages one statement stores. */
const MAX_BATCH = 256

type Waiting = { message: MessageToStore; resolve: (row: StoredRow) => void; reject: (error: unknown) => void }

/**
 * Group commit: messages sent while a write is in flight are stored together by the next one, in
 * one statement and one transaction. Every send pays at most one commit's wait, and under load a
 * commit (and the stream cursor's row lock) is shared by many sends instead of taken per send.
 * Idle, a send is written at once, alone.
 */
export class MessageWriter {
  private waiting: Waiting[] = []
  private writing = false

  store(message: MessageToStore): Promise<StoredRow> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ message, resolve, reject })
      if (!this.writing) void this.writeAll()
    })
  }

  private async writeAll(): Promise<void> {
    this.writing = true
    // Let the sends that arrived in this event-loop turn join: the embedded database runs a whole
    // statement within one turn's microtasks, so without this each would be written alone.
    await new Promise((resolve) => setImmediate(resolve))
    while (this.waiting.length > 0) {
      const taken = this.waiting.splice(0, MAX_BATCH)
      // A twin of a send in the same batch (a retry racing itself) is turned away without failing
      // the batch, once the batch has settled, so that it finds what its sibling stored.
      const { batch, twins } = withoutTwins(taken)
      try {
        const rows = await insertMessages(batch.map((waiting) => waiting.message))
        batch.forEach((waiting, i) => waiting.resolve(rows[i]))
      } catch (error) {
        if (!isUniqueViolation(error)) {
          for (const waiting of batch) waiting.reject(error)
          continue
        }
        // A twin (same author and clientId) committed meanwhile by another process: one at a
        // time, so only the twin is turned away.
        for (const waiting of batch) {
          await insertMessages([waiting.message]).then(
            (rows) => waiting.resolve(rows[0]),
            (single: unknown) => (isUniqueViolation(single) ? waiting.resolve(undefined) : waiting.reject(single)),
          )
        }
      } finally {
        for (const twin of twins) twin.resolve(undefined)
      }
    }
    this.writing = false
  }
}

/** Splits off the sends whose (author, clientId) is already in the batch. */
function withoutTwins(taken: Waiting[]): { batch: Waiting[]; twins: Waiting[] } {
  const seen = new Set<string>()
  const batch: Waiting[] = []
  const twins: Waiting[] = []
  for (const waiting of taken) {
    const key = `${waiting.message.authorId} ${waiting.message.clientId}`
    if (seen.has(key)) twins.push(waiting)
    else {
      seen.add(key)
      batch.push(waiting)
    }
  }
  return { batch, twins }
}

type InsertedRow = { ord: number; id: string; seq: number; pos: bigint; createdAt: Date }

/**
 * One statement stores a batch. It keeps the rows whose author is a member of the room and whose
 * clientId is new, takes that many global stream positions (row lock on StreamCursor, held to
 * commit), then each room's next seqs, then inserts. Every writer locks in that order, so
 * positions and seqs are handed out in commit order with no holes: a later position is never
 * visible before an earlier one, which is what makes `pos` a safe resume cursor.
 */
async function insertMessages(messages: MessageToStore[]): Promise<StoredRow[]> {
  const ids = messages.map(() => randomUUID())
  const mentionOrds = messages.flatMap((message, i) => message.mentioned.map(() => i + 1))
  const mentionUserIds = messages.flatMap((message) => message.mentioned)
  const rows = await db().$queryRaw<InsertedRow[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${ids}::text[], ${messages.map((m) => m.roomId)}::text[], ${messages.map((m) => m.authorId)}::text[],
        ${messages.map((m) => m.clientId)}::uuid[], ${messages.map((m) => m.text)}::text[]
      ) WITH ORDINALITY AS i(id, room_id, author_id, client_id, text, ord)
    ),
    accepted AS (
      SELECT i.* FROM input i
      WHERE EXISTS (SELECT 1 FROM "Membership" m WHERE m."roomId" = i.room_id AND m."userId" = i.author_id)
        AND NOT EXISTS (SELECT 1 FROM "Message" x WHERE x."authorId" = i.author_id AND x."clientId" = i.client_id)
    ),
    total AS (SELECT count(*)::int AS n FROM accepted),
    cursor AS (
      UPDATE "StreamCursor" c SET pos = c.pos + total.n FROM total WHERE c.id = 1 RETURNING c.pos - total.n AS base_pos
    ),
    per_room AS (SELECT room_id, count(*)::int AS n FROM accepted GROUP BY room_id),
    rooms AS (
      UPDATE "Room" r SET "lastSeq" = r."lastSeq" + p.n FROM per_room p, cursor
      WHERE r.id = p.room_id
      RETURNING r.id AS room_id, r."lastSeq" - p.n AS base_seq, cursor.base_pos
    ),
    numbered AS (
      SELECT a.id, a.room_id, a.author_id, a.client_id, a.text, a.ord,
        rooms.base_seq + row_number() OVER (PARTITION BY a.room_id ORDER BY a.ord) AS seq,
        rooms.base_pos + row_number() OVER (ORDER BY a.ord) AS pos
      FROM accepted a JOIN rooms ON rooms.room_id = a.room_id
    ),
    inserted AS (
      INSERT INTO "Message" (id, "roomId", seq, pos, "authorId", "clientId", text)
      SELECT id, room_id, seq, pos, author_id, client_id, text FROM numbered
      RETURNING id, "createdAt"
    ),
    mentioned AS (
      INSERT INTO "MessageMention" ("messageId", "userId")
      SELECT inserted.id, mention.user_id
      FROM inserted JOIN numbered n ON n.id = inserted.id
      JOIN unnest(${mentionOrds}::int[], ${mentionUserIds}::text[]) AS mention(ord, user_id) ON mention.ord = n.ord
    )
    SELECT n.ord::int AS ord, n.id, n.seq::int AS seq, n.pos, inserted."createdAt"
    FROM numbered n JOIN inserted ON inserted.id = n.id`
  const stored: StoredRow[] = messages.map(() => undefined)
  for (const row of rows) stored[row.ord - 1] = { id: row.id, seq: row.seq, pos: row.pos, createdAt: row.createdAt }
  return stored
}

export function isUniqueViolation(error: unknown): boolean {
  const text = String((error as { message?: unknown })?.message ?? '') + JSON.stringify((error as { meta?: unknown })?.meta ?? '')
  return text.includes('23505') || /unique constraint/i.test(text)
}

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
 * One statement stores a batch: `store_messages` (its SQL is in the migration
 * prisma/migrations/20261206000000_store_messages_function, a PL/pgSQL function so that its plan
 * is kept for the session instead of made on every send). It keeps the rows whose author is a
 * member of the room and whose clientId is new, takes that many global stream positions (row lock
 * on StreamCursor, held to commit), then each room's next seqs, then inserts. Every writer locks
 * in that order, so positions and seqs are handed out in commit order with no holes: a later
 * position is never visible before an earlier one, which is what makes `pos` a safe resume cursor.
 */
async function insertMessages(messages: MessageToStore[]): Promise<StoredRow[]> {
  const ids = messages.map(() => randomUUID())
  const mentionOrds = messages.flatMap((message, i) => message.mentioned.map(() => i + 1))
  const mentionUserIds = messages.flatMap((message) => message.mentioned)
  const rows = await db().$queryRaw<InsertedRow[]>`
    SELECT ord, id, seq, pos, "createdAt" FROM store_messages(
      ${ids}::text[], ${messages.map((m) => m.roomId)}::text[], ${messages.map((m) => m.authorId)}::text[],
      ${messages.map((m) => m.clientId)}::uuid[], ${messages.map((m) => m.text)}::text[],
      ${mentionOrds}::int[], ${mentionUserIds}::text[]
    )`
  const stored: StoredRow[] = messages.map(() => undefined)
  for (const row of rows) stored[row.ord - 1] = { id: row.id, seq: row.seq, pos: row.pos, createdAt: row.createdAt }
  return stored
}

export function isUniqueViolation(error: unknown): boolean {
  const text = String((error as { message?: unknown })?.message ?? '') + JSON.stringify((error as { meta?: unknown })?.meta ?? '')
  return text.includes('23505') || /unique constraint/i.test(text)
}

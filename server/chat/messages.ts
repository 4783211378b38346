import { randomUUID } from 'node:crypto'
import { db } from '../db/client.ts'
import { trackWrite } from '../lifecycle.ts'
import { HISTORY_PAGE_DEFAULT } from './limits.ts'
import { mentionedMembers } from './mentions.ts'
import { publishPositioned } from './publish.ts'
import { requireMembership } from './rooms.ts'
import type { Author, ChatMessage, ReactionSummary } from './types.ts'

export type MessageRow = {
  id: string
  roomId: string
  seq: number
  text: string
  clientId: string
  createdAt: Date
  editedAt: Date | null
  deletedAt: Date | null
  revision: number
  author: Author
  /** In the order they were added. */
  reactions: { emoji: string; userId: string }[]
  mentions: { userId: string }[]
}

export const toChatMessage = (row: MessageRow): ChatMessage => ({
  id: row.id,
  roomId: row.roomId,
  seq: row.seq,
  text: row.text,
  clientId: row.clientId,
  author: { id: row.author.id, name: row.author.name },
  createdAt: row.createdAt.toISOString(),
  editedAt: row.editedAt?.toISOString() ?? null,
  deletedAt: row.deletedAt?.toISOString() ?? null,
  reactions: summariseReactions(row.reactions),
  mentions: row.mentions.map((mention) => mention.userId),
  revision: row.revision,
})

function summariseReactions(reactions: MessageRow['reactions']): ReactionSummary[] {
  const byEmoji = new Map<string, string[]>()
  for (const { emoji, userId } of reactions) byEmoji.set(emoji, [...(byEmoji.get(emoji) ?? []), userId])
  return [...byEmoji].map(([emoji, userIds]) => ({ emoji, userIds }))
}

export const messageSelect = {
  id: true,
  roomId: true,
  seq: true,
  text: true,
  clientId: true,
  createdAt: true,
  editedAt: true,
  deletedAt: true,
  revision: true,
  author: { select: { id: true, name: true } },
  reactions: { select: { emoji: true, userId: true }, orderBy: { createdAt: 'asc' } },
  mentions: { select: { userId: true } },
} as const

export type SendMessageInput = { author: Author; roomId: string; text: string; clientId: string }

/**
 * Stores a message and publishes it. Idempotent per (author, clientId): a retry of a send that
 * already reached the database returns the stored message and stores nothing new.
 */
export async function sendMessage(input: SendMessageInput): Promise<ChatMessage> {
  await requireMembership(input.author.id, input.roomId)
  const mentioned = await mentionedMembers(input.roomId, input.text)
  const stored = await trackWrite(insertMessage(input, mentioned))
  if (!stored) {
    // A retry (or a concurrent twin) of a send already stored: the insert rolled back whole.
    const existing = await findByClientId(input.author.id, input.clientId)
    if (existing) return existing
    throw new Error('Message insert affected no row and no message with that clientId exists')
  }
  const message = toChatMessage({ ...input, id: stored.id, seq: stored.seq, createdAt: stored.createdAt, editedAt: null, deletedAt: null, revision: 0, reactions: [], mentions: mentioned.map((userId) => ({ userId })) })
  await publishPositioned({ pos: Number(stored.pos), type: 'message', message })
  return message
}

type InsertedRow = { id: string; seq: number; pos: bigint; createdAt: Date }

/**
 * One statement takes the next global stream position (row lock on StreamCursor, held to commit),
 * then the room's next seq, then inserts. Every writer locks in that order, so positions and seqs
 * are handed out in commit order with no holes: a later position is never visible before an
 * earlier one, which is what makes `pos` a safe resume cursor.
 */
async function insertMessage({ author, roomId, text, clientId }: SendMessageInput, mentioned: string[]): Promise<InsertedRow | undefined> {
  try {
    const rows = await db().$queryRaw<InsertedRow[]>`
      WITH cursor AS (UPDATE "StreamCursor" SET pos = pos + 1 WHERE id = 1 RETURNING pos),
      room AS (
        UPDATE "Room" r SET "lastSeq" = r."lastSeq" + 1 FROM cursor WHERE r.id = ${roomId}
        RETURNING r."lastSeq" AS seq, cursor.pos AS pos
      ),
      inserted AS (
        INSERT INTO "Message" (id, "roomId", seq, pos, "authorId", "clientId", text)
        SELECT ${randomUUID()}, ${roomId}, room.seq, room.pos, ${author.id}, ${clientId}::uuid, ${text} FROM room
        RETURNING id, seq, pos, "createdAt"
      ),
      mentioned AS (
        INSERT INTO "MessageMention" ("messageId", "userId")
        SELECT inserted.id, mentioned."userId" FROM inserted, unnest(${mentioned}::text[]) AS mentioned("userId")
      )
      SELECT id, seq, pos, "createdAt" FROM inserted`
    return rows[0]
  } catch (error) {
    if (isUniqueViolation(error)) return undefined
    throw error
  }
}

function isUniqueViolation(error: unknown): boolean {
  const text = String((error as { message?: unknown })?.message ?? '') + JSON.stringify((error as { meta?: unknown })?.meta ?? '')
  return text.includes('23505') || /unique constraint/i.test(text)
}

async function findByClientId(authorId: string, clientId: string): Promise<ChatMessage | undefined> {
  const row = await db().message.findUnique({
    where: { authorId_clientId: { authorId, clientId } },
    select: messageSelect,
  })
  return row ? toChatMessage(row) : undefined
}

export type HistoryPage = { messages: ChatMessage[]; hasMore: boolean }

/** A page of a room's messages, ascending by seq, ending just before `beforeSeq` (or at the newest). */
export async function roomHistory(
  userId: string,
  { roomId, beforeSeq, limit = HISTORY_PAGE_DEFAULT }: { roomId: string; beforeSeq?: number | undefined; limit?: number | undefined },
): Promise<HistoryPage> {
  await requireMembership(userId, roomId)
  const rows = await db().message.findMany({
    where: { roomId, ...(beforeSeq === undefined ? {} : { seq: { lt: beforeSeq } }) },
    orderBy: { seq: 'desc' },
    take: limit + 1,
    select: messageSelect,
  })
  const hasMore = rows.length > limit
  return { messages: rows.slice(0, limit).reverse().map(toChatMessage), hasMore }
}

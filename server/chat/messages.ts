import { db } from '../db/client.ts'
import { processWide } from '../process-wide.ts'
import { trackWrite } from '../lifecycle.ts'
import { HISTORY_PAGE_DEFAULT } from './limits.ts'
import { mentionedMembers } from './mentions.ts'
import { MESSAGE_COLUMNS, messageOfRow, messageSelect, toChatMessage, type MessageColumnsRow } from './message-rows.ts'
import { MessageWriter } from './message-writer.ts'
import { publishPositioned } from '../realtime/publish.ts'
import { requireMembership } from './membership.ts'
import type { Author, ChatMessage } from './types.ts'

export type SendMessageInput = { author: Author; roomId: string; text: string; clientId: string }

/** One writer per process, shared by both module copies, so all of its sends share commits. */
function messageWriter(): MessageWriter {
  return processWide('message-writer', () => new MessageWriter())
}

/**
 * Stores a message and publishes it. Idempotent per (author, clientId): a retry of a send that
 * already reached the database returns the stored message and stores nothing new. Membership is
 * checked by the insert itself; only a send it turns away asks why.
 */
export async function sendMessage(input: SendMessageInput): Promise<ChatMessage> {
  const mentioned = await mentionedMembers(input.roomId, input.text)
  const stored = await trackWrite(messageWriter().store({ authorId: input.author.id, roomId: input.roomId, text: input.text, clientId: input.clientId, mentioned }))
  if (!stored) {
    // Not a member (or no such room), or a retry (or a concurrent twin) of a send already stored.
    await requireMembership(input.author.id, input.roomId)
    const existing = await findByClientId(input.author.id, input.clientId)
    if (existing) return existing
    throw new Error('Message insert affected no row and no message with that clientId exists')
  }
  const message = toChatMessage({ ...input, id: stored.id, seq: stored.seq, createdAt: stored.createdAt, editedAt: null, deletedAt: null, revision: 0, reactions: [], mentions: mentioned.map((userId) => ({ userId })) })
  await publishPositioned({ pos: Number(stored.pos), type: 'message', message })
  return message
}

async function findByClientId(authorId: string, clientId: string): Promise<ChatMessage | undefined> {
  const row = await db().message.findUnique({
    where: { authorId_clientId: { authorId, clientId } },
    select: messageSelect,
  })
  return row ? toChatMessage(row) : undefined
}

export type HistoryPage = { messages: ChatMessage[]; hasMore: boolean }

/**
 * A page of a room's messages, ascending by seq, ending just before `beforeSeq` (or at the
 * newest). One statement reads the page and checks membership; only an empty page asks why.
 */
export async function roomHistory(
  userId: string,
  { roomId, beforeSeq, limit = HISTORY_PAGE_DEFAULT }: { roomId: string; beforeSeq?: number | undefined; limit?: number | undefined },
): Promise<HistoryPage> {
  const rows = await db().$queryRaw<MessageColumnsRow[]>`
    SELECT ${MESSAGE_COLUMNS}
    FROM "Message" m JOIN "User" u ON u.id = m."authorId"
    WHERE m."roomId" = ${roomId} AND m.seq < ${beforeSeq ?? SEQ_AFTER_ALL}
      AND EXISTS (SELECT 1 FROM "Membership" ms WHERE ms."roomId" = ${roomId} AND ms."userId" = ${userId})
    ORDER BY m.seq DESC LIMIT ${limit + 1}`
  // Nothing: an empty room, or not one this user may read (which says so).
  if (rows.length === 0) await requireMembership(userId, roomId)
  const hasMore = rows.length > limit
  return { messages: rows.slice(0, limit).reverse().map(messageOfRow), hasMore }
}

/** Above every seq a room can hold (seq is a 32-bit integer). */
const SEQ_AFTER_ALL = 2 ** 31 - 1

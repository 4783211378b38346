import { db } from '../db/client.ts'
import { trackWrite } from '../lifecycle.ts'
import { HISTORY_PAGE_DEFAULT } from './limits.ts'
import { mentionedMembers } from './mentions.ts'
import { MessageWriter } from './message-writer.ts'
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

type WriterHolder = { __chatMessageWriter?: MessageWriter }

/** One writer per process, shared by both module copies, so all of its sends share commits. */
function messageWriter(): MessageWriter {
  const holder = globalThis as WriterHolder
  holder.__chatMessageWriter ??= new MessageWriter()
  return holder.__chatMessageWriter
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

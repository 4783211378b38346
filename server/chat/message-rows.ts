import { Prisma } from '../db/generated/client.ts'
import type { Author, ChatMessage, ReactionSummary } from './types.ts'

// How a stored message becomes a ChatMessage: through Prisma (messageSelect) or raw SQL (MESSAGE_COLUMNS).

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

/** A message's current state, flattened for raw SQL; `pos` is the event's stream position. */
export type MessageColumnsRow = Omit<MessageRow, 'author'> & { pos: bigint; authorId: string; authorName: string }

// Every column of a message's current state: text (empty once deleted), edit marks, reactions.
export const MESSAGE_COLUMNS = Prisma.sql`
  m.id, m."roomId", m.seq, m.text, m."clientId"::text AS "clientId", m."createdAt", m."editedAt", m."deletedAt", m.revision,
  u.id AS "authorId", u.name AS "authorName",
  COALESCE((SELECT json_agg(json_build_object('emoji', r.emoji, 'userId', r."userId") ORDER BY r."createdAt")
            FROM "Reaction" r WHERE r."messageId" = m.id), '[]'::json) AS reactions,
  COALESCE((SELECT json_agg(json_build_object('userId', mm."userId")) FROM "MessageMention" mm WHERE mm."messageId" = m.id), '[]'::json) AS mentions`

export const messageOfRow = ({ authorId, authorName, ...row }: MessageColumnsRow) => toChatMessage({ ...row, author: { id: authorId, name: authorName } })


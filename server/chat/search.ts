import { db } from '../db/client.ts'
import { SEARCH_RESULTS_MAX } from './limits.ts'
import { messageSelect, toChatMessage } from './message-rows.ts'
import { requireMembership } from './membership.ts'
import type { ChatMessage } from './types.ts'

/**
 * The words of a query as a PostgreSQL tsquery: every word must appear, each as a prefix ("depl"
 * finds "deploy"). Only letters and digits pass, so nothing the user types is tsquery syntax.
 */
export function toPrefixQuery(query: string): string | undefined {
  const words = query.toLocaleLowerCase().match(/[\p{L}\p{N}]+/gu)
  if (!words) return undefined
  return words.slice(0, 10).map((word) => `${word}:*`).join(' & ')
}

/** Messages of a room the user is in whose text matches every word of `query`, newest first. */
export async function searchRoom(userId: string, roomId: string, query: string): Promise<ChatMessage[]> {
  await requireMembership(userId, roomId)
  const tsquery = toPrefixQuery(query)
  if (!tsquery) return []
  const hits = await db().$queryRaw<{ id: string }[]>`
    SELECT id FROM "Message"
    WHERE "roomId" = ${roomId} AND "deletedAt" IS NULL AND to_tsvector('simple', text) @@ to_tsquery('simple', ${tsquery})
    ORDER BY seq DESC LIMIT ${SEARCH_RESULTS_MAX}`
  if (hits.length === 0) return []
  const rows = await db().message.findMany({ where: { id: { in: hits.map((hit) => hit.id) } }, orderBy: { seq: 'desc' }, select: messageSelect })
  return rows.map(toChatMessage)
}

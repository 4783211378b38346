import { db } from '../db/client.ts'
import type { Tx } from './transaction.ts'

/**
 * The members of a room a text names as `@Name` (case-insensitive, not inside a longer word).
 * Names may contain spaces; the composer's autocomplete writes them exactly.
 */
export async function mentionedMembers(roomId: string, text: string, client: Tx = db()): Promise<string[]> {
  if (!text.includes('@')) return []
  const members = await client.membership.findMany({ where: { roomId }, select: { user: { select: { id: true, name: true } } } })
  return members.filter(({ user }) => mentions(text, user.name)).map(({ user }) => user.id)
}

export function mentions(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(^|[^\\p{L}\\p{N}_@])@${escaped}(?![\\p{L}\\p{N}_])`, 'iu').test(text)
}

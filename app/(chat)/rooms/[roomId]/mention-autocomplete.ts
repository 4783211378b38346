import type { Author } from '@/server/chat/types'

/** Suggestions shown at once. */
const MAX_SUGGESTIONS = 6

export type MentionQuery = { start: number; query: string }

/** The `@partial name` just before the caret, if the caret is at the end of one. */
export function mentionQueryAt(text: string, caret: number): MentionQuery | undefined {
  const match = /(^|\s)@([^@\n]{0,30})$/u.exec(text.slice(0, caret))
  if (!match) return undefined
  return { start: caret - match[2]!.length - 1, query: match[2]! }
}

/**
 * Members whose name, or any word of it, starts with the query (case-insensitive): "@Oka" finds
 * "Ben Okafor". Names that start with the query come first.
 */
export function mentionSuggestions(members: readonly Author[], query: string): Author[] {
  const wanted = query.toLocaleLowerCase()
  const rank = (member: Author) => {
    const name = member.name.toLocaleLowerCase()
    if (name.startsWith(wanted)) return 0
    return name.split(/\s+/u).some((word) => word.startsWith(wanted)) ? 1 : undefined
  }
  return members
    .map((member) => ({ member, rank: rank(member) }))
    .filter((entry): entry is { member: Author; rank: number } => entry.rank !== undefined)
    .sort((a, b) => a.rank - b.rank)
    .map((entry) => entry.member)
    .slice(0, MAX_SUGGESTIONS)
}

/** The text with the query replaced by `@Name ` and where the caret goes after it. */
export function insertMention(text: string, caret: number, at: MentionQuery, member: Author): { text: string; caret: number } {
  const inserted = `@${member.name} `
  return { text: text.slice(0, at.start) + inserted + text.slice(caret), caret: at.start + inserted.length }
}

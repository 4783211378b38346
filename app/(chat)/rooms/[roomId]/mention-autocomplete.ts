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

/** Members whose name starts with the query (case-insensitive), by name. */
export function mentionSuggestions(members: readonly Author[], query: string): Author[] {
  const wanted = query.toLocaleLowerCase()
  return members.filter((member) => member.name.toLocaleLowerCase().startsWith(wanted)).slice(0, MAX_SUGGESTIONS)
}

/** The text with the query replaced by `@Name ` and where the caret goes after it. */
export function insertMention(text: string, caret: number, at: MentionQuery, member: Author): { text: string; caret: number } {
  const inserted = `@${member.name} `
  return { text: text.slice(0, at.start) + inserted + text.slice(caret), caret: at.start + inserted.length }
}

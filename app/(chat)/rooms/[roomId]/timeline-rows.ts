import type { ChatMessage } from '@/server/chat/types'
import type { UnreadAtOpen } from './use-read-marker'

/** Consecutive messages from one author within this long form one run: the name shows once. */
export const RUN_GAP_MS = 5 * 60_000

export type TimelineRow = {
  message: ChatMessage
  /** The message starts a new day (local time): a separator with this label goes above it. */
  day: string | undefined
  /** The first message from someone else that was unread when the room was opened. */
  firstUnread: boolean
  /** First of a run: a new author, a new day, a pause of RUN_GAP_MS, or the unread divider. */
  startsRun: boolean
}

const dayKey = (date: Date) => `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`

/** "Today", "Yesterday", or the full date ("Monday, 30 November 2026" in the reader's locale). */
export function dayLabel(date: Date, now: Date, locale?: string): string {
  if (dayKey(date) === dayKey(now)) return 'Today'
  const yesterday = new Date(now)
  yesterday.setDate(now.getDate() - 1)
  if (dayKey(date) === dayKey(yesterday)) return 'Yesterday'
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(date)
}

/** How the log lays out stored messages: day separators, the "New messages" divider, author runs. */
export function timelineRows(messages: readonly ChatMessage[], me: string, unread: UnreadAtOpen | undefined, now: Date, locale?: string): TimelineRow[] {
  const firstUnreadSeq =
    unread === undefined ? undefined : messages.find((message) => message.seq > unread.after && message.seq <= unread.through && message.author.id !== me)?.seq
  let previous: ChatMessage | undefined
  return messages.map((message) => {
    const sentAt = new Date(message.createdAt)
    const newDay = previous === undefined || dayKey(new Date(previous.createdAt)) !== dayKey(sentAt)
    const firstUnread = message.seq === firstUnreadSeq
    const startsRun =
      previous === undefined ||
      newDay ||
      firstUnread ||
      previous.author.id !== message.author.id ||
      sentAt.getTime() - new Date(previous.createdAt).getTime() > RUN_GAP_MS
    previous = message
    return { message, day: newDay ? dayLabel(sentAt, now, locale) : undefined, firstUnread, startsRun }
  })
}

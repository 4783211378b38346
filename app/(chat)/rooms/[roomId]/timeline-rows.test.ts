import { describe, expect, it } from 'vitest'
import { chatMessage } from '@/server/testing/chat-message'
import { dayLabel, timelineRows } from './timeline-rows'

const message = (seq: number, author: string, createdAt: string) => chatMessage(seq, { author: { id: author, name: author }, createdAt })

const now = new Date('2026-12-05T15:00:00')
const fullDate = (local: string) => new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(local))
const at = (local: string) => new Date(local).toISOString()

describe('timelineRows', () => {
  const messages = [
    message(1, 'ana', at('2026-12-03T09:00:00')),
    message(2, 'ana', at('2026-12-04T09:00:00')),
    message(3, 'ana', at('2026-12-04T09:03:00')),
    message(4, 'ben', at('2026-12-04T09:04:00')),
    message(5, 'ben', at('2026-12-04T09:10:00')),
    message(6, 'me', at('2026-12-05T08:00:00')),
    message(7, 'ben', at('2026-12-05T08:01:00')),
    message(8, 'ben', at('2026-12-05T08:02:00')),
  ]

  it('puts a day separator above the first message of each day, and starts a run at a new day, author or pause', () => {
    const rows = timelineRows(messages, 'me', undefined, now, 'en-GB')
    expect(rows.map((row) => row.day)).toEqual([fullDate('2026-12-03T12:00:00'), 'Yesterday', undefined, undefined, undefined, 'Today', undefined, undefined])
    expect(rows.map((row) => row.startsRun)).toEqual([true, true, false, true, true, true, true, false])
  })

  it('marks the first message from someone else that was unread when the room opened, and starts a run there', () => {
    const rows = timelineRows(messages, 'me', { after: 6, through: 8 }, now, 'en-GB')
    expect(rows.filter((row) => row.firstUnread).map((row) => row.message.seq)).toEqual([7])
    // Inside one run, the divider still starts a new one.
    const split = timelineRows(messages, 'me', { after: 7, through: 8 }, now, 'en-GB')
    expect(split.find((row) => row.message.seq === 8)).toMatchObject({ firstUnread: true, startsRun: true })
  })

  it('shows no divider for messages that arrived after the room was opened', () => {
    const rows = timelineRows(messages, 'me', { after: 6, through: 6 }, now, 'en-GB')
    expect(rows.some((row) => row.firstUnread)).toBe(false)
  })

  it('skips the reader’s own messages when looking for the first unread one', () => {
    const rows = timelineRows(messages, 'me', { after: 5, through: 8 }, now, 'en-GB')
    expect(rows.filter((row) => row.firstUnread).map((row) => row.message.seq)).toEqual([7])
  })
})

describe('dayLabel', () => {
  it('says Today and Yesterday across a month boundary, else the full date', () => {
    const first = new Date('2026-12-01T10:00:00')
    expect(dayLabel(new Date('2026-12-01T00:01:00'), first, 'en-GB')).toBe('Today')
    expect(dayLabel(new Date('2026-11-30T23:59:00'), first, 'en-GB')).toBe('Yesterday')
    expect(dayLabel(new Date('2026-11-29T12:00:00'), first, 'en-GB')).toBe(fullDate('2026-11-29T12:00:00'))
  })
})

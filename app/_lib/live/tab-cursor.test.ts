import { describe, expect, it } from 'vitest'
import type { ChatMessage, ClientEvent } from '@/server/chat/types'
import { TabCursor } from './tab-cursor'

const message = (seq: number): ClientEvent => ({ type: 'message', message: { seq } as ChatMessage })
const typing: ClientEvent = { type: 'typing', roomId: 'r', user: { id: 'u', name: 'U' }, active: true }

describe('what one tab has been handed of the stream', () => {
  it('hands over each position once when a new holder replays from an older event id', () => {
    const cursor = new TabCursor()
    expect(['1', '2', '3'].map((id, i) => cursor.accept(message(i + 1), id))).toEqual([true, true, true])
    // The new holder had only seen position 1: it resumes from there.
    expect(cursor.accept(message(2), '2')).toBe(false)
    expect(cursor.accept(message(3), '3')).toBe(false)
    expect(cursor.accept(message(4), '4')).toBe(true)
    expect(cursor.lastEventId).toBe('4')
  })

  it('lets live-only events through, which carry the current position rather than one of their own', () => {
    const cursor = new TabCursor()
    cursor.accept(message(1), '7')
    expect(cursor.accept(typing, '7')).toBe(true)
    expect(cursor.accept({ type: 'ready' }, '7')).toBe(true)
    expect(cursor.lastEventId).toBe('7')
  })

  it('starts where a live holder is when the tab joins, and never moves back', () => {
    const cursor = new TabCursor()
    cursor.startAt('40')
    expect(cursor.accept(message(1), '39')).toBe(false)
    expect(cursor.accept(message(2), '41')).toBe(true)
    cursor.startAt('12')
    expect(cursor.lastEventId).toBe('41')
  })
})

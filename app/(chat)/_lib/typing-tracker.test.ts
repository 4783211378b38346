import { afterEach, describe, expect, it, vi } from 'vitest'
import { TYPING_SHOWN_MS, TypingTracker, typingSentence } from './typing-tracker'

afterEach(() => {
  vi.useRealTimers()
})

describe('TypingTracker', () => {
  it('shows a typist until their typing goes quiet for 5 s, and at once stops when their message arrives', () => {
    vi.useFakeTimers()
    const tracker = new TypingTracker()
    const ana = { id: 'a', name: 'Ana' }
    tracker.heard('room', ana)
    expect(typingSentence(tracker.typists('room'))).toBe('Ana is typing…')
    vi.advanceTimersByTime(TYPING_SHOWN_MS - 1_000)
    tracker.heard('room', ana) // still typing: the 5 s start again
    vi.advanceTimersByTime(TYPING_SHOWN_MS - 1_000)
    expect(tracker.typists('room')).toHaveLength(1)
    vi.advanceTimersByTime(1_000)
    expect(tracker.typists('room')).toHaveLength(0)

    tracker.heard('room', ana)
    tracker.heard('room', { id: 'b', name: 'Ben' })
    expect(typingSentence(tracker.typists('room'))).toBe('Ana and Ben are typing…')
    tracker.stopped('room', 'a')
    expect(typingSentence(tracker.typists('room'))).toBe('Ben is typing…')
    expect(tracker.typists('elsewhere')).toEqual([])
  })
})

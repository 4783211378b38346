import { describe, expect, it } from 'vitest'
import type { MemberRoom } from '@/server/chat/types'
import { readElsewhere } from './unread'

const room = (changes: Partial<MemberRoom> = {}): MemberRoom => ({ id: 'r1', name: 'general', isPublic: true, lastSeq: 10, lastReadSeq: 4, unread: 6, mentions: 1, directWith: null, ...changes })

describe('a room read in another tab', () => {
  it('clears the counts here when the other tab read to the end', () => {
    expect(readElsewhere([room()], 'r1', 10)).toEqual([room({ lastReadSeq: 10, unread: 0, mentions: 0 })])
  })

  it('leaves the list as it is when this tab already knew', () => {
    expect(readElsewhere([room({ lastReadSeq: 10, unread: 0, mentions: 0 })], 'r1', 8)).toEqual([room({ lastReadSeq: 10, unread: 0, mentions: 0 })])
  })

  it('cannot tell the counts when the other tab read only part of the way, nor for a room it does not list', () => {
    expect(readElsewhere([room()], 'r1', 7)).toBeUndefined()
    expect(readElsewhere([room()], 'r2', 10)).toBeUndefined()
  })
})

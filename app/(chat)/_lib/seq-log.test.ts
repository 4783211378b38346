import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '@/server/chat/types'
import { chatMessage } from '@/server/testing/chat-message'
import { SeqLog } from './seq-log'

const message = (seq: number) => chatMessage(seq)
const seqs = (messages: readonly ChatMessage[]) => messages.map((m) => m.seq)

describe('SeqLog', () => {
  it('shows only the gap-free run from the oldest loaded seq and holds the rest', () => {
    const log = new SeqLog()
    log.add([10, 11, 12].map(message), 10)
    log.add([15, 14].map(message))
    expect(seqs(log.shown)).toEqual([10, 11, 12])
    expect(seqs(log.waiting)).toEqual([14, 15])
    expect(log.gap()).toEqual({ afterSeq: 12, beforeSeq: 14 })

    log.add([message(13)])
    expect(seqs(log.shown)).toEqual([10, 11, 12, 13, 14, 15])
    expect(log.waiting).toEqual([])
    expect(log.gap()).toBeUndefined()
  })

  it('holds everything until a history page says where the room starts', () => {
    const log = new SeqLog()
    log.add([message(3)])
    expect(log.shown).toEqual([])
    expect(log.gap()).toBeUndefined()
    log.add([], 1)
    expect(log.gap()).toEqual({ afterSeq: 0, beforeSeq: 3 })
    log.add([1, 2].map(message))
    expect(seqs(log.shown)).toEqual([1, 2, 3])
  })

  it('keeps each seq once however often it arrives, and older pages extend the run downwards', () => {
    const log = new SeqLog()
    log.add([5, 6].map(message), 5)
    log.add([6, 5, 6].map(message))
    log.add([3, 4].map(message), 3)
    expect(seqs(log.shown)).toEqual([3, 4, 5, 6])
  })
})

describe('SeqLog revisions', () => {
  it('keeps the newest revision of a message whichever copy arrives last', () => {
    const log = new SeqLog()
    const edited = { ...message(1), text: 'edited', revision: 2 }
    log.add([edited], 1)
    log.add([{ ...message(1), text: 'stale history copy', revision: 1 }])
    expect(log.shown.map((m) => m.text)).toEqual(['edited'])
    log.add([{ ...message(1), text: 'newer still', revision: 3 }])
    expect(log.shown.map((m) => m.text)).toEqual(['newer still'])
  })
})

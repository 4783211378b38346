import { describe, expect, it } from 'vitest'
import { OrderedStream, type OrderedStreamSource, type StreamItem } from './ordered-stream.ts'
import type { PositionedEvent } from '../chat/types.ts'

const joined = (pos: number): PositionedEvent => ({
  pos,
  type: 'room.joined',
  userId: 'u',
  room: { id: `r${pos}`, name: 'room', isPublic: true, lastSeq: 0 },
})

/** A source backed by an array standing in for the committed rows (a plain fake of the database read). */
function sourceOf(committed: PositionedEvent[]): OrderedStreamSource & { reads: number } {
  const source = {
    reads: 0,
    async eventsInRange(after: number, upTo: number) {
      source.reads += 1
      return committed.filter((event) => event.pos > after && event.pos <= upTo)
    },
    async headPosition() {
      return Math.max(0, ...committed.map((event) => event.pos))
    },
  }
  return source
}

function collect(stream: OrderedStream): number[] {
  const seen: number[] = []
  stream.listen((item: StreamItem) => {
    if ('pos' in item) seen.push(item.pos)
  })
  return seen
}

const until = async (condition: () => boolean, timeoutMs = 2000) => {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('OrderedStream', () => {
  it('releases out-of-order arrivals in position order, each once', () => {
    const stream = new OrderedStream({ startPos: 0, source: sourceOf([]), pollMs: 0 })
    const seen = collect(stream)
    for (const pos of [2, 3, 1, 3, 5, 4, 1]) stream.acceptPositioned(joined(pos))
    expect(seen).toEqual([1, 2, 3, 4, 5])
    stream.stop()
  })

  it('reads a position that never arrives from the database', async () => {
    const committed = [1, 2, 3].map(joined)
    const source = sourceOf(committed)
    const stream = new OrderedStream({ startPos: 0, source, pollMs: 0, holeWaitMs: 10 })
    const seen = collect(stream)
    stream.acceptPositioned(joined(1))
    stream.acceptPositioned(joined(3)) // 2's publish was lost
    expect(seen).toEqual([1])
    await until(() => seen.length === 3)
    expect(seen).toEqual([1, 2, 3])
    stream.stop()
  })

  it('skips a position the database does not have (a rolled-back write)', async () => {
    const source = sourceOf([joined(1), joined(3)])
    const stream = new OrderedStream({ startPos: 0, source, pollMs: 0, holeWaitMs: 10 })
    const seen = collect(stream)
    stream.acceptPositioned(joined(3))
    await until(() => seen.length === 2)
    expect(seen).toEqual([1, 3])
    stream.acceptPositioned(joined(4))
    expect(seen).toEqual([1, 3, 4])
    stream.stop()
  })

  it('catches up to the database head when the tail of the stream was never published', async () => {
    const source = sourceOf([joined(1), joined(2)])
    const stream = new OrderedStream({ startPos: 0, source, pollMs: 20 })
    const seen = collect(stream)
    await until(() => seen.length === 2)
    expect(seen).toEqual([1, 2])
    stream.stop()
  })
})

describe('OrderedStream catching up after a long outage', () => {
  it('reads the missed positions in pages and delivers all of them in order', async () => {
    const committed = Array.from({ length: 2500 }, (_, i) => joined(i + 1))
    const source = sourceOf(committed)
    const stream = new OrderedStream({ startPos: 0, source, pollMs: 0 })
    const seen = collect(stream)
    await stream.catchUpToHead()
    expect(seen).toEqual(committed.map((event) => event.pos))
    expect(source.reads).toBe(3)
    stream.stop()
  })
})

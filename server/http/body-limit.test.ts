import { describe, expect, it } from 'vitest'
import { withBodyLimit } from './body-limit.ts'

const streamOf = (size: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let sent = 0; sent < size; sent += 1024) controller.enqueue(new Uint8Array(Math.min(1024, size - sent)))
      controller.close()
    },
  })

const post = (size: number, headers: Record<string, string> = {}) =>
  new Request('http://localhost/api/trpc/message.send', { method: 'POST', body: streamOf(size), headers, duplex: 'half' } as RequestInit)

describe('withBodyLimit', () => {
  it('passes a body within the limit through unchanged', async () => {
    const result = await withBodyLimit(post(4096), 8192)
    expect(result).toBeInstanceOf(Request)
    expect((await (result as Request).arrayBuffer()).byteLength).toBe(4096)
  })

  it('answers 413 for a body past the limit, declared or not', async () => {
    const declared = await withBodyLimit(post(10, { 'content-length': '999999' }), 8192)
    expect((declared as Response).status).toBe(413)
    const streamed = await withBodyLimit(post(20_000), 8192)
    expect((streamed as Response).status).toBe(413)
    expect(await (streamed as Response).json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } })
  })

  it('leaves bodiless requests (GET, SSE) as they are', async () => {
    const get = new Request('http://localhost/api/trpc/events.stream')
    expect(await withBodyLimit(get)).toBe(get)
  })
})

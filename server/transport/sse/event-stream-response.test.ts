import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { callerFor, setupTestDatabase } from '../../testing/database.ts'
import { waitFor } from '../../testing/wait-for.ts'
import { signedUpUser } from '../../testing/signed-up-user.ts'
import { eventStreamResponse, isEventStreamRequest } from './event-stream-response.ts'

setupTestDatabase()

const ORIGIN = 'http://localhost:3000'

type SseEvent = { event?: string; id?: string; data: string }

/** Opens events.stream through the route handler's SSE response and parses what arrives. */
async function openStream(cookie: string | undefined, query = '', lastEventId?: string) {
  const headers = new Headers({ host: 'localhost:3000', origin: ORIGIN, accept: 'text/event-stream' })
  if (cookie) headers.set('cookie', cookie)
  if (lastEventId) headers.set('last-event-id', lastEventId)
  const controller = new AbortController()
  const request = new Request(`${ORIGIN}/api/trpc/events.stream?input=${encodeURIComponent('{}')}${query}`, { headers, signal: controller.signal })
  expect(isEventStreamRequest(request)).toBe(true)
  const response = await eventStreamResponse(request)
  expect(response.headers.get('content-type')).toBe('text/event-stream')
  const events: SseEvent[] = []
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  const done = (async () => {
    let buffer = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      buffer += decoder.decode(chunk.value, { stream: true })
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const fields = Object.fromEntries(buffer.slice(0, end).split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]))
        buffer = buffer.slice(end + 2)
        events.push(fields as SseEvent)
      }
    }
  })()
  return {
    events,
    data: () => events.filter((event) => !event.event).map((event) => ({ id: event.id!, value: JSON.parse(event.data) as { type: string; message?: { text: string } } })),
    ended: done,
    async close() {
      controller.abort()
      await reader.cancel()
      await done.catch(() => {})
    },
  }
}

describe('events.stream over SSE (event-stream-response.ts)', () => {
  it('writes tRPC’s SSE format: connected, ready, live tracked events; resumes from Last-Event-ID', async () => {
    const { cookie, user } = await signedUpUser('Sue', ORIGIN)
    const room = await callerFor(user).room.create({ name: `sse ${randomUUID().slice(0, 6)}` })
    const stream = await openStream(cookie)
    await waitFor(() => stream.data().some((event) => event.value.type === 'ready'))
    expect(stream.events[0]).toMatchObject({ event: 'connected' })
    const cursor = stream.data().find((event) => event.value.type === 'ready')!.id

    await callerFor(user).message.send({ roomId: room.id, text: 'live over sse', clientId: randomUUID() })
    await waitFor(() => stream.data().some((event) => event.value.type === 'message'))
    await stream.close()

    const missed = await callerFor(user).message.send({ roomId: room.id, text: 'while away', clientId: randomUUID() })
    const resumed = await openStream(cookie, '', stream.data().at(-1)!.id)
    await waitFor(() => resumed.data().some((event) => event.value.type === 'ready'))
    expect(resumed.data().map((event) => event.value.message?.text ?? event.value.type)).toEqual(['while away', 'ready'])
    expect(Number(resumed.data()[0]!.id)).toBeGreaterThan(Number(cursor))
    expect(resumed.data()[0]!.value).toEqual({ type: 'message', message: missed })
    await resumed.close()
  })

  it('refuses a missing session and a bad lastEventId as tRPC does: a serialized-error event, then the end', async () => {
    const anonymous = await openStream(undefined)
    await anonymous.ended
    expect(anonymous.events.map((event) => event.event)).toEqual(['connected', 'serialized-error'])
    expect(JSON.parse(anonymous.events[1]!.data)).toMatchObject({ data: { code: 'UNAUTHORIZED' } })

    const { cookie } = await signedUpUser('Bad Cursor', ORIGIN)
    const bad = await openStream(cookie, '&lastEventId=not-a-number')
    await bad.ended
    expect(JSON.parse(bad.events[1]!.data)).toMatchObject({ data: { code: 'BAD_REQUEST' } })
  })
})

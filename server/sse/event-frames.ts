import type { ClientEvent } from '../chat/types.ts'

const encoder = new TextEncoder()

/** The bytes last encoded for an event, and for which cursor. */
const lastFrames = new WeakMap<ClientEvent, { cursor: number; bytes: Uint8Array }>()

/**
 * One tracked event as Server-Sent Events bytes, in the layout tRPC's sseStreamProducer writes
 * (`data:` then `id:`). A fan-out hands the same event object to every subscriber, so the bytes are
 * encoded once and enqueued to every stream.
 */
export function sseEventFrame(cursor: number, event: ClientEvent): Uint8Array {
  const last = lastFrames.get(event)
  if (last?.cursor === cursor) return last.bytes
  const bytes = encoder.encode(`data: ${JSON.stringify(event)}\nid: ${cursor}\n\n`)
  lastFrames.set(event, { cursor, bytes })
  return bytes
}

/** A named event without an id (connected, ping, return, serialized-error). */
export function sseNamedFrame(name: string, data = ''): Uint8Array {
  return encoder.encode(`event: ${name}\ndata: ${data}\n\n`)
}

export const SSE_PING_FRAME = sseNamedFrame('ping')
export const SSE_RETURN_FRAME = sseNamedFrame('return')

import { getErrorShape, getTRPCErrorFromUnknown, TRPCError, type ProcedureType } from '@trpc/server'
import type { ClientEvent } from '../chat/types.ts'
import { assertExpectedUser } from '../trpc/init.ts'
import { appRouter } from '../trpc/root.ts'
import { EVENTS_STREAM_PATH, streamInput } from '../trpc/routers/events.ts'

// The only code that knows tRPC's wire format beside tRPC itself: the frames and error shapes of
// the transports we serve ourselves (the live stream on WebSocket and SSE, requests on /api/ws).

// ─── Errors ─────────────────────────────────────────────────────────────────────────────────

/**
 * An error as tRPC's adapters send it (our errorFormatter included: field errors, and an internal
 * error replaced by a sentence and a reference). For the transports we serve ourselves: the
 * WebSocket requests and both events.stream transports.
 */
export function errorShape(cause: unknown, { type, path, input }: { type: ProcedureType | 'unknown'; path: string | undefined; input: unknown }) {
  return getErrorShape({ config: appRouter._def._config, error: getTRPCErrorFromUnknown(cause), type, path, input, ctx: undefined })
}

export type ErrorShape = ReturnType<typeof errorShape>

// ─── The events.stream request ──────────────────────────────────────────────────────────────

/**
 * What both of our events.stream transports (server/transport/ws, server/transport/sse) check before streaming, as
 * the tRPC procedure does: the input schema, with the resume cursor tRPC's links send beside the
 * input merged in as tRPC's adapters merge it, and the user the tab expects. Throws a TRPCError.
 */
export function parseStreamRequest(userId: string, rawInput: unknown, lastEventId: unknown): { lastEventId: number | undefined } {
  const merged = lastEventId === undefined || lastEventId === null ? rawInput : { ...(isRecord(rawInput) ? rawInput : {}), lastEventId }
  const input = streamInput.safeParse(merged ?? {})
  if (!input.success) throw new TRPCError({ code: 'BAD_REQUEST', message: input.error.message, cause: input.error })
  assertExpectedUser(userId, input.data.asUserId)
  return { lastEventId: input.data.lastEventId ? Number(input.data.lastEventId) : undefined }
}

/** An events.stream failure in tRPC's error shape (with our errorFormatter's fields), as tRPC's adapters send it. */
export function streamErrorShape(cause: unknown, input: unknown) {
  return errorShape(cause, { type: 'subscription', path: EVENTS_STREAM_PATH, input })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// ─── WebSocket frames ───────────────────────────────────────────────────────────────────────

export type SubscriptionId = number | string

type EncodedFrame = { subscriptionId: SubscriptionId; cursor: number; jsonrpc: '2.0' | undefined; frame: Buffer }

/** The frame last encoded for an event, and for which subscription id, cursor and jsonrpc tag. */
const lastFrames = new WeakMap<ClientEvent, EncodedFrame>()

/**
 * The tRPC wire frame (`{"id":…,"result":{"type":"data","id":…,"data":{"id":…,"data":event}}}`,
 * what tRPC's WebSocket adapter sends for a tracked event) for one delivered event. A fan-out hands
 * the same event object to every subscriber, and clients share subscription ids, so the frame is
 * encoded once and the same bytes go to every socket.
 */
export function eventFrame(subscriptionId: SubscriptionId, jsonrpc: '2.0' | undefined, cursor: number, event: ClientEvent): Buffer {
  const last = lastFrames.get(event)
  if (last && last.subscriptionId === subscriptionId && last.cursor === cursor && last.jsonrpc === jsonrpc) return last.frame
  const trackedId = String(cursor)
  const frame = Buffer.from(JSON.stringify({ id: subscriptionId, jsonrpc, result: { type: 'data', id: trackedId, data: { id: trackedId, data: event } } }))
  lastFrames.set(event, { subscriptionId, cursor, jsonrpc, frame })
  return frame
}

// ─── Server-Sent Events frames ──────────────────────────────────────────────────────────────

const encoder = new TextEncoder()

/** The bytes last encoded for an event, and for which cursor. */
const lastSseFrames = new WeakMap<ClientEvent, { cursor: number; bytes: Uint8Array }>()

/**
 * One tracked event as Server-Sent Events bytes, in the layout tRPC's sseStreamProducer writes
 * (`data:` then `id:`). A fan-out hands the same event object to every subscriber, so the bytes are
 * encoded once and enqueued to every stream.
 */
export function sseEventFrame(cursor: number, event: ClientEvent): Uint8Array {
  const last = lastSseFrames.get(event)
  if (last?.cursor === cursor) return last.bytes
  const bytes = encoder.encode(`data: ${JSON.stringify(event)}\nid: ${cursor}\n\n`)
  lastSseFrames.set(event, { cursor, bytes })
  return bytes
}

/** A named event without an id (connected, ping, return, serialized-error). */
export function sseNamedFrame(name: string, data = ''): Uint8Array {
  return encoder.encode(`event: ${name}\ndata: ${data}\n\n`)
}

export const SSE_PING_FRAME = sseNamedFrame('ping')
export const SSE_RETURN_FRAME = sseNamedFrame('return')

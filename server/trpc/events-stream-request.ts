import { TRPCError } from '@trpc/server'
import { errorShape } from './error-shape.ts'
import { assertExpectedUser } from './init.ts'
import { EVENTS_STREAM_PATH, streamInput } from './routers/events.ts'

/**
 * What both of our events.stream transports (server/ws, server/sse) check before streaming, as
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

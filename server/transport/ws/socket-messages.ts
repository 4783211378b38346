import { z } from 'zod'

/** Requests in one WebSocket frame: tRPC's client batches what a page asks for in the same moment. */
export const MAX_REQUESTS_PER_FRAME = 50

const id = z.union([z.number().int(), z.string().min(1).max(64)])

/** A request in tRPC's WebSocket wire format. */
const requestMessage = z.object({
  id,
  jsonrpc: z.literal('2.0').optional(),
  method: z.enum(['query', 'mutation', 'subscription']),
  params: z.object({ path: z.string().max(200), input: z.unknown().optional(), lastEventId: z.unknown().optional() }),
})

const stopMessage = z.object({ id, jsonrpc: z.literal('2.0').optional(), method: z.literal('subscription.stop') })

export type RequestMessage = z.infer<typeof requestMessage>
export type StopMessage = z.infer<typeof stopMessage>
export type MessageId = z.infer<typeof id>

/** One message of a frame: a request, a stop, or something that is neither (answered with its id, when it has one). */
export type Incoming = { kind: 'request'; message: RequestMessage } | { kind: 'stop'; message: StopMessage } | { kind: 'malformed'; id: MessageId | null; jsonrpc: '2.0' | undefined }

/** The messages of a text frame, or undefined when it is not JSON. */
export function messagesOf(frame: string): Incoming[] | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(frame)
  } catch {
    return undefined
  }
  return (Array.isArray(parsed) ? parsed : [parsed]).map(classify)
}

function classify(raw: unknown): Incoming {
  const request = requestMessage.safeParse(raw)
  if (request.success) return { kind: 'request', message: request.data }
  const stop = stopMessage.safeParse(raw)
  if (stop.success) return { kind: 'stop', message: stop.data }
  const known = z.object({ id, jsonrpc: z.literal('2.0').optional() }).safeParse(raw)
  return { kind: 'malformed', id: known.success ? known.data.id : null, jsonrpc: known.success ? known.data.jsonrpc : undefined }
}

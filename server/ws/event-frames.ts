import type { ClientEvent } from '../chat/types.ts'

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

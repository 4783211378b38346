export type Transport = 'ws' | 'sse'
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline'
export type LiveStatus = { state: LiveState; transport: Transport }

const TRANSPORT_NAME: Record<Transport, string> = { ws: 'WebSocket', sse: 'SSE' }

/** The words of the status line. */
export function describeStatus({ state, transport }: LiveStatus): string {
  if (state === 'live') return `Live · ${TRANSPORT_NAME[transport]}`
  if (state === 'offline') return 'Offline'
  if (state === 'connecting') return 'Connecting…'
  return 'Reconnecting…'
}

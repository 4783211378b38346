export type Transport = 'ws' | 'sse'
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline'

/**
 * Why the stream is on SSE rather than WebSocket: the socket was refused before it opened, it
 * opened but never carried the stream within the time allowed, it was live and then died, or the
 * page pinned SSE (`?transport=sse`).
 */
export type FallbackReason = 'refused' | 'timed out' | 'closed' | 'pinned'

/** What the transport machine of the tab that holds the connection knows. */
export type TransportStatus = { state: LiveState; transport: Transport; fallback?: FallbackReason | undefined }

/** What every tab shows: the shared connection's state and who holds it. */
export type LiveStatus = TransportStatus & {
  /** Tabs of this browser (this person) that share the connection, this one included. */
  tabs: number
  /** This tab holds the connection; otherwise another tab does and relays it here. */
  holder: boolean
  /** False where tabs cannot share one connection (no Web Locks or BroadcastChannel): each tab has its own. */
  shared: boolean
}

export const INITIAL_STATUS: LiveStatus = { state: 'connecting', transport: 'ws', tabs: 1, holder: true, shared: false }

const TRANSPORT_NAME: Record<Transport, string> = { ws: 'WebSocket', sse: 'SSE' }

/** The words of the status line. */
export function describeStatus({ state, transport }: TransportStatus): string {
  if (state === 'live') return `Live · ${TRANSPORT_NAME[transport]}`
  if (state === 'offline') return 'Offline'
  if (state === 'connecting') return 'Connecting…'
  return 'Reconnecting…'
}

const FALLBACK_SENTENCE: Record<FallbackReason, string> = {
  refused: 'The WebSocket was refused before it opened (a proxy or firewall on the way may not allow WebSocket).',
  'timed out': 'The WebSocket did not carry the stream within 3 seconds (a proxy may be holding it).',
  closed: 'The WebSocket was cut off and could not reconnect.',
  pinned: 'This page asked for SSE (?transport=sse).',
}

/** The lines of the connection details panel. */
export function describeDetails(status: LiveStatus): string[] {
  const lines = [`Transport: ${status.transport === 'ws' ? 'WebSocket' : 'Server-Sent Events (SSE)'}, ${describeStatus(status).toLowerCase()}.`]
  if (!status.shared) lines.push('This tab has a connection of its own (this browser cannot share one between tabs here).')
  else if (status.tabs <= 1) lines.push('This tab holds the connection; open tabs of Relay in this browser will share it.')
  else lines.push(`${status.tabs} tabs of this browser share one connection, held by ${status.holder ? 'this tab' : 'another tab'}.`)
  if (status.transport === 'sse' && status.fallback) lines.push(`Why SSE: ${FALLBACK_SENTENCE[status.fallback]}${status.fallback === 'pinned' ? '' : ' WebSocket is tried again in the background.'}`)
  return lines
}

export function sameLiveStatus(a: LiveStatus, b: LiveStatus): boolean {
  return a.state === b.state && a.transport === b.transport && a.fallback === b.fallback && a.tabs === b.tabs && a.holder === b.holder && a.shared === b.shared
}

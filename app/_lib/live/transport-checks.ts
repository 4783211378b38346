'use client'
import { WS_PATH } from '@/server/transport/ws/socket-protocol'

/** A WebSocket (or an HTTP check) not answering by then is taken as blocked (or the server as down). */
export const WS_OPEN_TIMEOUT_MS = 3_000

export function webSocketUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`
}

/** Whether plain HTTP reaches the server: tells "WebSocket blocked" from "server down". */
export async function serverAnswersHttp(): Promise<boolean> {
  try {
    const response = await fetch('/api/health', { cache: 'no-store', signal: AbortSignal.timeout(WS_OPEN_TIMEOUT_MS) })
    return response.ok
  } catch {
    return false
  }
}

/**
 * Opens a throwaway WebSocket and exchanges one PING/PONG with the tRPC server: only a socket that
 * carries messages both ways (not one a proxy opens and kills) counts. `settle(true)` once it did,
 * `settle(false)` when it closed or gave up first. Returns the function that abandons the probe.
 */
export function probeWebSocket(settle: (works: boolean) => void): () => void {
  const socket = new WebSocket(webSocketUrl())
  const giveUp = setTimeout(() => socket.close(), WS_OPEN_TIMEOUT_MS)
  let answered = false
  let abandoned = false
  socket.onopen = () => socket.send('PING')
  socket.onmessage = (message) => {
    if (message.data !== 'PONG') return
    answered = true
    socket.close()
  }
  socket.onclose = () => {
    clearTimeout(giveUp)
    if (!abandoned) settle(answered)
  }
  return () => {
    abandoned = true
    socket.close()
  }
}

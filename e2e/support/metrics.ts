import { METRICS_PORT } from './ports'

export type ServerCounts = { webSockets: number; webSocketStreams: number; sseStreams: number }

/** Connections as the app under test counts them (its METRICS_PORT). */
export async function serverCounts(port = METRICS_PORT): Promise<ServerCounts> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN)
  return {
    webSockets: value(/^relay_websocket_connections (\d+)$/m),
    webSocketStreams: value(/^relay_event_streams\{transport="websocket"\} (\d+)$/m),
    sseStreams: value(/^relay_event_streams\{transport="sse"\} (\d+)$/m),
  }
}

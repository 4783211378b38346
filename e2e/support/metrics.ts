import { METRICS_PORT } from './ports'

export type ServerCounts = { webSockets: number; webSocketStreams: number; sseStreams: number }

async function metrics(port: number): Promise<(pattern: RegExp) => number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  return (pattern) => Number(pattern.exec(text)?.[1] ?? Number.NaN)
}

/** Connections as the app under test counts them (its METRICS_PORT). */
export async function serverCounts(port = METRICS_PORT): Promise<ServerCounts> {
  const value = await metrics(port)
  return {
    webSockets: value(/^relay_websocket_connections (\d+)$/m),
    webSocketStreams: value(/^relay_event_streams\{transport="websocket"\} (\d+)$/m),
    sseStreams: value(/^relay_event_streams\{transport="sse"\} (\d+)$/m),
  }
}

/** The app's own memory, as it reports it. */
export async function serverMemory(port = METRICS_PORT): Promise<{ heapUsed: number; rss: number }> {
  const value = await metrics(port)
  return { heapUsed: value(/^nodejs_heap_used_bytes (\d+)$/m), rss: value(/^process_resident_memory_bytes (\d+)$/m) }
}

import { createServer, type Server } from 'node:http'
import { processWide } from './process-wide.ts'

/** What an operator watches on one instance. */
type Gauges = {
  /** Sockets open on /api/ws (a browser holds one for all its tabs). */
  webSockets: number
  /** Open events.stream subscriptions, by transport. */
  streams: { websocket: number; sse: number }
}

// Counted by both module copies in the process (the custom server's and Next's route handlers').
function gauges(): Gauges {
  return processWide<Gauges>('gauges', () => ({ webSockets: 0, streams: { websocket: 0, sse: 0 } }))
}

/** A socket opened (+1) or closed (-1): each socket counts once each way. */
export function countWebSocket(change: 1 | -1): void {
  gauges().webSockets += change
}

/** An events.stream subscription opened (+1) or ended (-1): each counts once each way. */
export function countStream(transport: keyof Gauges['streams'], change: 1 | -1): void {
  gauges().streams[transport] += change
}

/** The gauges in Prometheus' text format. */
export function renderMetrics(): string {
  const { webSockets, streams } = gauges()
  const memory = process.memoryUsage()
  return [
    '# HELP relay_websocket_connections WebSocket connections open on /api/ws.',
    '# TYPE relay_websocket_connections gauge',
    `relay_websocket_connections ${webSockets}`,
    '# HELP relay_event_streams Live event subscriptions (events.stream) open, by transport.',
    '# TYPE relay_event_streams gauge',
    `relay_event_streams{transport="websocket"} ${streams.websocket}`,
    `relay_event_streams{transport="sse"} ${streams.sse}`,
    '# HELP process_resident_memory_bytes Resident memory of this process.',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${memory.rss}`,
    '# HELP nodejs_heap_used_bytes V8 heap in use.',
    '# TYPE nodejs_heap_used_bytes gauge',
    `nodejs_heap_used_bytes ${memory.heapUsed}`,
    '',
  ].join('\n')
}

/** Serves GET /metrics on its own port (METRICS_PORT), away from the public one. */
export function serveMetrics(port: number, host: string): Server {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(renderMetrics())
  })
  server.listen(port, host)
  return server
}

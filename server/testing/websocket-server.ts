import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { attachWebSocket, type AttachOptions } from '../transport/ws/attach.ts'
import { WS_PATH } from '../transport/ws/socket-protocol.ts'

export type TestWebSocketServer = { server: Server; url: string; origin: string; close(): Promise<void> }

/** An HTTP server on a free loopback port answering 404, with the app's WebSocket endpoint attached. */
export async function startWebSocketServer(options: AttachOptions): Promise<TestWebSocketServer> {
  const server = createServer((_req, res) => res.writeHead(404).end())
  attachWebSocket(server, options)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    url: `ws://127.0.0.1:${port}${WS_PATH}`,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

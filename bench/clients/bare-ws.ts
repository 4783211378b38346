import { openWebSocket } from './open-websocket.ts'
import type { ServerClient } from './types.ts'

const wsUrl = (url: string, room: string, role: string) => `${url.replace(/^http/, 'ws')}/?room=${encodeURIComponent(room)}&role=${role}`

export const bareWsClient: ServerClient = {
  async subscribe(target, _index, onFrame) {
    const socket = await openWebSocket(wsUrl(target.url, target.room, 'subscriber'))
    socket.on('message', (data) => onFrame(String(data)))
    return { close: () => socket.close() }
  },
  async openPublisher(target) {
    const socket = await openWebSocket(wsUrl(target.url, target.room, 'publisher'))
    return {
      send: (text, clientId) => socket.send(JSON.stringify({ text, clientId })),
      failures: () => 0,
      close: () => socket.close(),
    }
  },
}

import { openWebSocket } from './open-websocket.ts'
import { roomsOfSubscriber, type ServerClient } from './types.ts'

const wsUrl = (url: string, rooms: string[], role: string) => `${url.replace(/^http/, 'ws')}/?rooms=${encodeURIComponent(rooms.join(','))}&role=${role}`

export const bareWsClient: ServerClient = {
  async subscribe(target, index, onFrame) {
    const socket = await openWebSocket(wsUrl(target.url, roomsOfSubscriber(target, index), 'subscriber'))
    socket.on('message', (data) => onFrame(String(data)))
    return { close: () => socket.close() }
  },
  async openPublisher(target) {
    const socket = await openWebSocket(wsUrl(target.url, [target.room], 'publisher'))
    return {
      send: (text, clientId, room = target.room) => socket.send(JSON.stringify({ text, clientId, room })),
      failures: () => 0,
      close: () => socket.close(),
    }
  },
}

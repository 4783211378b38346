// Speaks Engine.IO 4 / Socket.IO 5 directly over `ws` (what socket.io-client sends on its WebSocket
// transport), so the load generator spends as little as it can per frame.
import type WebSocket from 'ws'
import { openWebSocket } from './open-websocket.ts'
import { roomsOfSubscriber, type ServerClient } from './types.ts'

const PING = '2'
const PONG = '3'
const CONNECT_DEFAULT_NAMESPACE = '40'

async function connect(url: string, rooms: string[], role: string): Promise<WebSocket> {
  const socket = await openWebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket&rooms=${encodeURIComponent(rooms.join(','))}&role=${role}`)
  socket.on('message', (data) => {
    if (String(data) === PING) socket.send(PONG)
  })
  socket.send(CONNECT_DEFAULT_NAMESPACE)
  return socket
}

export const socketIoClient: ServerClient = {
  async subscribe(target, index, onFrame) {
    const socket = await connect(target.url, roomsOfSubscriber(target, index), 'subscriber')
    await new Promise<void>((resolve) => {
      socket.on('message', (data) => {
        const frame = String(data)
        if (frame === '42["joined"]') resolve()
        else onFrame(frame)
      })
    })
    return { close: () => socket.close() }
  },
  async openPublisher(target) {
    const socket = await connect(target.url, [target.room], 'publisher')
    return {
      send: (text, clientId, room = target.room) => socket.send(`42${JSON.stringify(['send', { text, clientId, room }])}`),
      failures: () => 0,
      close: () => socket.close(),
    }
  },
}

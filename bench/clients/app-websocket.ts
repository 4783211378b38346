// The app over its WebSocket, in tRPC's wire format (what the browser's wsLink sends).
import type WebSocket from 'ws'
import { openWebSocket } from './open-websocket.ts'
import type { ServerClient } from './types.ts'

const STREAM_ID = 1

async function connect(url: string, cookie: string): Promise<WebSocket> {
  const socket = await openWebSocket(`${url.replace(/^http/, 'ws')}/api/ws`, { cookie, origin: url })
  // tRPC's keep-alive: the server pings with a text frame and drops a socket that does not answer.
  socket.on('message', (data) => {
    if (String(data) === 'PING') socket.send('PONG')
  })
  return socket
}

export const appWebSocketClient: ServerClient = {
  async subscribe(target, index, onFrame) {
    const socket = await connect(target.url, target.memberCookies[index % target.memberCookies.length]!)
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        const frame = String(data)
        if (frame.includes('"type":"ready"')) resolve()
        else if (frame.includes('"error"')) reject(new Error(`events.stream refused: ${frame}`))
        else onFrame(frame)
      })
      socket.send(JSON.stringify({ id: STREAM_ID, method: 'subscription', params: { path: 'events.stream', input: {} } }))
    })
    return { close: () => socket.close() }
  },
  async openPublisher(target) {
    const socket = await connect(target.url, target.senderCookie)
    let nextId = STREAM_ID + 1
    let failures = 0
    socket.on('message', (data) => {
      if (String(data).includes('"error"')) failures++
    })
    return {
      send: (text, clientId, room = target.room) =>
        socket.send(JSON.stringify({ id: nextId++, method: 'mutation', params: { path: 'message.send', input: { roomId: room, text, clientId } } })),
      failures: () => failures,
      close: () => socket.close(),
    }
  },
}

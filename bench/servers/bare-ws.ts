// Baseline 1, the floor: a bare `ws` room broadcast with a `Map<room, Set<socket>>`. Each published
// message is encoded once and the same bytes go to every subscriber of its room. A subscriber is in
// the rooms its `rooms` parameter lists; a publisher's message names its room. Started by bench/run.ts: node --import tsx bench/servers/bare-ws.ts PORT
import { randomUUID } from 'node:crypto'
import { WebSocketServer, type WebSocket } from 'ws'

const port = Number(process.argv[2])
const rooms = new Map<string, Set<WebSocket>>()
const seqs = new Map<string, number>()
const server = new WebSocketServer({ port, host: '127.0.0.1', maxPayload: 64 * 1024 })

server.on('connection', (socket, req) => {
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams
  const joined = (params.get('rooms') ?? 'lobby').split(',')
  if (params.get('role') === 'publisher') {
    socket.on('message', (data) => {
      const { text, clientId, room } = JSON.parse(String(data)) as { text: string; clientId: string; room: string }
      const seq = (seqs.get(room) ?? 0) + 1
      seqs.set(room, seq)
      const message = { id: randomUUID(), roomId: room, seq, text, clientId, author: { id: 'publisher', name: 'Publisher' }, createdAt: new Date().toISOString() }
      const frame = Buffer.from(JSON.stringify({ type: 'message', message }))
      for (const subscriber of rooms.get(room) ?? []) subscriber.send(frame, { binary: false })
    })
    return
  }
  for (const room of joined) {
    const members = rooms.get(room) ?? new Set()
    rooms.set(room, members)
    members.add(socket)
  }
  socket.on('close', () => joined.forEach((room) => rooms.get(room)?.delete(socket)))
})

server.on('listening', () => console.log(`ready on ${port}`))

// Baseline 2, what people pick instead: Socket.IO, WebSocket transport only, `io.to(room).emit`.
// Started by bench/run.ts: node --import tsx bench/servers/socket-io.ts PORT
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { Server } from 'socket.io'

const port = Number(process.argv[2])
const httpServer = createServer()
const io = new Server(httpServer, { transports: ['websocket'], serveClient: false, maxHttpBufferSize: 64 * 1024 })
const seqs = new Map<string, number>()

io.on('connection', (socket) => {
  const rooms = String(socket.handshake.query.rooms ?? 'lobby').split(',')
  if (socket.handshake.query.role === 'publisher') {
    socket.on('send', ({ text, clientId, room }: { text: string; clientId: string; room: string }) => {
      const seq = (seqs.get(room) ?? 0) + 1
      seqs.set(room, seq)
      const message = { id: randomUUID(), roomId: room, seq, text, clientId, author: { id: 'publisher', name: 'Publisher' }, createdAt: new Date().toISOString() }
      io.to(room).emit('event', { type: 'message', message })
    })
    return
  }
  void socket.join(rooms)
  socket.emit('joined')
})

httpServer.listen(port, '127.0.0.1', () => console.log(`ready on ${port}`))

// The app over Server-Sent Events (the route handler) and HTTP sends, as the browser's
// httpSubscriptionLink and httpBatchLink use them.
import { Agent, request } from 'node:http'
import type { ServerClient } from './types.ts'

export const appSseClient: ServerClient = {
  subscribe(target, index, onFrame) {
    const cookie = target.memberCookies[index % target.memberCookies.length]!
    return new Promise((resolve, reject) => {
      const input = encodeURIComponent('{}')
      const req = request(`${target.url}/api/trpc/events.stream?input=${input}`, { agent: false, headers: { cookie, accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`events.stream answered ${res.statusCode}`))
        res.setEncoding('utf8')
        let buffer = ''
        res.on('data', (chunk: string) => {
          buffer += chunk
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const event = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            if (event.includes('"type":"ready"')) resolve({ close: () => req.destroy() })
            else onFrame(event)
          }
        })
      })
      req.on('error', reject)
      req.end()
    })
  },
  async openPublisher(target) {
    const agent = new Agent({ keepAlive: true, maxSockets: 16 })
    let failures = 0
    return {
      send(text, clientId, room = target.room) {
        const body = JSON.stringify({ roomId: room, text, clientId })
        const req = request(`${target.url}/api/trpc/message.send`, { method: 'POST', agent, headers: { cookie: target.senderCookie, 'content-type': 'application/json', origin: target.url } }, (res) => {
          if (res.statusCode !== 200) failures++
          res.resume()
        })
        req.on('error', () => failures++)
        req.end(body)
      },
      failures: () => failures,
      close: () => agent.destroy(),
    }
  },
}

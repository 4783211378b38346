// One flood, in a process of its own (`node --import tsx e2e/flood/attacker.ts <kind> <json>`), so
// that its busy loop takes a core of its own and not the measured person's: prints its report as
// one JSON line when done.
import { floodHttp, floodStreams, floodWebSocket, sleep, stalledStreams } from './floods.ts'

export type AttackKind = 'ws-queries' | 'ws-frames' | 'http-batches' | 'sse-streams' | 'sse-stalled'
export type AttackOptions = { baseUrl: string; cookie: string; userId: string; ms: number; count?: number }

const [kind, json] = process.argv.slice(2) as [AttackKind, string]
const { baseUrl, cookie, userId, ms, count = 10 } = JSON.parse(json) as AttackOptions
const account = { cookie, userId }
const endsAt = performance.now() + ms

const report = await (async () => {
  switch (kind) {
    case 'ws-queries':
      return floodWebSocket(baseUrl, account, endsAt, (n) => JSON.stringify({ id: n, method: 'query', params: { path: 'room.list' } }))
    case 'ws-frames':
      return floodWebSocket(baseUrl, account, endsAt, () => 'x')
    case 'http-batches':
      return floodHttp(baseUrl, account, endsAt)
    case 'sse-streams':
      return floodStreams(baseUrl, account, endsAt)
    case 'sse-stalled': {
      const hangUp = await stalledStreams(baseUrl, account, count)
      // Told by the parent when to hang up (it measures memory meanwhile), or at the deadline.
      await Promise.race([sleep(ms), new Promise((resolve) => process.once('message', resolve))])
      hangUp()
      return { sent: count, answered: 0, refused: 0, sockets: count, closeCodes: [] }
    }
  }
})()
console.log(JSON.stringify(report))
process.exit(0)

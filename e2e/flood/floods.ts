// The clients the flood run turns loose on the app: each asks as fast as it can, from its own
// client address (127.0.0.2, so the per-address limit sees it apart from the victim), and
// reports what it got.
import { Agent, request } from 'node:http'
import { connect, type Socket } from 'node:net'
import WebSocket from 'ws'
import type { Account } from '../../bench/support/app-client.ts'

export const ATTACKER_ADDRESS = '127.0.0.2'

export type FloodReport = { sent: number; answered: number; refused: number; sockets: number; closeCodes: number[] }

/** Keeps at most this much unsent on a flooding socket, so the flood is limited by the server, not by our own memory. */
const MAX_UNSENT_BYTES = 256 * 1024
const FRAMES_PER_TURN = 500

/**
 * One WebSocket after another until `endsAt`, each sending `frame()` as fast as it will take
 * them; a socket the server closes is replaced (an attacker does not give up).
 */
export async function floodWebSocket(baseUrl: string, account: Account, endsAt: number, frame: (n: number) => string): Promise<FloodReport> {
  const report: FloodReport = { sent: 0, answered: 0, refused: 0, sockets: 0, closeCodes: [] }
  while (performance.now() < endsAt) {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/ws`, { headers: { cookie: account.cookie, origin: baseUrl }, localAddress: ATTACKER_ADDRESS })
    const opened = await new Promise<boolean>((resolve) => socket.once('open', () => resolve(true)).once('error', () => resolve(false)))
    if (!opened) {
      await sleep(50)
      continue
    }
    report.sockets++
    socket.on('message', (data) => {
      const text = String(data)
      if (text.includes('TOO_MANY_REQUESTS') || text.includes('SERVICE_UNAVAILABLE')) report.refused++
      else report.answered++
    })
    const closed = new Promise<void>((resolve) => socket.once('close', (code) => (report.closeCodes.push(code), resolve())))
    const pump = () => {
      // A few hundred frames at a time, then a turn of the event loop: the attacker reads what comes back.
      for (let i = 0; i < FRAMES_PER_TURN && socket.readyState === WebSocket.OPEN && socket.bufferedAmount < MAX_UNSENT_BYTES && performance.now() < endsAt; i++) socket.send(frame(report.sent++))
      if (socket.readyState === WebSocket.OPEN && performance.now() < endsAt) setImmediate(pump)
      else if (socket.readyState === WebSocket.OPEN) socket.close()
    }
    pump()
    await closed
  }
  return report
}

/** `workers` keep-alive connections each sending batches of 20 queries back to back until `endsAt`. */
export async function floodHttp(baseUrl: string, account: Account, endsAt: number, workers = 8): Promise<FloodReport & { statuses: Record<number, number> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: workers, localAddress: ATTACKER_ADDRESS })
  const report = { sent: 0, answered: 0, refused: 0, sockets: workers, closeCodes: [] as number[], statuses: {} as Record<number, number> }
  const paths = Array.from({ length: 20 }, () => 'room.list').join(',')
  const once = () =>
    new Promise<void>((resolve) => {
      report.sent++
      const req = request(`${baseUrl}/api/trpc/${paths}?batch=1&input=%7B%7D`, { agent, headers: { cookie: account.cookie } }, (res) => {
        report.statuses[res.statusCode!] = (report.statuses[res.statusCode!] ?? 0) + 1
        if (res.statusCode === 429 || res.statusCode === 503) report.refused++
        else report.answered++
        res.resume()
        res.on('end', resolve)
      })
      req.on('error', () => resolve())
      req.end()
    })
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < endsAt) await once()
    }),
  )
  agent.destroy()
  return report
}

/** Opens SSE streams of one user back to back, `parallel` at a time, until `endsAt`: each reads until the server ends it. */
export async function floodStreams(baseUrl: string, account: Account, endsAt: number, parallel = 30): Promise<FloodReport & { statuses: Record<number, number> }> {
  const agent = new Agent({ keepAlive: false, localAddress: ATTACKER_ADDRESS })
  const report = { sent: 0, answered: 0, refused: 0, sockets: 0, closeCodes: [] as number[], statuses: {} as Record<number, number> }
  const once = () =>
    new Promise<void>((resolve) => {
      report.sent++
      const req = request(`${baseUrl}/api/trpc/events.stream?input=%7B%7D`, { agent, headers: { cookie: account.cookie, accept: 'text/event-stream' } }, (res) => {
        report.statuses[res.statusCode!] = (report.statuses[res.statusCode!] ?? 0) + 1
        if (res.statusCode !== 200) report.refused++
        else report.sockets++
        res.resume()
        res.on('end', resolve)
        res.on('error', () => resolve())
        // The stream would run for ever: this attacker hangs up after a moment and opens another.
        setTimeout(() => req.destroy(), 2_000)
      })
      req.on('error', () => resolve())
      req.end()
    })
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (performance.now() < endsAt) await once()
    }),
  )
  agent.destroy()
  return report
}

/** Streams that ask for the whole backlog (from event 0) and then never read a byte. Returns the function that hangs them up. */
export async function stalledStreams(baseUrl: string, account: Account, count: number): Promise<() => void> {
  const { hostname, port } = new URL(baseUrl)
  const sockets: Socket[] = []
  for (let i = 0; i < count; i++) {
    const socket = connect({ host: hostname, port: Number(port), localAddress: ATTACKER_ADDRESS })
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject))
    // A small window: the kernel's buffers fill at once and everything else waits on the server.
    socket.setNoDelay(true)
    socket.write(
      [`GET /api/trpc/events.stream?input=%7B%7D HTTP/1.1`, `Host: ${hostname}:${port}`, `Cookie: ${account.cookie}`, 'Accept: text/event-stream', 'Last-Event-ID: 0', '', ''].join('\r\n'),
    )
    socket.pause()
    sockets.push(socket)
  }
  return () => sockets.forEach((socket) => socket.destroy())
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

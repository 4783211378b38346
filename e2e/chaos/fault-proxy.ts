// A TCP proxy between the chaos clients and the server that breaks connections on purpose:
// kill one (both ends closed, as when Wi-Fi drops) or freeze one (nothing passes and nothing
// closes: a half-open connection that only a heartbeat can notice).
import { createConnection, createServer, type Socket } from 'node:net'

/** What a connection carries, from its first request line. */
export type ConnectionKind = 'websocket' | 'sse' | 'http'

/** `who` is the Cookie header of the connection's latest request: which client it serves. */
type Link = { client: Socket; upstream: Socket; kind: ConnectionKind; who: string; streamSince: number; lastDataAt: number; frozen: boolean }

/** A stream that carried nothing from the server for this long may be one its client already left. */
const IN_USE_WITHIN_MS = 1_000

/** A frozen stream: whose it is, and the milliseconds until that client opened a new one. */
export type Frozen = { who: string; replaced: Promise<number>; release(): void }

export type FaultProxy = {
  port: number
  /** Closes a random open connection of one of these kinds; false if there is none. */
  kill(kinds: readonly ConnectionKind[]): boolean
  /** True while a client's frozen stream has not been replaced: leave that client alone. */
  isFrozen(who: string): boolean
  /**
   * Freezes a random client's current stream of this kind. Resolves with the milliseconds until the same client opened a
   * new stream, that is, until its heartbeat noticed.
   */
  freeze(kind: 'websocket' | 'sse'): Frozen | undefined
  close(): Promise<void>
}

export async function startFaultProxy(upstreamPort: number): Promise<FaultProxy> {
  const links = new Set<Link>()
  const streamOpened = new Set<(link: Link) => void>()

  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: upstreamPort })
    const link: Link = { client, upstream, kind: 'http', who: '', streamSince: 0, lastDataAt: 0, frozen: false }
    links.add(link)
    // Keep-alive connections carry one request after another: classify each as it starts.
    client.on('data', (chunk: Buffer) => {
      const request = requestHead(chunk)
      if (request) {
        link.kind = request.kind
        link.who = request.who
        if (link.kind === 'http') return void upstream.write(chunk)
        link.streamSince = performance.now()
        for (const notify of streamOpened) notify(link)
      }
      upstream.write(chunk)
    })
    upstream.on('data', () => (link.lastDataAt = performance.now()))
    upstream.pipe(client)
    const drop = () => {
      links.delete(link)
      if (link.frozen) return
      client.destroy()
      upstream.destroy()
    }
    client.on('close', drop).on('error', drop)
    upstream.on('close', drop).on('error', drop)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }

  const frozenClients = new Set<string>()
  const pick = (kinds: readonly ConnectionKind[]) => {
    const candidates = [...links].filter((link) => kinds.includes(link.kind) && !link.frozen && !frozenClients.has(link.who))
    return candidates[Math.floor(Math.random() * candidates.length)]
  }
  /**
   * Each client's newest stream, if the server is writing to it: an older or silent one may be a
   * connection the client has just left (a transport switch), whose freezing nobody would notice.
   */
  const currentStreams = () => {
    const newest = new Map<string, Link>()
    for (const link of links) {
      if (link.kind === 'http' || link.frozen || frozenClients.has(link.who)) continue
      if ((newest.get(link.who)?.streamSince ?? -1) < link.streamSince) newest.set(link.who, link)
    }
    return [...newest.values()].filter((link) => performance.now() - link.lastDataAt < IN_USE_WITHIN_MS)
  }

  return {
    port,
    kill(kinds) {
      const link = pick(kinds)
      if (!link) return false
      link.client.destroy()
      link.upstream.destroy()
      return true
    },
    isFrozen: (who) => frozenClients.has(who),
    freeze(kind) {
      const streams = currentStreams().filter((link) => link.kind === kind)
      const link = streams[Math.floor(Math.random() * streams.length)]
      if (!link) return undefined
      frozenClients.add(link.who)
      const frozenAt = performance.now()
      link.frozen = true
      link.client.removeAllListeners('data')
      link.upstream.unpipe(link.client)
      // Bytes from the client vanish; the server's end is held open and silent.
      link.client.resume()
      link.upstream.pause()
      let onStream: (opened: Link) => void = () => {}
      const release = () => {
        streamOpened.delete(onStream)
        frozenClients.delete(link.who)
        link.client.destroy()
        link.upstream.destroy()
      }
      const replaced = new Promise<number>((resolve) => {
        onStream = (opened: Link) => {
          if (opened.who !== link.who) return
          release()
          resolve(performance.now() - frozenAt)
        }
        streamOpened.add(onStream)
      })
      return { who: link.who, replaced, release }
    },
    async close() {
      for (const link of links) {
        link.client.destroy()
        link.upstream.destroy()
      }
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function requestHead(chunk: Buffer): { kind: ConnectionKind; who: string } | undefined {
  const head = chunk.subarray(0, 4_096).toString('latin1')
  if (!/^[A-Z]+ \/\S* HTTP\/1\.1\r\n/.test(head)) return undefined
  const kind = head.startsWith('GET /api/ws') ? 'websocket' : head.startsWith('GET /api/trpc/events.stream') ? 'sse' : 'http'
  return { kind, who: /\r\ncookie: *([^\r]*)/i.exec(head)?.[1] ?? '' }
}

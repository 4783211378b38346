// The person the flood run protects: signed in over one WebSocket like the browser (the stream
// and the sends on the same socket), sending a message every 125 ms and timing, for each, the
// answer to the send and its arrival on the stream; and a health check polled all the while.
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import type { Account } from '../../bench/support/app-client.ts'

const SEND_EVERY_MS = 125
const HEALTH_EVERY_MS = 250
const HEALTH_TIMEOUT_MS = 1_000

export type Sample = { at: number; answerMs: number; deliveryMs: number }

export type Victim = {
  /** Samples whose send was made in [from, to) (performance.now()). */
  samples(from: number, to: number): Sample[]
  /** Health checks in [from, to): how many, and the slowest (a timeout counts as HEALTH_TIMEOUT_MS + 1). */
  health(from: number, to: number): { checks: number; slowestMs: number; failed: number }
  stop(): void
}

export async function startVictim(baseUrl: string, person: Account & { roomId: string }): Promise<Victim> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/ws`, { headers: { cookie: person.cookie, origin: baseUrl } })
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  const sentAt = new Map<string, { at: number; answerMs?: number; deliveryMs?: number }>()
  const samples: Sample[] = []
  // The answer and the stream's copy may come in either order: a sample is complete with both.
  const settle = (id: string) => {
    const sent = sentAt.get(id)
    if (sent?.answerMs === undefined || sent.deliveryMs === undefined) return
    samples.push({ at: sent.at, answerMs: sent.answerMs, deliveryMs: sent.deliveryMs })
    sentAt.delete(id)
  }
  let ready: () => void = () => {}
  const live = new Promise<void>((resolve) => (ready = resolve))
  socket.on('message', (data) => {
    const frame = String(data)
    if (frame === 'PING') return socket.send('PONG')
    const reply = JSON.parse(frame) as { id: number | string; result?: { data?: { data?: { type: string; message?: { clientId: string } } } } }
    const now = performance.now()
    if (reply.id === 'stream') {
      const event = reply.result?.data?.data
      if (event?.type === 'ready') ready()
      const clientId = event?.type === 'message' ? event.message!.clientId : undefined
      const sent = clientId ? sentAt.get(clientId) : undefined
      if (!sent) return
      sent.deliveryMs = now - sent.at
      return settle(clientId!)
    }
    const sent = sentAt.get(String(reply.id))
    if (!sent) return
    sent.answerMs = now - sent.at
    settle(String(reply.id))
  })
  socket.send(JSON.stringify({ id: 'stream', method: 'subscription', params: { path: 'events.stream', input: { asUserId: person.userId } } }))
  await live

  const sender = setInterval(() => {
    const clientId = randomUUID()
    sentAt.set(clientId, { at: performance.now() })
    socket.send(JSON.stringify({ id: clientId, method: 'mutation', params: { path: 'message.send', input: { roomId: person.roomId, text: `still here ${clientId}`, clientId, asUserId: person.userId } } }))
  }, SEND_EVERY_MS)

  const checks: { at: number; ms: number; ok: boolean }[] = []
  const poller = setInterval(() => {
    const at = performance.now()
    fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) }).then(
      (response) => checks.push({ at, ms: performance.now() - at, ok: response.ok }),
      () => checks.push({ at, ms: HEALTH_TIMEOUT_MS + 1, ok: false }),
    )
  }, HEALTH_EVERY_MS)

  return {
    samples: (from, to) => samples.filter((sample) => sample.at >= from && sample.at < to),
    health(from, to) {
      const within = checks.filter((check) => check.at >= from && check.at < to)
      return { checks: within.length, slowestMs: Math.max(0, ...within.map((check) => check.ms)), failed: within.filter((check) => !check.ok).length }
    },
    stop() {
      clearInterval(sender)
      clearInterval(poller)
      socket.close()
    },
  }
}

/** The p-th percentile (0–1) of the values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

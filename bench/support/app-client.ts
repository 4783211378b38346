// A minimal HTTP client for the running app: sign up, call tRPC procedures, read the SSE stream.
import { randomUUID } from 'node:crypto'

export type Account = { cookie: string; userId: string }

export async function signUp(baseUrl: string, name: string): Promise<Account> {
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ name, email: `${name.toLowerCase()}-${randomUUID()}@bench.local`, password: `pw-${randomUUID()}` }),
  })
  if (!response.ok) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`)
  const cookie = response.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ')
  const { user } = (await response.json()) as { user: { id: string } }
  return { cookie, userId: user.id }
}

export async function mutate<T>(baseUrl: string, account: Account, path: string, input: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: account.cookie },
    body: JSON.stringify(input),
  })
  const body = (await response.json()) as { result?: { data: T }; error?: unknown }
  if (!response.ok || !body.result) throw new Error(`${path} failed: ${response.status} ${JSON.stringify(body.error)}`)
  return body.result.data
}

/** Reads `events.stream` over SSE and calls onEvent with each data payload. Returns a stop function. */
export function readSse(baseUrl: string, account: Account, onEvent: (data: { type: string; message?: { clientId: string } }) => void): () => void {
  const controller = new AbortController()
  void (async () => {
    const response = await fetch(`${baseUrl}/api/trpc/events.stream?input=${encodeURIComponent('{}')}`, {
      headers: { cookie: account.cookie, accept: 'text/event-stream' },
      signal: controller.signal,
    })
    const decoder = new TextDecoder()
    let buffer = ''
    const reader = response.body!.getReader()
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buffer += decoder.decode(chunk.value, { stream: true })
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const data = block.split('\n').find((line) => line.startsWith('data: '))
          if (data && !block.startsWith('event:')) onEvent(JSON.parse(data.slice(6)))
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error
    }
  })()
  return () => controller.abort()
}

/** Reads `events.stream` over the app's WebSocket (tRPC's wire format) and calls onEvent with each event. Resolves once open. */
export async function readWebSocket(baseUrl: string, account: Account, onEvent: (data: { type: string; message?: { clientId: string } }) => void): Promise<() => void> {
  const { default: WebSocket } = await import('ws')
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/ws`, { headers: { cookie: account.cookie } })
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  socket.on('message', (raw) => {
    const text = String(raw)
    if (text === 'PING') return socket.send('PONG')
    const data = (JSON.parse(text) as { result?: { data?: { data?: { type: string; message?: { clientId: string } } } } }).result?.data?.data
    if (data) onEvent(data)
  })
  socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'events.stream', input: {} } }))
  return () => socket.close()
}

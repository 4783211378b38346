// Start-up time of the production build on an empty database and on one holding 10,000 messages.
// Usage: npm run build && npx tsx bench/startup-time.ts [messages]
// Uses a fresh embedded database, or DATABASE_URL when set (its existing rows count too).
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { mutate, signUp } from './support/app-client.ts'

const messages = Number(process.argv[2] ?? 10_000)
const port = 3700 + Math.floor(Math.random() * 200)
const baseUrl = `http://127.0.0.1:${port}`
const dataDir = mkdtempSync(path.join(tmpdir(), 'relay-startup-'))

/** Starts the server; resolves with the time from spawn to "ready" and a stop function. */
async function start(): Promise<{ ms: number; stop(): Promise<void> }> {
  const startedAt = performance.now()
  const server = spawn('node', ['dist/server.js'], {
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), DATA_DIR: dataDir, AUTH_RATE_LIMIT_PER_MINUTE: '10000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => String(chunk).includes('[server] ready') && resolve())
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
  const ms = performance.now() - startedAt
  return {
    ms,
    stop: () =>
      new Promise((resolve) => {
        server.once('exit', () => resolve())
        server.kill('SIGTERM')
      }),
  }
}

const empty = await start()
const author = await signUp(baseUrl, 'Seeder')
const room = await mutate<{ id: string }>(baseUrl, author, 'room.create', { name: `history ${Date.now()}` })
let next = 0
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < messages) {
      next += 1
      await mutate(baseUrl, author, 'message.send', { roomId: room.id, text: `seed message ${next}`, clientId: randomUUID() })
    }
  }),
)
await empty.stop()
const full = await start()
await full.stop()

const where = process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'
console.log(`start-up to ready (production build, ${where}, spawn → listening):`)
console.log(`  empty database (first start, creates and migrates): ${Math.round(empty.ms)} ms`)
console.log(`  ${messages.toLocaleString('en')} messages stored: ${Math.round(full.ms)} ms`)

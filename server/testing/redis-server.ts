import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { waitForPort } from './wait-for-port.ts'

export type TestRedis = {
  url: string
  port: number
  /** Stops the server (SIGKILL by default: a crash, not a polite shutdown). */
  stop(signal?: NodeJS.Signals): Promise<void>
  /** Starts it again on the same port, empty. */
  start(): Promise<void>
}

/**
 * A throwaway `redis-server` (from apt) on its own port, so a test can stop and restart Redis
 * without touching the machine's shared one. Nothing is persisted.
 */
export async function startTestRedis(port?: number): Promise<TestRedis> {
  const chosenPort = port ?? (await freePort())
  let child: ChildProcess | undefined
  const redis: TestRedis = {
    url: `redis://127.0.0.1:${chosenPort}`,
    port: chosenPort,
    async start() {
      const server = spawn(process.env.REDIS_SERVER_PATH ?? 'redis-server', ['--port', String(chosenPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      })
      child = server
      await waitForPort(chosenPort, server, 'redis-server')
    },
    async stop(signal = 'SIGKILL') {
      const server = child
      child = undefined
      if (!server || server.exitCode !== null || server.signalCode !== null) return
      const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()))
      server.kill(signal)
      await exited
    },
  }
  await redis.start()
  return redis
}

export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

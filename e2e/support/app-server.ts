import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export type AppServer = {
  url: string
  port: number
  dataDir: string
  /** The running process's id (benchmarks read its CPU and memory). */
  pid(): number | undefined
  stop(signal?: NodeJS.Signals): Promise<number | null>
  /** Starts (again) on the same data; `env` adds to the instance's environment for this run only. */
  start(env?: Record<string, string>): Promise<void>
}

export type AppServerOptions = {
  /** Added to (and overriding) the instance's environment. */
  env?: Record<string, string>
  /** Prefixes the instance's log lines, which are then shown (several instances in one run). */
  label?: string
}

/**
 * An instance of the production build that a test may stop and start (the main one belongs to
 * Playwright's webServer). Keeps its data across restarts: a fresh embedded database of its own,
 * or DATABASE_URL when set.
 */
export function appServer(port: number, { env = {}, label }: AppServerOptions = {}): AppServer {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'relay-e2e-restart-'))
  let child: ChildProcess | undefined
  return {
    url: `http://localhost:${port}`,
    port,
    dataDir,
    pid: () => child?.pid,
    async start(runEnv = {}) {
      const server = spawn('node', ['dist/server.js'], {
        env: {
          ...process.env,
          NODE_ENV: 'production',
          PORT: String(port),
          DATA_DIR: dataDir,
          AUTH_RATE_LIMIT_PER_MINUTE: '1000',
          BETTER_AUTH_SECRET: 'e2e-restart-secret-at-least-32-characters',
          ...env,
          ...runEnv,
        },
        stdio: ['ignore', 'pipe', label ? 'pipe' : 'inherit'],
      })
      child = server
      if (label) {
        for (const output of [server.stdout!, server.stderr!]) {
          output.on('data', (chunk: Buffer) => {
            for (const line of String(chunk).trimEnd().split('\n')) console.log(`    [${label}] ${line}`)
          })
        }
      }
      await new Promise<void>((resolve, reject) => {
        server.stdout!.on('data', (chunk: Buffer) => String(chunk).includes('[server] ready') && resolve())
        server.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready`)))
      })
    },
    async stop(signal = 'SIGTERM') {
      const server = child
      if (!server || server.exitCode !== null || server.signalCode !== null) return server?.exitCode ?? null
      const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)))
      server.kill(signal)
      return exited
    },
  }
}

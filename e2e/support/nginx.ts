import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'

export type RunningProxy = { stop(): Promise<void> }

/** Starts nginx (from apt) on loopback with one of the checked-in configs in e2e/nginx/. */
export async function startNginx(configName: string, { listenPort, upstreamPort }: { listenPort: number; upstreamPort: number }): Promise<RunningProxy> {
  const prefix = mkdtempSync(path.join(tmpdir(), 'relay-nginx-'))
  const template = readFileSync(path.resolve('e2e/nginx', configName), 'utf8')
  const config = template
    .replaceAll('__USER__', process.getuid?.() === 0 ? 'user root;' : '')
    .replaceAll('__PREFIX__', prefix)
    .replaceAll('__LISTEN_PORT__', String(listenPort))
    .replaceAll('__UPSTREAM_PORT__', String(upstreamPort))
  const configPath = path.join(prefix, 'nginx.conf')
  writeFileSync(configPath, config)
  const nginx: ChildProcess = spawn(process.env.NGINX_PATH ?? '/usr/sbin/nginx', ['-p', prefix, '-c', configPath], { stdio: ['ignore', 'inherit', 'inherit'] })
  const exited = new Promise<void>((resolve) => nginx.once('exit', () => resolve()))
  await waitForPort(listenPort, nginx)
  return {
    async stop() {
      nginx.kill('SIGQUIT')
      await exited
    },
  }
}

async function waitForPort(port: number, nginx: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited with code ${nginx.exitCode}`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end()
        resolve(true)
      })
      socket.on('error', () => resolve(false))
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`nginx did not listen on ${port} within ${timeoutMs} ms`)
}

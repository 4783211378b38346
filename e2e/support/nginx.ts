import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { waitForPort } from '../../server/testing/wait-for-port.ts'

export type RunningProxy = { stop(): Promise<void> }

/** Starts nginx (from apt) on loopback with one of the checked-in configs in e2e/nginx/. */
export async function startNginx(configName: string, { listenPort, upstreamPort }: { listenPort: number; upstreamPort: number }): Promise<RunningProxy> {
  const template = readFileSync(path.resolve('e2e/nginx', configName), 'utf8')
  return runNginx(listenPort, (prefix) =>
    template.replaceAll('__PREFIX__', prefix).replaceAll('__LISTEN_PORT__', String(listenPort)).replaceAll('__UPSTREAM_PORT__', String(upstreamPort)),
  )
}

/**
 * Starts nginx with the shipped deploy/nginx/relay.conf, unchanged but for its ports: it listens
 * on `listenPort` and balances over `instancePorts` (the file lists 3001, 3002, 3003).
 */
export async function startDeployNginx({ listenPort, instancePorts }: { listenPort: number; instancePorts: readonly number[] }): Promise<RunningProxy> {
  const shipped = readFileSync(path.resolve('deploy/nginx/relay.conf'), 'utf8')
  const upstreamLine = /^(\s*)server 127\.0\.0\.1:3001 (.*)$/m
  const template = upstreamLine.exec(shipped)
  if (!template || !/^\s*listen 8080;$/m.test(shipped)) throw new Error('deploy/nginx/relay.conf no longer has the lines this test moves (listen 8080; server 127.0.0.1:3001 …)')
  const servers = instancePorts.map((port) => `${template[1]}server 127.0.0.1:${port} ${template[2]}`).join('\n')
  const site = shipped
    .replace(/^\s*server 127\.0\.0\.1:300[1-9] .*\n/gm, '')
    .replace(/^(\s*)keepalive /m, `${servers}\n$1keepalive `)
    .replace(/^(\s*)listen 8080;$/m, `$1listen 127.0.0.1:${listenPort};`)
  return runNginx(listenPort, (prefix) => {
    writeFileSync(path.join(prefix, 'relay.conf'), site)
    const main = readFileSync(path.resolve('e2e/nginx/deploy-main.conf'), 'utf8')
    return main.replaceAll('__PREFIX__', prefix)
  })
}

async function runNginx(listenPort: number, configFor: (prefix: string) => string): Promise<RunningProxy> {
  const prefix = mkdtempSync(path.join(tmpdir(), 'relay-nginx-'))
  const config = configFor(prefix).replaceAll('__USER__', process.getuid?.() === 0 ? 'user root;' : '')
  const configPath = path.join(prefix, 'nginx.conf')
  writeFileSync(configPath, config)
  const nginx: ChildProcess = spawn(process.env.NGINX_PATH ?? '/usr/sbin/nginx', ['-p', prefix, '-c', configPath], { stdio: ['ignore', 'inherit', 'inherit'] })
  const exited = new Promise<void>((resolve) => nginx.once('exit', () => resolve()))
  await waitForPort(listenPort, nginx, 'nginx')
  return {
    async stop() {
      nginx.kill('SIGQUIT')
      await exited
    },
  }
}

// Child processes pinned to one core with `taskset`, so the server and the load generator never
// share a core and each one's CPU figures are its own.
import { spawn, type ChildProcess } from 'node:child_process'
import type { UsageReport } from './protocol.ts'

export type PinnedProcess = {
  child: ChildProcess
  /** The process's own process.cpuUsage() and memory; after two forced GCs when `gc` is set. */
  usage(gc?: boolean): Promise<UsageReport>
  /** Starts the CPU profiler in the process; with `writeTo`, stops it and writes the .cpuprofile there. */
  profile(writeTo?: string): Promise<void>
  /** Writes a .heapsnapshot of the process there. */
  heapSnapshot(writeTo: string): Promise<void>
  stop(): Promise<void>
}

export type PinnedOptions = {
  core: number
  nodeArgs: string[]
  env?: Record<string, string | undefined>
  /** Resolves the start once a line of the process's output contains this. */
  readyText: string
  label: string
  cwd?: string
}

export async function startPinned({ core, nodeArgs, env = {}, readyText, label, cwd }: PinnedOptions): Promise<PinnedProcess> {
  const child = spawn('taskset', ['-c', String(core), process.execPath, ...nodeArgs], {
    env: { ...process.env, ...env },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const onOutput = (chunk: Buffer) => {
      output = (output + String(chunk)).slice(-4_000)
      if (output.includes(readyText)) resolve()
    }
    child.stdout!.on('data', onOutput)
    child.stderr!.on('data', onOutput)
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code} before it was ready:\n${output}`)))
  })
  // Later output would only be noise in the report; errors still show.
  child.stderr!.removeAllListeners('data')
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`    [${label}] ${String(chunk)}`))
  child.stdout!.removeAllListeners('data')
  child.stdout!.resume()

  let nextId = 1
  /** Sends a request over IPC and resolves with the answer of the same type and id. */
  const ask = <Answer extends { type: string; id: number }>(request: { type: Answer['type'] } & Record<string, unknown>) => {
    const id = nextId++
    return new Promise<Answer>((resolve) => {
      const onMessage = (message: Answer) => {
        if (message?.type !== request.type || message.id !== id) return
        child.off('message', onMessage)
        resolve(message)
      }
      child.on('message', onMessage)
      child.send({ ...request, id })
    })
  }
  return {
    child,
    usage: (gc = false) => ask<UsageReport>({ type: 'usage', gc }),
    profile: async (writeTo) => void (await ask<{ type: 'profile'; id: number }>({ type: 'profile', writeTo })),
    heapSnapshot: async (writeTo) => void (await ask<{ type: 'heap-snapshot'; id: number }>({ type: 'heap-snapshot', writeTo })),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

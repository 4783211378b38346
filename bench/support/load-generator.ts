// The orchestrator's handle on bench/loadgen.ts, a process pinned to its own core.
import { spawn, type ChildProcess } from 'node:child_process'
import type { Target } from '../clients/types.ts'
import type { SendTransport } from '../clients/app-senders.ts'
import type { LoadCommand, LoadReply, PersistResult, RunResult, ServerKind } from './protocol.ts'

export type LoadGenerator = {
  subscribe(count: number): Promise<number>
  run(rate: number, seconds: number): Promise<RunResult>
  persist(transport: SendTransport, senders: number, seconds: number): Promise<PersistResult>
  close(): Promise<void>
}

let runs = 0

export async function startLoadGenerator(core: number, kind: ServerKind, target: Target): Promise<LoadGenerator> {
  const child: ChildProcess = spawn('taskset', ['-c', String(core), process.execPath, '--import', 'tsx', 'bench/loadgen.ts'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const request = <C extends LoadReply['cmd']>(command: LoadCommand, expected: C) =>
    new Promise<Extract<LoadReply, { cmd: C }>>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited with ${code}`))
      child.once('exit', onExit)
      child.once('message', (reply: LoadReply) => {
        child.off('exit', onExit)
        if (reply.cmd === 'error') reject(new Error(`load generator: ${reply.message}`))
        else if (reply.cmd !== expected) reject(new Error(`load generator answered ${reply.cmd} to ${command.cmd}`))
        else resolve(reply as Extract<LoadReply, { cmd: C }>)
      })
      child.send(command)
    })
  await request({ cmd: 'setup', kind, target }, 'setup')
  return {
    subscribe: async (count) => (await request({ cmd: 'subscribe', count }, 'subscribe')).subscribers,
    run: async (rate, seconds) => (await request({ cmd: 'run', runId: runs++, rate, seconds }, 'run')).result,
    persist: async (transport, senders, seconds) => (await request({ cmd: 'persist', transport, senders, seconds }, 'persist')).result,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      await request({ cmd: 'close' }, 'close')
      await exited
    },
  }
}

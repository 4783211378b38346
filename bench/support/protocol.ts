// What bench/run.ts and its child processes say to each other over IPC.
import type { SendTransport } from '../clients/app-senders.ts'
import type { Target } from '../clients/types.ts'

export type ServerKind = 'bare-ws' | 'socket-io' | 'app-ws' | 'app-sse'

export type LoadCommand =
  | { cmd: 'setup'; kind: ServerKind; target: Target }
  | { cmd: 'subscribe'; count: number }
  | { cmd: 'run'; runId: number; rate: number; seconds: number }
  | { cmd: 'persist'; transport: SendTransport; senders: number; seconds: number }
  | { cmd: 'close' }

export type PersistResult = { transport: SendTransport; senders: number; acknowledged: number; failed: number; wallMs: number; loadgenCpuPercent: number }

export type RunResult = {
  subscribers: number
  /** Messages per second, each delivered to every subscriber. */
  rate: number
  sent: number
  expected: number
  delivered: number
  publishFailures: number
  /** From each message's scheduled send time to its receipt. */
  p50Ms: number
  p99Ms: number
  maxMs: number
  wallMs: number
  loadgenCpuPercent: number
}

export type LoadReply =
  | { cmd: 'setup' }
  | { cmd: 'subscribe'; subscribers: number }
  | { cmd: 'run'; result: RunResult }
  | { cmd: 'persist'; result: PersistResult }
  | { cmd: 'close' }
  | { cmd: 'error'; message: string }

/** Sampled by the server itself: `atMs` on its own clock, so CPU% is over the same interval. */
export type UsageReport = { type: 'usage'; id: number; atMs: number; cpuMicros: number; heapUsed: number; rss: number }

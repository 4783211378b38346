import { setMaxListeners } from 'node:events'
import { processWide } from './process-wide.ts'

function state() {
  return processWide('lifecycle', () => {
    const shutdown = new AbortController()
    // Every open stream listens for shutdown: thousands of listeners are expected, not a leak.
    setMaxListeners(0, shutdown.signal)
    return { shutdown, inFlight: new Set<Promise<unknown>>() }
  })
}

/** Aborts when the instance begins to shut down: open streams end so clients reconnect elsewhere. */
export function shutdownSignal(): AbortSignal {
  return state().shutdown.signal
}

export function beginShutdown(): void {
  state().shutdown.abort()
}

/** Registers a write that shutdown must wait for before closing the database. */
export function trackWrite<T>(write: Promise<T>): Promise<T> {
  const { inFlight } = state()
  inFlight.add(write)
  const forget = () => inFlight.delete(write)
  write.then(forget, forget)
  return write
}

/** Resolves once no write is in flight, including writes that began while it waited. */
export async function writesSettled(): Promise<void> {
  const { inFlight } = state()
  while (inFlight.size > 0) await Promise.allSettled([...inFlight])
}

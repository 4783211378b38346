import { env } from '../env.ts'
import { processWideSlot } from '../process-wide.ts'
import type { Bus } from './bus.ts'
import { createInProcessBus } from './in-process-bus.ts'
import { createRedisBus } from './redis-bus.ts'

// One bus per process, shared by the custom server's and Next's copies of this module.
const installed = processWideSlot<Bus>('bus')

/** Redis pub/sub when REDIS_URL is set (several instances), otherwise in-process (one instance). */
export function bus(): Bus {
  installed.current ??= createBusFromEnv()
  return installed.current
}

/** Installs a bus built elsewhere (tests, tools); closes the one it replaces. */
export async function useBus(replacement: Bus): Promise<void> {
  const previous = installed.current
  installed.current = replacement
  if (previous && previous !== replacement) await previous.close()
}

function createBusFromEnv(): Bus {
  const { REDIS_URL, REDIS_CHANNEL_PREFIX } = env()
  if (!REDIS_URL) return createInProcessBus()
  return createRedisBus({ url: REDIS_URL, channelPrefix: REDIS_CHANNEL_PREFIX })
}

export async function closeBus(): Promise<void> {
  await installed.current?.close()
  installed.current = undefined
}

import type { Bus } from './bus.ts'
import { createInProcessBus } from './in-process-bus.ts'

type BusHolder = { __chatBus?: Bus }
// One bus per process, shared by the custom server's and Next's copies of this module.
const holder = globalThis as BusHolder

export function bus(): Bus {
  holder.__chatBus ??= createInProcessBus()
  return holder.__chatBus
}

export async function closeBus(): Promise<void> {
  await holder.__chatBus?.close()
  holder.__chatBus = undefined
}

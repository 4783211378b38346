import type { Bus } from './bus.ts'

/** The bus for a single instance: delivery within this process only. */
export function createInProcessBus(): Bus {
  const handlers = new Map<string, Set<(payload: string) => void>>()
  return {
    async publish(channel, payload) {
      const subscribers = handlers.get(channel)
      if (!subscribers) return
      // Deliver on a later tick, as a network bus would: a publisher never runs subscribers inline.
      for (const handler of subscribers) queueMicrotask(() => handler(payload))
    },
    subscribe(channel, handler) {
      let subscribers = handlers.get(channel)
      if (!subscribers) handlers.set(channel, (subscribers = new Set()))
      subscribers.add(handler)
      return () => subscribers.delete(handler)
    },
    // Nothing between publisher and subscriber can drop: there is no outage to recover from.
    onResubscribed: () => () => {},
    async checkReady() {},
    async close() {
      handlers.clear()
    },
  }
}

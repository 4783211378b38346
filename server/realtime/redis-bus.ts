import { Redis } from 'ioredis'
import type { Bus } from './bus.ts'
import { logger } from '../log.ts'

const log = logger('bus')

export type RedisBusOptions = {
  url: string
  /** Namespaces the channels, so deployments (or test runs) sharing one Redis never hear each other. */
  channelPrefix: string
  /** How often the subscriber connection is pinged; one that stays silent is dropped and reopened. */
  pingIntervalMs?: number
  /** How long a command may take before the connection counts as dead. */
  commandTimeoutMs?: number
}

type Handler = (payload: string) => void

/**
 * The bus for several instances: Redis pub/sub. Publishes fail fast while Redis is away (the send
 * path must not hang on it, and every instance reads missed positions from the database); the
 * subscriber renews its channels on every reconnect and then tells `onResubscribed` listeners, so
 * each instance can recover what passed while it was deaf.
 */
export function createRedisBus({ url, channelPrefix, pingIntervalMs = 5_000, commandTimeoutMs = 3_000 }: RedisBusOptions): Bus {
  const publisher = new Redis(url, { enableOfflineQueue: false, commandTimeout: commandTimeoutMs, maxRetriesPerRequest: 1, connectionName: 'relay-publish' })
  const subscriber = new Redis(url, { autoResubscribe: false, commandTimeout: commandTimeoutMs, connectionName: 'relay-subscribe' })
  const handlers = new Map<string, Set<Handler>>()
  const resubscribedListeners = new Set<() => void>()
  /** True while every channel in `handlers` is subscribed on the current connection. */
  let subscribed = false
  let closed = false

  reportOutages(publisher, 'publish')
  reportOutages(subscriber, 'subscribe')

  subscriber.on('message', (channel: string, payload: string) => {
    for (const handler of handlers.get(channel) ?? []) {
      try {
        handler(payload)
      } catch (error) {
        log.error('a subscriber threw', { channel, error })
      }
    }
  })
  subscriber.on('close', () => (subscribed = false))
  subscriber.on('ready', () => void renewSubscriptions())

  async function renewSubscriptions(): Promise<void> {
    try {
      if (handlers.size > 0) await subscriber.subscribe(...handlers.keys())
      subscribed = true
      for (const listener of resubscribedListeners) listener()
    } catch (error) {
      log.error('subscribing on Redis failed; reconnecting', { error })
      if (!closed) subscriber.disconnect(true)
    }
  }

  // A connection can die without a FIN (a partition, a frozen Redis): only a reply proves it alive.
  const watchdog = setInterval(() => {
    if (subscriber.status !== 'ready') return
    subscriber.ping().catch(() => {
      if (closed || subscriber.status !== 'ready') return
      log.warn('the Redis subscription stopped answering; reconnecting')
      subscriber.disconnect(true)
    })
  }, pingIntervalMs)
  watchdog.unref()

  return {
    async publish(channel, payload) {
      await publisher.publish(channelPrefix + channel, payload)
    },
    subscribe(channel, handler) {
      const key = channelPrefix + channel
      let channelHandlers = handlers.get(key)
      if (!channelHandlers) {
        handlers.set(key, (channelHandlers = new Set()))
        // Not ready: the next 'ready' subscribes every channel in `handlers`.
        if (subscriber.status === 'ready') subscriber.subscribe(key).catch(() => !closed && subscriber.disconnect(true))
      }
      channelHandlers.add(handler)
      return () => {
        channelHandlers.delete(handler)
        if (channelHandlers.size > 0 || handlers.get(key) !== channelHandlers) return
        handlers.delete(key)
        if (subscriber.status === 'ready') subscriber.unsubscribe(key).catch(() => {})
      }
    },
    onResubscribed(listener) {
      resubscribedListeners.add(listener)
      return () => resubscribedListeners.delete(listener)
    },
    async checkReady() {
      if (!subscribed || subscriber.status !== 'ready') throw new Error(`the Redis subscription is ${subscriber.status === 'ready' ? 'being renewed' : subscriber.status}`)
      await publisher.ping()
    },
    async close() {
      closed = true
      clearInterval(watchdog)
      handlers.clear()
      resubscribedListeners.clear()
      publisher.disconnect()
      subscriber.disconnect()
    },
  }
}

/** Logs once when a connection is lost and once when it is back, not on every retry. */
function reportOutages(connection: Redis, role: string): void {
  let down = false
  connection.on('error', (error: Error) => {
    if (down) return
    down = true
    log.error('Redis unreachable; retrying', { role, reason: error.message })
  })
  connection.on('ready', () => {
    if (!down) return
    down = false
    log.info('Redis connection restored', { role })
  })
}

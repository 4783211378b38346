import { processWideSlot } from '../process-wide.ts'
import { bus } from './index.ts'
import { LIVE_CHANNEL, STREAM_CHANNEL } from './bus.ts'
import type { LiveEvent, PositionedEvent } from '../chat/types.ts'
import { logger } from '../log.ts'

const log = logger('bus')

/**
 * Publishes an event after its write committed. A failed publish loses nothing: every instance's
 * ordered stream notices the missing position and reads it from the database.
 */
export function publishPositioned(event: PositionedEvent): Promise<void> {
  return publish(STREAM_CHANNEL, event, `stream position ${event.pos}`)
}

/** Publishes an event that is never stored (typing, presence, read markers, leaves). */
export function publishLive(event: LiveEvent): Promise<void> {
  return publish(LIVE_CHANNEL, event, `live event ${event.type}`)
}

async function publish(channel: string, event: PositionedEvent | LiveEvent, what: string): Promise<void> {
  try {
    await bus().publish(channel, JSON.stringify(event))
    outage.ended()
  } catch (error) {
    outage.failed(what, error)
  }
}

// Shared by both module copies in the process.
const ongoing = processWideSlot<{ failures: number; since: number }>('publish-outage')

/** One log line when publishing starts failing and one when it works again, not one per message. */
const outage = {
  failed(what: string, error: unknown) {
    if (ongoing.current) {
      ongoing.current.failures++
      return
    }
    ongoing.current = { failures: 1, since: Date.now() }
    const reason = error instanceof Error ? error.message : String(error)
    log.error('publishing failed; subscribers read what they miss from the database until it works again', { what, reason })
  },
  ended() {
    const current = ongoing.current
    if (!current) return
    ongoing.current = undefined
    log.info('publishing works again; subscribers read the unpublished events from the database', { unpublished: current.failures, seconds: Number(((Date.now() - current.since) / 1000).toFixed(1)) })
  },
}

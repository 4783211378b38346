import { bus } from '../realtime/index.ts'
import { LIVE_CHANNEL, STREAM_CHANNEL } from '../realtime/bus.ts'
import type { LiveEvent, PositionedEvent } from './types.ts'

/**
 * Publishes an event after its write committed. A failed publish loses nothing: every instance's
 * ordered stream notices the missing position and reads it from the database.
 */
export async function publishPositioned(event: PositionedEvent): Promise<void> {
  try {
    await bus().publish(STREAM_CHANNEL, JSON.stringify(event))
  } catch (error) {
    console.error(`[bus] publish of stream position ${event.pos} failed (${reason(error)}); subscribers will read it from the database`)
  }
}

export async function publishLive(event: LiveEvent): Promise<void> {
  try {
    await bus().publish(LIVE_CHANNEL, JSON.stringify(event))
  } catch (error) {
    console.error(`[bus] live event ${event.type} was not published (${reason(error)})`)
  }
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error))

import { processWide } from '../process-wide.ts'
import { publishLive } from '../realtime/publish.ts'
import { requireMembership } from './membership.ts'
import { TYPING_THROTTLE_MS } from './limits.ts'
import type { Author } from './types.ts'


/**
 * Tells the room's other members that `user` is typing (`active`), or has emptied the box (not
 * `active`: said only after a recent "typing", so others stop showing it at once). Live only, never
 * stored: a client shows it for a few seconds unless it is repeated. Repeats within the throttle
 * are dropped here too.
 */
export async function announceTyping(user: Author, roomId: string, active = true): Promise<void> {
  await requireMembership(user.id, roomId)
  // When each typist in each room was last announced, shared by both module copies in the process.
  const announced = processWide('typing-announced', () => new Map<string, number>())
  const key = `${user.id}:${roomId}`
  const now = Date.now()
  if (!active) {
    if (!announced.delete(key)) return
    await publishLive({ type: 'typing', roomId, user, active: false })
    return
  }
  if (now - (announced.get(key) ?? 0) < TYPING_THROTTLE_MS - 200) return
  announced.set(key, now)
  // Forget old entries now and then, so the map holds only recent typists.
  if (announced.size > 10_000) for (const [entry, at] of announced) if (now - at > TYPING_THROTTLE_MS) announced.delete(entry)
  await publishLive({ type: 'typing', roomId, user, active: true })
}

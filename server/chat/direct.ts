import { db } from '../db/client.ts'
import { trackWrite } from '../lifecycle.ts'
import { ChatError } from './errors.ts'
import { addMember, sharesARoom } from './membership.ts'
import { roomSelect, toSummary } from './room-rows.ts'
import type { RoomSummary } from './types.ts'

/**
 * The direct conversation between the user and another person, created on first use. Only with
 * someone they share a room with: nobody can be messaged out of the blue.
 */
export async function openDirect(userId: string, otherId: string): Promise<RoomSummary> {
  if (otherId === userId) throw new ChatError('FORBIDDEN', 'A direct conversation needs someone else.')
  if (!(await sharesARoom(userId, otherId))) throw new ChatError('NOT_FOUND', 'You can message people you share a room with.')
  const directKey = [userId, otherId].sort().join(':')
  let room = await db().room.findUnique({ where: { directKey }, select: roomSelect })
  if (!room) {
    try {
      room = await trackWrite(db().room.create({ data: { name: '', isPublic: false, directKey, createdById: userId }, select: roomSelect }))
    } catch (error) {
      // The other person opened it at the same moment: theirs is the one.
      room = await db().room.findUnique({ where: { directKey }, select: roomSelect })
      if (!room) throw error
    }
  }
  // Opening it shows it again to the opener if they had left it; the other person sees it with the next message.
  await db().membership.updateMany({ where: { roomId: room.id, userId, hiddenThroughSeq: { not: null } }, data: { hiddenThroughSeq: null } })
  await addMember(userId, room)
  await addMember(otherId, room)
  return toSummary(room)
}

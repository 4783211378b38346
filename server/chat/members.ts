import { db } from '../db/client.ts'
import { instancePresence } from '../realtime/instance-stream.ts'
import { requireMembership } from './membership.ts'
import type { RoomMember } from './types.ts'

/** The members of a room the user is in, online ones first, then by name (the member list, @mentions). */
export async function roomMembers(userId: string, roomId: string): Promise<RoomMember[]> {
  await requireMembership(userId, roomId)
  const [memberships, presence] = await Promise.all([
    db().membership.findMany({ where: { roomId }, select: { user: { select: { id: true, name: true } } } }),
    instancePresence(),
  ])
  return memberships
    .map(({ user }) => ({ ...user, online: presence.isOnline(user.id) }))
    .sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name))
}

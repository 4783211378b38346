import { z } from 'zod'
import { openDirect } from '../../chat/direct.ts'
import { inviteToRoom, joinRoom, knownPeople, leaveRoom } from '../../chat/membership.ts'
import { browseRooms, createRoom, listRooms, markRead } from '../../chat/rooms.ts'
import { roomMembers } from '../../chat/members.ts'
import { ROOM_NAME_MAX } from '../../chat/limits.ts'
import { announceTyping } from '../../chat/typing.ts'
import { roomIdInput } from '../../chat/room-id.ts'
import { authedProcedure, router } from '../init.ts'

export const createRoomInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Give the room a name.')
    .max(ROOM_NAME_MAX, `Room names are at most ${ROOM_NAME_MAX} characters.`),
  visibility: z.enum(['public', 'private'], { message: 'A room is public or private.' }).default('public'),
})

const userIdInput = z.string().min(1, 'Unknown person.').max(100, 'Unknown person.')

export const roomRouter = router({
  list: authedProcedure.query(({ ctx }) => listRooms(ctx.user.id)),
  browse: authedProcedure.query(({ ctx }) => browseRooms(ctx.user.id)),
  create: authedProcedure.input(createRoomInput).mutation(({ ctx, input }) => createRoom(ctx.user.id, input.name, input.visibility === 'public')),
  invite: authedProcedure
    .input(roomIdInput.extend({ userId: userIdInput }))
    .mutation(({ ctx, input }) => inviteToRoom(ctx.user.id, input.roomId, input.userId)),
  openDirect: authedProcedure.input(z.object({ userId: userIdInput })).mutation(({ ctx, input }) => openDirect(ctx.user.id, input.userId)),
  people: authedProcedure.query(({ ctx }) => knownPeople(ctx.user.id)),
  join: authedProcedure.input(roomIdInput).mutation(({ ctx, input }) => joinRoom(ctx.user.id, input.roomId)),
  leave: authedProcedure.input(roomIdInput).mutation(({ ctx, input }) => leaveRoom(ctx.user.id, input.roomId)),
  members: authedProcedure.input(roomIdInput).query(({ ctx, input }) => roomMembers(ctx.user.id, input.roomId)),
  markRead: authedProcedure
    .input(roomIdInput.extend({ seq: z.number().int().min(0) }))
    .mutation(({ ctx, input }) => markRead(ctx.user.id, input.roomId, input.seq)),
  typing: authedProcedure
    .input(roomIdInput.extend({ active: z.boolean().default(true) }))
    .mutation(({ ctx, input }) => announceTyping({ id: ctx.user.id, name: ctx.user.name }, input.roomId, input.active)),
})

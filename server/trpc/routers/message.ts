import { z } from 'zod'
import { roomHistory, sendMessage } from '../../chat/messages.ts'
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, MESSAGE_TEXT_MAX } from '../../chat/limits.ts'
import { assertExpectedUser, authedProcedure, expectedUserInput, router } from '../init.ts'

const sendInput = z.object({
  roomId: z.uuid('Unknown room id.'),
  text: z
    .string()
    .trim()
    .min(1, 'Type a message first.')
    .max(MESSAGE_TEXT_MAX, `Messages are at most ${MESSAGE_TEXT_MAX} characters.`),
  clientId: z.uuid('clientId must be a UUID.'),
  asUserId: expectedUserInput,
})

const historyInput = z.object({
  roomId: z.uuid('Unknown room id.'),
  beforeSeq: z.number().int().min(1).optional(),
  limit: z.number().int().min(1).max(HISTORY_PAGE_MAX).default(HISTORY_PAGE_DEFAULT),
})

export const messageRouter = router({
  send: authedProcedure
    .input(sendInput)
    .mutation(({ ctx, input: { asUserId, ...message } }) => {
      assertExpectedUser(ctx.user.id, asUserId)
      return sendMessage({ author: { id: ctx.user.id, name: ctx.user.name }, ...message })
    }),
  history: authedProcedure.input(historyInput).query(({ ctx, input }) => roomHistory(ctx.user.id, input)),
})

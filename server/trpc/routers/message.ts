import { z } from 'zod'
import { deleteMessage, editMessage, setReaction } from '../../chat/message-changes.ts'
import { roomHistory, sendMessage } from '../../chat/messages.ts'
import { searchRoom } from '../../chat/search.ts'
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, MESSAGE_TEXT_MAX, REACTION_EMOJI_MAX, SEARCH_QUERY_MAX } from '../../chat/limits.ts'
import { assertExpectedUser, authedProcedure, expectedUserInput, groupCommittedProcedure, router } from '../init.ts'

const messageText = z
  .string()
  .trim()
  .min(1, 'Type a message first.')
  .max(MESSAGE_TEXT_MAX, `Messages are at most ${MESSAGE_TEXT_MAX} characters.`)

const sendInput = z.object({
  roomId: z.uuid('Unknown room id.'),
  text: messageText,
  clientId: z.uuid('clientId must be a UUID.'),
  asUserId: expectedUserInput,
})

const messageId = z.uuid('Unknown message id.')

const editInput = z.object({ messageId, text: messageText })

const reactInput = z.object({
  messageId,
  emoji: z
    .string()
    .max(REACTION_EMOJI_MAX, 'That is not one emoji.')
    .regex(/^(\p{Extended_Pictographic}|\p{Emoji_Component}|\u200d|\ufe0f)+$/u, 'Reactions are emoji.'),
  on: z.boolean(),
})

const searchInput = z.object({
  roomId: z.uuid('Unknown room id.'),
  query: z.string().trim().min(1, 'Type something to search for.').max(SEARCH_QUERY_MAX, `Searches are at most ${SEARCH_QUERY_MAX} characters.`),
})

const historyInput = z.object({
  roomId: z.uuid('Unknown room id.'),
  beforeSeq: z.number().int().min(1).optional(),
  limit: z.number().int().min(1).max(HISTORY_PAGE_MAX).default(HISTORY_PAGE_DEFAULT),
})

export const messageRouter = router({
  send: groupCommittedProcedure
    .input(sendInput)
    .mutation(({ ctx, input: { asUserId, ...message } }) => {
      assertExpectedUser(ctx.user.id, asUserId)
      return sendMessage({ author: { id: ctx.user.id, name: ctx.user.name }, ...message })
    }),
  edit: authedProcedure.input(editInput).mutation(({ ctx, input }) => editMessage(ctx.user.id, input.messageId, input.text)),
  delete: authedProcedure.input(z.object({ messageId })).mutation(({ ctx, input }) => deleteMessage(ctx.user.id, input.messageId)),
  react: authedProcedure.input(reactInput).mutation(({ ctx, input }) => setReaction(ctx.user.id, input.messageId, input.emoji, input.on)),
  search: authedProcedure.input(searchInput).query(({ ctx, input }) => searchRoom(ctx.user.id, input.roomId, input.query)),
  history: authedProcedure.input(historyInput).query(({ ctx, input }) => roomHistory(ctx.user.id, input)),
})

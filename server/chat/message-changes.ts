import { db } from '../db/client.ts'
import { trackWrite } from '../lifecycle.ts'
import { ChatError } from './errors.ts'
import { mentionedMembers } from './mentions.ts'
import { messageSelect, toChatMessage } from './message-rows.ts'
import { publishPositioned } from '../realtime/publish.ts'
import { requireMembership } from './membership.ts'
import type { Tx } from './transaction.ts'
import type { ChatMessage } from './types.ts'

type LockedMessage = { authorId: string; roomId: string; deletedAt: Date | null }

/** Replaces the text of one's own message; everyone in the room sees it marked edited. */
export async function editMessage(userId: string, messageId: string, text: string): Promise<ChatMessage> {
  return changeMessage(userId, messageId, async (tx, message) => {
    if (message.authorId !== userId) throw new ChatError('FORBIDDEN', 'You can only edit your own messages.')
    if (message.deletedAt) throw new ChatError('FORBIDDEN', 'This message was deleted.')
    await tx.$executeRaw`UPDATE "Message" SET text = ${text}, "editedAt" = now() WHERE id = ${messageId}`
    // Whom the text names may have changed with it.
    const mentioned = await mentionedMembers(message.roomId, text, tx)
    await tx.$executeRaw`DELETE FROM "MessageMention" WHERE "messageId" = ${messageId}`
    if (mentioned.length) await tx.messageMention.createMany({ data: mentioned.map((userId) => ({ messageId, userId })) })
    return true
  })
}

/** Deletes one's own message: it keeps its place as "message deleted", without text or reactions. */
export async function deleteMessage(userId: string, messageId: string): Promise<ChatMessage> {
  return changeMessage(userId, messageId, async (tx, message) => {
    if (message.authorId !== userId) throw new ChatError('FORBIDDEN', 'You can only delete your own messages.')
    if (message.deletedAt) return false
    await tx.$executeRaw`UPDATE "Message" SET text = '', "deletedAt" = now() WHERE id = ${messageId}`
    await tx.$executeRaw`DELETE FROM "Reaction" WHERE "messageId" = ${messageId}`
    await tx.$executeRaw`DELETE FROM "MessageMention" WHERE "messageId" = ${messageId}`
    return true
  })
}

/** Adds (`on`) or removes the caller's `emoji` on a message of a room they are in. */
export async function setReaction(userId: string, messageId: string, emoji: string, on: boolean): Promise<ChatMessage> {
  return changeMessage(userId, messageId, async (tx, message) => {
    if (message.deletedAt) throw new ChatError('FORBIDDEN', 'This message was deleted.')
    const changed = on
      ? await tx.$executeRaw`INSERT INTO "Reaction" ("messageId", "userId", emoji) VALUES (${messageId}, ${userId}, ${emoji}) ON CONFLICT DO NOTHING`
      : await tx.$executeRaw`DELETE FROM "Reaction" WHERE "messageId" = ${messageId} AND "userId" = ${userId} AND emoji = ${emoji}`
    return changed > 0
  })
}

/**
 * One change to a stored message, in one transaction: lock the message, check the caller may make
 * the change, apply it, and (if anything changed) take the next stream position for it, bump the
 * message's revision and record the change; then publish the message's new state.
 */
async function changeMessage(userId: string, messageId: string, apply: (tx: Tx, message: LockedMessage) => Promise<boolean>): Promise<ChatMessage> {
  const roomId = await roomOf(messageId)
  await requireMembership(userId, roomId)
  const { pos, message } = await trackWrite(
    db().$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<LockedMessage[]>`SELECT "authorId", "roomId", "deletedAt" FROM "Message" WHERE id = ${messageId} FOR UPDATE`
      if (!locked) throw new ChatError('NOT_FOUND', 'That message does not exist.')
      let pos: number | undefined
      if (await apply(tx, locked)) {
        // Last, so the stream cursor's row lock is held only from here to commit.
        const [change] = await tx.$queryRaw<{ pos: bigint }[]>`
          WITH cursor AS (UPDATE "StreamCursor" SET pos = pos + 1 WHERE id = 1 RETURNING pos),
          bumped AS (UPDATE "Message" SET revision = revision + 1 WHERE id = ${messageId} RETURNING id, "roomId")
          INSERT INTO "MessageChange" (pos, "messageId", "roomId") SELECT cursor.pos, bumped.id, bumped."roomId" FROM cursor, bumped
          RETURNING pos`
        pos = Number(change!.pos)
      }
      const row = await tx.message.findUniqueOrThrow({ where: { id: messageId }, select: messageSelect })
      return { pos, message: toChatMessage(row) }
    }),
  )
  if (pos !== undefined) await publishPositioned({ pos, type: 'message.updated', message })
  return message
}

async function roomOf(messageId: string): Promise<string> {
  const message = await db().message.findUnique({ where: { id: messageId }, select: { roomId: true } })
  if (!message) throw new ChatError('NOT_FOUND', 'That message does not exist.')
  return message.roomId
}

'use client'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { memo, useState, type KeyboardEvent } from 'react'
import { useTRPC } from '@/app/_lib/trpc'
import type { ChatMessage } from '@/server/chat/types'
import { MESSAGE_TEXT_MAX } from '@/server/chat/limits'
import { storableText } from '@/server/chat/storable-text'
import { useChat } from '../../_components/chat-provider'
import { MessageText } from './message-text'

/** The reactions offered in one click; any emoji sent by another client still shows. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢']

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })

/** A stored message: text (or "message deleted"), edit mark, reactions, and what the reader may do with it. */
export const MessageItem = memo(function MessageItem({ message, mine }: { message: ChatMessage; mine: boolean }) {
  const trpc = useTRPC()
  const { store, me } = useChat()
  const queryClient = useQueryClient()
  const router = useRouter()
  const [mode, setMode] = useState<'reading' | 'editing' | 'confirming-delete' | 'picking'>('reading')
  const onStored = { onSuccess: (stored: ChatMessage) => store.receive(stored) }
  const edit = useMutation(trpc.message.edit.mutationOptions(onStored))
  const remove = useMutation(trpc.message.delete.mutationOptions(onStored))
  const react = useMutation(trpc.message.react.mutationOptions(onStored))
  const openDirect = useMutation(
    trpc.room.openDirect.mutationOptions({
      onSuccess: async (room) => {
        await queryClient.invalidateQueries({ queryKey: trpc.room.pathKey() })
        router.push(`/rooms/${room.id}`)
      },
    }),
  )
  const error = edit.error ?? remove.error ?? react.error ?? openDirect.error
  const sentAt = new Date(message.createdAt)
  const deleted = message.deletedAt !== null
  const mentionsMe = !mine && message.mentions.includes(me.id)

  const toggle = (emoji: string, on: boolean) => {
    setMode('reading')
    react.mutate({ messageId: message.id, emoji, on })
  }

  return (
    <article className={`message${mine ? ' mine' : ''}${deleted ? ' deleted' : ''}${mentionsMe ? ' mentioned' : ''}`} data-seq={message.seq} data-status="sent">
      <header>
        {mine ? (
          <span className="author">{message.author.name}</span>
        ) : (
          <button type="button" className="author link" title={`Message ${message.author.name} directly`} aria-label={`Message ${message.author.name} directly`} onClick={() => openDirect.mutate({ userId: message.author.id })}>
            {message.author.name}
          </button>
        )}
        <time dateTime={message.createdAt} title={sentAt.toLocaleString()}>
          {timeFormat.format(sentAt)}
        </time>
        {message.editedAt && !deleted && (
          <span className="muted edited" title={`Edited ${new Date(message.editedAt).toLocaleString()}`}>
            (edited)
          </span>
        )}
        {!deleted && mode === 'reading' && (
          <span className="message-actions">
            <button type="button" className="link" aria-label="Add reaction" onClick={() => setMode('picking')}>
              React
            </button>
            {mine && (
              <>
                <button type="button" className="link" onClick={() => setMode('editing')}>
                  Edit
                </button>
                <button type="button" className="link" onClick={() => setMode('confirming-delete')}>
                  Delete
                </button>
              </>
            )}
          </span>
        )}
      </header>

      {deleted ? (
        <p className="text muted deleted-text">message deleted</p>
      ) : mode === 'editing' ? (
        <EditForm
          initial={message.text}
          saving={edit.isPending}
          onCancel={() => setMode('reading')}
          onSave={(text) => edit.mutate({ messageId: message.id, text: storableText(text) }, { onSuccess: () => setMode('reading') })}
        />
      ) : (
        <MessageText text={message.text} />
      )}

      {mode === 'confirming-delete' && (
        <p className="confirm" role="group" aria-label="Delete this message?">
          Delete this message for everyone?{' '}
          <button type="button" className="link danger" onClick={() => remove.mutate({ messageId: message.id }, { onSettled: () => setMode('reading') })}>
            Yes, delete
          </button>{' '}
          <button type="button" className="link" onClick={() => setMode('reading')}>
            Keep it
          </button>
        </p>
      )}

      {mode === 'picking' && (
        <div className="reaction-picker" role="group" aria-label="Pick a reaction">
          {QUICK_REACTIONS.map((emoji) => (
            <button key={emoji} type="button" aria-label={`React with ${emoji}`} onClick={() => toggle(emoji, true)}>
              {emoji}
            </button>
          ))}
          <button type="button" className="link" onClick={() => setMode('reading')}>
            Close
          </button>
        </div>
      )}

      {message.reactions.length > 0 && (
        <div className="reactions" role="group" aria-label="Reactions">
          {message.reactions.map(({ emoji, userIds }) => {
            const reacted = userIds.includes(me.id)
            return (
              <button
                key={emoji}
                type="button"
                className="reaction"
                aria-pressed={reacted}
                aria-label={`${emoji} ${userIds.length}`}
                title={reacted ? 'Remove your reaction' : 'React with this too'}
                onClick={() => toggle(emoji, !reacted)}
              >
                {emoji} <span className="count">{userIds.length}</span>
              </button>
            )
          })}
        </div>
      )}

      {error && (
        <p className="send-failed" role="alert">
          {error.message}
        </p>
      )}
    </article>
  )
})

function EditForm({ initial, saving, onSave, onCancel }: { initial: string; saving: boolean; onSave(text: string): void; onCancel(): void }) {
  const [text, setText] = useState(initial)
  const save = () => {
    const trimmed = text.trim()
    if (!trimmed || trimmed === initial) return onCancel()
    onSave(trimmed)
  }
  // Enter saves, Shift+Enter breaks the line, Escape gives up: as in the composer.
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') onCancel()
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      save()
    }
  }
  return (
    <div className="edit-form">
      <textarea aria-label="Edit message" value={text} maxLength={MESSAGE_TEXT_MAX} rows={Math.min(8, text.split('\n').length + 1)} autoFocus onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} />
      <div className="edit-actions">
        <button type="button" className="button" disabled={saving} onClick={save}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button ghost" onClick={onCancel}>
          Cancel
        </button>
        <span className="muted">Enter to save · Escape to cancel</span>
      </div>
    </div>
  )
}

'use client'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useTRPC } from '@/app/_lib/trpc'
import type { ChatMessage } from '@/server/chat/types'
import { MESSAGE_TEXT_MAX } from '@/server/chat/limits'
import { storableText } from '@/server/chat/storable-text'
import { useChat } from '../../_components/chat-provider'
import { MessageText } from './message-text'

/** The reactions offered in one click; any emoji sent by another client still shows. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢']

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const fullDateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' })

type Props = {
  message: ChatMessage
  mine: boolean
  /** The log's one tab stop (roving focus): the message itself and its buttons are reachable by Tab. */
  current: boolean
  /** The first of a run by one author: shows the name (later ones in the run show only on hover/focus). */
  startsRun: boolean
}

/**
 * A stored message: text (or "message deleted"), edit mark, reactions, and what the reader may do
 * with it. After every action (react, edit, delete, or Escape out of one) the focus comes back to
 * the message, so the keyboard never falls to the page's start.
 */
export const MessageItem = memo(function MessageItem({ message, mine, current, startsRun }: Props) {
  const trpc = useTRPC()
  const { store, me } = useChat()
  const queryClient = useQueryClient()
  const router = useRouter()
  const [mode, setMode] = useState<'reading' | 'editing' | 'confirming-delete' | 'picking'>('reading')
  const article = useRef<HTMLElement>(null)
  const refocus = useRef(false)
  /** Back to reading, with the focus on the message once it has re-rendered. */
  const finish = () => {
    refocus.current = true
    setMode('reading')
  }
  useEffect(() => {
    if (mode !== 'reading' || !refocus.current) return
    refocus.current = false
    article.current?.focus()
  }, [mode, message])
  const tabIndex = current ? 0 : -1
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
    finish()
    react.mutate({ messageId: message.id, emoji, on })
  }
  // Escape leaves whatever the message is showing (picker, confirmation, edit box) for the message itself.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || mode === 'reading') return
    event.stopPropagation()
    finish()
  }

  return (
    <article
      ref={article}
      className={`message${mine ? ' mine' : ''}${deleted ? ' deleted' : ''}${mentionsMe ? ' mentioned' : ''}${startsRun ? '' : ' continued'}`}
      data-seq={message.seq}
      data-status="sent"
      tabIndex={tabIndex}
      onKeyDown={onKeyDown}
    >
      <header>
        {mine ? (
          <span className="author">{message.author.name}</span>
        ) : (
          <button type="button" className="author link" tabIndex={tabIndex} title={`Message ${message.author.name} directly`} aria-label={`Message ${message.author.name} directly`} onClick={() => openDirect.mutate({ userId: message.author.id })}>
            {message.author.name}
          </button>
        )}
        {/* The hour; the full date on hover, and in place of the hour while the message has the focus. */}
        <time dateTime={message.createdAt} title={fullDateFormat.format(sentAt)}>
          <span className="time-short">{timeFormat.format(sentAt)}</span>
          <span className="time-full">{fullDateFormat.format(sentAt)}</span>
        </time>
        {message.editedAt && !deleted && (
          <span className="muted edited" title={`Edited ${new Date(message.editedAt).toLocaleString()}`}>
            (edited)
          </span>
        )}
        {!deleted && mode === 'reading' && (
          <span className="message-actions">
            <button type="button" className="link" tabIndex={tabIndex} onClick={() => setMode('picking')}>
              React
            </button>
            {mine && (
              <>
                <button type="button" className="link" tabIndex={tabIndex} data-action="edit" onClick={() => setMode('editing')}>
                  Edit
                </button>
                <button type="button" className="link" tabIndex={tabIndex} onClick={() => setMode('confirming-delete')}>
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
          onCancel={finish}
          onSave={(text) => edit.mutate({ messageId: message.id, text: storableText(text) }, { onSuccess: finish })}
        />
      ) : (
        <MessageText text={message.text} />
      )}

      {mode === 'confirming-delete' && (
        <p className="confirm" role="group" aria-label="Delete this message?">
          Delete this message for everyone?{' '}
          <button type="button" className="link danger" autoFocus onClick={() => remove.mutate({ messageId: message.id }, { onSettled: finish })}>
            Yes, delete
          </button>{' '}
          <button type="button" className="link" onClick={finish}>
            Keep it
          </button>
        </p>
      )}

      {mode === 'picking' && (
        <div className="reaction-picker" role="group" aria-label="Pick a reaction">
          {QUICK_REACTIONS.map((emoji, index) => (
            <button key={emoji} type="button" aria-label={`React with ${emoji}`} autoFocus={index === 0} onClick={() => toggle(emoji, true)}>
              {emoji}
            </button>
          ))}
          <button type="button" className="link" onClick={finish}>
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
                tabIndex={tabIndex}
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

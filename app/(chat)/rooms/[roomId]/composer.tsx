'use client'
import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react'
import { MESSAGE_TEXT_MAX } from '@/server/chat/limits'
import { useChat } from '../../_components/chat-provider'

const draftKey = (roomId: string) => `relay:draft:${roomId}`
const COUNTER_FROM = MESSAGE_TEXT_MAX - 500

export function Composer({ roomId }: { roomId: string }) {
  const { store } = useChat()
  // The draft survives reloads and room switches: nothing typed is lost.
  // Rendered on the client only (see RoomView), so the saved draft can seed the state.
  const [text, setText] = useState(() => localStorage.getItem(draftKey(roomId)) ?? '')
  useEffect(() => {
    if (text) localStorage.setItem(draftKey(roomId), text)
    else localStorage.removeItem(draftKey(roomId))
  }, [roomId, text])

  const trimmed = text.trim()
  const tooLong = trimmed.length > MESSAGE_TEXT_MAX

  const send = () => {
    if (!trimmed || tooLong) return
    store.send(roomId, trimmed)
    setText('')
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    send()
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      send()
    }
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      <textarea
        aria-label="Message"
        placeholder="Message (Enter to send, Shift+Enter for a new line)"
        rows={2}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong}
        aria-describedby="composer-count"
        autoFocus
      />
      <div className="composer-side">
        <span id="composer-count" className={tooLong ? 'error' : 'muted'} aria-live="polite">
          {trimmed.length >= COUNTER_FROM ? `${trimmed.length} / ${MESSAGE_TEXT_MAX}` : ''}
        </span>
        <button type="submit" className="button" disabled={!trimmed || tooLong}>
          Send
        </button>
      </div>
    </form>
  )
}

'use client'
import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { flushSync } from 'react-dom'
import { useTRPC, useTRPCClient } from '@/app/_lib/trpc'
import { MESSAGE_TEXT_MAX, TYPING_THROTTLE_MS } from '@/server/chat/limits'
import { storableText } from '@/server/chat/storable-text'
import { useChat } from '../../_components/chat-provider'
import { insertMention, mentionQueryAt, mentionSuggestions } from './mention-autocomplete'

const draftKey = (roomId: string) => `relay:draft:${roomId}`
const COUNTER_FROM = MESSAGE_TEXT_MAX - 500

export function Composer({ roomId }: { roomId: string }) {
  const { store } = useChat()
  const trpcClient = useTRPCClient()
  const typingSentAt = useRef(0)
  const trpc = useTRPC()
  const box = useRef<HTMLTextAreaElement>(null)
  const [caret, setCaret] = useState(0)
  const [picked, setPicked] = useState(0)
  const [dismissedAt, setDismissedAt] = useState<number>()
  // The draft survives reloads and room switches: nothing typed is lost.
  // Rendered on the client only (see RoomView), so the saved draft can seed the state.
  const [text, setText] = useState(() => localStorage.getItem(draftKey(roomId)) ?? '')
  useEffect(() => {
    if (text) localStorage.setItem(draftKey(roomId), text)
    else localStorage.removeItem(draftKey(roomId))
  }, [roomId, text])

  // Others see "… is typing": at most one announcement per throttle window, never for an empty
  // box; emptying the box after one tells them at once that it stopped.
  const announceTyping = (value: string) => {
    if (!value.trim()) {
      if (typingSentAt.current === 0) return
      typingSentAt.current = 0
      trpcClient.room.typing.mutate({ roomId, active: false }).catch(() => {})
      return
    }
    if (Date.now() - typingSentAt.current < TYPING_THROTTLE_MS) return
    typingSentAt.current = Date.now()
    trpcClient.room.typing.mutate({ roomId }).catch(() => {})
  }

  const trimmed = text.trim()
  const tooLong = trimmed.length > MESSAGE_TEXT_MAX

  // @mention autocomplete among the room's members, at the caret.
  const mention = mentionQueryAt(text, caret)
  // Fetched when an @ is typed (and again if older than 10 s): members come and go.
  const members = useQuery({ ...trpc.room.members.queryOptions({ roomId }), enabled: mention !== undefined, staleTime: 10_000 })
  const suggestions = mention && mention.start !== dismissedAt ? mentionSuggestions(members.data ?? [], mention.query) : []
  const active = suggestions.length > 0 ? Math.min(picked, suggestions.length - 1) : -1
  const pickMention = (index: number) => {
    const member = suggestions[index]
    if (!member || !mention) return
    const next = insertMention(text, caret, mention, member)
    // The new text is in the box before the caret moves, and both before the next key is read: a
    // caret set a frame later would land behind what the person typed meanwhile.
    flushSync(() => {
      setText(next.text)
      setCaret(next.caret)
      setPicked(0)
    })
    box.current?.setSelectionRange(next.caret, next.caret)
  }

  const send = () => {
    if (!trimmed || tooLong) return
    store.send(roomId, storableText(trimmed))
    // The message itself tells others the typing ended.
    typingSentAt.current = 0
    setText('')
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    send()
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggestions.length > 0) {
      const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1 }
      if (event.key in moves) {
        event.preventDefault()
        setPicked((active + moves[event.key]! + suggestions.length) % suggestions.length)
        return
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault()
        pickMention(active)
        return
      }
      if (event.key === 'Escape') {
        setDismissedAt(mention?.start)
        return
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      send()
    }
    // ↑ in an empty box edits the person's last message, as in most chat apps.
    if (event.key === 'ArrowUp' && text === '' && !event.altKey) {
      const edits = document.querySelectorAll<HTMLButtonElement>('.log article.message.mine [data-action="edit"]')
      const last = edits[edits.length - 1]
      if (last) {
        event.preventDefault()
        last.click()
      }
    }
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      {suggestions.length > 0 && (
        <ul id="mention-suggestions" role="listbox" aria-label="Mention someone" className="mention-suggestions">
          {suggestions.map((member, index) => (
            <li
              key={member.id}
              id={`mention-${member.id}`}
              role="option"
              aria-selected={index === active}
              onMouseDown={(event) => {
                event.preventDefault() // keep the focus in the box
                pickMention(index)
              }}
            >
              @{member.name}
            </li>
          ))}
        </ul>
      )}
      <textarea
        aria-label="Message"
        placeholder="Message (Enter to send, Shift+Enter for a new line)"
        rows={2}
        value={text}
        ref={box}
        onChange={(event) => {
          setText(event.target.value)
          setCaret(event.target.selectionStart)
          announceTyping(event.target.value)
        }}
        onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
        // Names the suggestion list only while it is there (a reference to nothing fails axe's critical aria rule).
        aria-controls={suggestions.length > 0 ? 'mention-suggestions' : undefined}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `mention-${suggestions[active]!.id}` : undefined}
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

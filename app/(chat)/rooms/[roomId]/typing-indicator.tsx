'use client'
import { useSyncExternalStore } from 'react'
import { useChat } from '../../_components/chat-provider'
import { typingSentence } from '../../_lib/typing-tracker'

/** "Ana is typing…" under the log; the line keeps its height so the log does not jump. */
export function TypingIndicator({ roomId }: { roomId: string }) {
  const { typing } = useChat()
  const typists = useSyncExternalStore(typing.subscribe, () => typing.typists(roomId), () => typing.typists(roomId))
  return (
    <p className="typing muted" aria-live="polite">
      {typingSentence(typists)}
    </p>
  )
}

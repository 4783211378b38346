'use client'
import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTRPC } from '@/app/_lib/trpc'
import { SEARCH_QUERY_MAX } from '@/server/chat/limits'

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** Searches the room's history; picking a result jumps to it in the conversation. */
export function RoomSearch({ roomId, onJump }: { roomId: string; onJump(seq: number): void }) {
  const trpc = useTRPC()
  const [draft, setDraft] = useState('')
  const [query, setQuery] = useState('')
  const results = useQuery({ ...trpc.message.search.queryOptions({ roomId, query }), enabled: query.length > 0 })

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    setQuery(draft.trim())
  }
  const close = () => {
    setQuery('')
    setDraft('')
  }

  return (
    <div className="room-search">
      <form role="search" onSubmit={onSubmit}>
        <input type="search" aria-label="Search this room" placeholder="Search" value={draft} maxLength={SEARCH_QUERY_MAX} onChange={(event) => setDraft(event.target.value)} onKeyDown={(event) => {
            if (event.key !== 'Escape' || !query) return
            event.stopPropagation()
            close()
          }} />
      </form>
      {query && (
        <div className="search-results" role="region" aria-label="Search results">
          <header>
            <span className="muted">{results.isPending ? 'Searching…' : results.isError ? results.error.message : `${results.data?.length ?? 0} found for “${query}”`}</span>
            <button type="button" className="link" onClick={close}>
              Close
            </button>
          </header>
          <ul>
            {results.data?.map((message) => (
              <li key={message.id}>
                <button
                  type="button"
                  onClick={() => {
                    onJump(message.seq)
                    close()
                  }}
                >
                  <span className="author">{message.author.name}</span> <span className="muted">{dateFormat.format(new Date(message.createdAt))}</span>
                  <span className="snippet">{message.text.length > 160 ? `${message.text.slice(0, 160)}…` : message.text}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}

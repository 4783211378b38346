'use client'
import { useQuery } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useTRPC } from '@/app/_lib/trpc'
import type { MemberRoom } from '@/server/chat/types'

/** What the app answers from the keyboard, anywhere in the chat; listed in the "?" dialog. */
export const SHORTCUTS = [
  { keys: 'Ctrl+K / ⌘K', does: 'Switch to a room or conversation' },
  { keys: 'Alt+↑ / Alt+↓', does: 'Previous / next room in the list' },
  { keys: '↑ (in an empty message box)', does: 'Edit your last message' },
  { keys: '↑ / ↓, Home / End (in the messages)', does: 'Move between messages' },
  { keys: 'Enter (on a message)', does: 'Reach its actions: react, edit, delete' },
  { keys: 'Escape', does: 'Close a menu, picker or dialog; back to the message' },
  { keys: '?', does: 'Show this list' },
]

const roomLabel = (room: MemberRoom) => (room.directWith ? `@ ${room.directWith.name}` : `${room.isPublic ? '#' : '🔒'} ${room.name}`)

const typingInAField = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))

/** The room list's links in the order they are shown. */
const roomLinks = () => [...document.querySelectorAll<HTMLAnchorElement>('#sidebar .room-nav a[href^="/rooms/"]')]

export type ShortcutDialog = 'switcher' | 'help' | undefined

/** Listens for the shortcuts and shows the dialog that is open (the shell owns which: its sidebar has a button for the list). */
export function KeyboardShortcuts({ open, setOpen }: { open: ShortcutDialog; setOpen(dialog: ShortcutDialog): void }) {
  const router = useRouter()

  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault()
        setOpen('switcher')
      } else if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
        const links = roomLinks()
        if (links.length === 0) return
        event.preventDefault()
        const current = links.findIndex((link) => link.getAttribute('aria-current') === 'page')
        const step = event.key === 'ArrowUp' ? -1 : 1
        const next = current === -1 ? (step === 1 ? 0 : links.length - 1) : (current + step + links.length) % links.length
        router.push(links[next]!.getAttribute('href')!)
      } else if (event.key === '?' && !event.ctrlKey && !event.metaKey && !typingInAField(event.target)) {
        event.preventDefault()
        setOpen('help')
      }
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [router, setOpen])

  if (open === 'switcher') return <RoomSwitcher onClose={() => setOpen(undefined)} />
  if (open === 'help') return <ShortcutsHelp onClose={() => setOpen(undefined)} />
  return null
}

/** A modal <dialog>: focus stays inside, Escape closes it, the focus goes back where it was. */
function useModal(onClose: () => void) {
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const element = dialog.current
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined
    element?.showModal()
    return () => {
      element?.close()
      if (opener?.isConnected) opener.focus()
    }
  }, [])
  return { ref: dialog, onClose, onCancel: onClose }
}

function RoomSwitcher({ onClose }: { onClose(): void }) {
  const trpc = useTRPC()
  const router = useRouter()
  const rooms = useQuery(trpc.room.list.queryOptions())
  const modal = useModal(onClose)
  const [query, setQuery] = useState('')
  const [picked, setPicked] = useState(0)
  const wanted = query.trim().toLocaleLowerCase()
  const matches = (rooms.data ?? []).filter((room) => roomLabel(room).toLocaleLowerCase().includes(wanted)).slice(0, 20)
  const active = matches.length > 0 ? Math.min(picked, matches.length - 1) : -1

  const go = (room: MemberRoom | undefined) => {
    if (!room) return
    onClose()
    router.push(`/rooms/${room.id}`)
  }
  const onKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1 }
    if (event.key in moves && matches.length > 0) {
      event.preventDefault()
      setPicked((active + moves[event.key]! + matches.length) % matches.length)
    } else if (event.key === 'Enter') {
      event.preventDefault()
      go(matches[active])
    }
  }

  return (
    <dialog {...modal} className="dialog switcher" aria-labelledby="switcher-title">
      <h2 id="switcher-title">Switch room</h2>
      <input
        type="text"
        role="combobox"
        aria-label="Room or person"
        aria-expanded="true"
        aria-controls="switcher-results"
        aria-activedescendant={active >= 0 ? `switch-${matches[active]!.id}` : undefined}
        aria-autocomplete="list"
        placeholder="Type a room or a name"
        value={query}
        maxLength={80}
        autoFocus
        onChange={(event) => {
          setQuery(event.target.value)
          setPicked(0)
        }}
        onKeyDown={onKeyDown}
      />
      <ul id="switcher-results" role="listbox" aria-label="Rooms">
        {rooms.isPending && <li className="muted">Loading rooms…</li>}
        {rooms.data && matches.length === 0 && <li className="muted">No room matches “{query}”.</li>}
        {matches.map((room, index) => (
          <li
            key={room.id}
            id={`switch-${room.id}`}
            role="option"
            aria-selected={index === active}
            onMouseDown={(event) => {
              event.preventDefault()
              go(room)
            }}
          >
            {roomLabel(room)}
            {room.unread > 0 && <span className="muted"> · {room.unread} unread</span>}
          </li>
        ))}
      </ul>
      <p className="muted small">↑ ↓ to choose, Enter to open, Escape to close</p>
    </dialog>
  )
}

function ShortcutsHelp({ onClose }: { onClose(): void }) {
  const modal = useModal(onClose)
  return (
    <dialog {...modal} className="dialog" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <dl className="shortcuts">
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.keys}>
            <dt>
              <kbd>{shortcut.keys}</kbd>
            </dt>
            <dd>{shortcut.does}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="button" autoFocus onClick={onClose}>
        Close
      </button>
    </dialog>
  )
}

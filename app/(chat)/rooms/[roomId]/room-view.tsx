'use client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react'
import { useTRPC } from '@/app/_lib/trpc'
import { useChat } from '../../_components/chat-provider'
import { Composer } from './composer'
import { MessageLog, PendingItem } from './message-log'
import { InviteForm } from './invite-form'
import { MemberList } from './member-list'
import { RoomSearch } from './room-search'
import { TypingIndicator } from './typing-indicator'
import type { Timeline } from '../../_lib/timeline-store'
import type { MemberRoom } from '@/server/chat/types'
import { useDisclosure } from '../../_lib/use-disclosure'
import { useReadMarker } from './use-read-marker'
import { useTimeline } from './use-timeline'

export function RoomView({ roomId }: { roomId: string }) {
  const trpc = useTRPC()
  const { store, status } = useChat()
  const timeline = useTimeline(roomId)
  const rooms = useQuery(trpc.room.list.queryOptions())
  const room = rooms.data?.find((item) => item.id === roomId)

  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false)
  const unread = useReadMarker(roomId, timeline, room)
  // A search result to bring into view (`at` makes a second jump to the same message a new one).
  const [focus, setFocus] = useState<{ seq: number; at: number }>()

  useEffect(() => {
    void store.loadLatest(roomId)
  }, [store, roomId])

  if (timeline.loadError) return <RoomUnavailable roomId={roomId} code={timeline.loadError.code} message={timeline.loadError.message} pending={timeline.pending} />

  return (
    <section className="room" aria-label={room ? (room.directWith ? `Conversation with ${room.directWith.name}` : `Room ${room.name}`) : 'Room'}>
      <header className="room-header">
        <h1>{room ? (room.directWith ? room.directWith.name : `${room.isPublic ? '#' : '🔒 '}${room.name}`) : ' '}</h1>
        <RoomActions>
          {room && !room.isPublic && !room.directWith && <InviteForm roomId={roomId} />}
          <MemberList roomId={roomId} />
          <RoomSearch roomId={roomId} onJump={(seq) => void store.reveal(roomId, seq).then(() => setFocus({ seq, at: Date.now() }))} />
          <LeaveButton roomId={roomId} question={leaveQuestion(room)} />
        </RoomActions>
      </header>
      {timeline.offline && (
        <p className="room-notice" aria-live="polite">
          {status.state === 'offline'
            ? 'Offline — showing what this browser has; new messages will load when you’re back online.'
            : 'Can’t reach the server — showing what this browser has; new messages will load when it’s back.'}
        </p>
      )}
      <MessageLog roomId={roomId} timeline={timeline} unread={unread} focus={focus} />
      <TypingIndicator roomId={roomId} />
      {hydrated && <Composer roomId={roomId} />}
    </section>
  )
}

const noSubscription = () => () => {}

/**
 * The header's actions: in a row on a wide screen; behind one "Room actions" button on a narrow
 * one, where they open as a wrapped row under the room's name (Escape closes it).
 */
function RoomActions({ children }: { children: ReactNode }) {
  const { open, setOpen, toggle, closeOnEscape } = useDisclosure()
  return (
    <>
      <button ref={toggle} type="button" className="button ghost room-actions-toggle" aria-expanded={open} aria-controls="room-actions" onClick={() => setOpen(!open)}>
        <span aria-hidden="true">⋯</span>
        <span className="visually-hidden">Room actions</span>
      </button>
      <div id="room-actions" className={`room-actions${open ? ' open' : ''}`} onKeyDown={closeOnEscape}>
        {children}
      </div>
    </>
  )
}

function leaveQuestion(room: MemberRoom | undefined): string {
  if (room?.directWith) return `Leave this conversation? It comes back when ${room.directWith.name} writes to you again.`
  if (room && !room.isPublic) return 'Leave this room? You will need a new invitation to come back.'
  return 'Leave this room? You can join it again from Browse.'
}

/**
 * Leaving asks first (a private room needs a new invitation, a conversation ends for you): the
 * confirmation takes the focus, Escape or Cancel puts it back on "Leave room".
 */
function LeaveButton({ roomId, question }: { roomId: string; question: string }) {
  const trpc = useTRPC()
  const router = useRouter()
  const queryClient = useQueryClient()
  const [confirming, setConfirming] = useState(false)
  const opener = useRef<HTMLButtonElement>(null)
  const confirm = useRef<HTMLButtonElement>(null)
  const leave = useMutation(
    trpc.room.leave.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.room.pathKey() })
        router.push('/')
      },
    }),
  )
  // Set by Cancel / Escape: once "Leave room" is back on screen, it gets the focus again.
  const focusOpener = useRef(false)
  useEffect(() => {
    if (confirming) confirm.current?.focus()
    else if (focusOpener.current) {
      focusOpener.current = false
      opener.current?.focus()
    }
  }, [confirming])
  const cancel = () => {
    focusOpener.current = true
    setConfirming(false)
  }
  if (!confirming) {
    return (
      <button ref={opener} type="button" className="button ghost" onClick={() => setConfirming(true)}>
        Leave room
      </button>
    )
  }
  return (
    <div className="leave-confirm" role="group" aria-labelledby="leave-question" onKeyDown={(event) => {
        if (event.key !== 'Escape') return
        event.stopPropagation()
        cancel()
      }}>
      <p id="leave-question">{question}</p>
      <button ref={confirm} type="button" className="button" disabled={leave.isPending} onClick={() => leave.mutate({ roomId })}>
        Leave
      </button>
      <button type="button" className="button ghost" onClick={cancel}>
        Cancel
      </button>
      {leave.error && (
        <p className="error" role="alert">
          {leave.error.message}
        </p>
      )}
    </div>
  )
}

type RoomUnavailableProps = { roomId: string; code: string; message: string; pending: Timeline['pending'] }

function RoomUnavailable({ roomId, code, message, pending }: RoomUnavailableProps) {
  const trpc = useTRPC()
  const { store, me } = useChat()
  const queryClient = useQueryClient()
  const join = useMutation(
    trpc.room.join.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.room.pathKey() })
        await store.loadLatest(roomId)
      },
    }),
  )
  return (
    <section className="page">
      <h1>{code === 'FORBIDDEN' ? 'You are not in this room' : 'Can’t open this room'}</h1>
      <p>{message}</p>
      {code === 'FORBIDDEN' && (
        <button type="button" className="button" disabled={join.isPending} onClick={() => join.mutate({ roomId })}>
          Join
        </button>
      )}
      {join.error && <p className="error" role="alert">{join.error.message}</p>}
      {pending.length > 0 && (
        // Typed here before access ended: still the user's to retry after joining, or to discard.
        <div className="log" role="log" aria-label="Messages">
          {pending.map((item) => (
            <PendingItem key={item.clientId} pending={item} authorName={me.name} />
          ))}
        </div>
      )}
    </section>
  )
}

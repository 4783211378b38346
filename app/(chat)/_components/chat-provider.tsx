'use client'
import { useQueryClient } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { SharedConnection } from '@/app/_lib/live/shared-connection'
import { forgetOfflinePages } from '@/app/_lib/offline-cache'
import { INITIAL_STATUS, type LiveStatus, type Transport } from '@/app/_lib/live/status'
import { useTRPC, useTRPCClient } from '@/app/_lib/trpc'
import { useRequestRoute } from '@/app/providers'
import type { SessionUser } from '@/server/auth'
import type { RoomMember } from '@/server/chat/types'
import { openOutbox } from '../_lib/outbox'
import { openSavedHistory, type SavedHistory } from '@/app/_lib/saved-history'
import { TimelineStore } from '../_lib/timeline-store'
import { TypingTracker } from '../_lib/typing-tracker'
import { notifyIfAway } from '../_lib/notifications'
import { countLiveMessage, readElsewhere } from '../_lib/unread'

type ChatContextValue = { store: TimelineStore; typing: TypingTracker; status: LiveStatus; me: SessionUser; saved: SavedHistory }

const ChatContext = createContext<ChatContextValue | null>(null)

export function useChat(): ChatContextValue {
  const value = useContext(ChatContext)
  if (!value) throw new Error('useChat must be used inside <ChatProvider>')
  return value
}

/** The room on screen, from the URL: its new messages are being read, not piling up. */
function openRoomId(): string | undefined {
  return /^\/rooms\/([0-9a-f-]{36})$/.exec(window.location.pathname)?.[1]
}

function forcedTransport(): Transport | undefined {
  const value = new URLSearchParams(window.location.search).get('transport')
  return value === 'ws' || value === 'sse' ? value : undefined
}

/** The live connection (one per browser, shared by its tabs), feeding the timelines of every room and the room list. */
export function ChatProvider({ me, children }: { me: SessionUser; children: ReactNode }) {
  const trpc = useTRPC()
  const trpcClient = useTRPCClient()
  const requestRoute = useRequestRoute()
  const queryClient = useQueryClient()
  const router = useRouter()
  const [saved] = useState(() => openSavedHistory(me.id))
  const [store] = useState(() => new TimelineStore(trpcClient, { userId: me.id, outbox: openOutbox(me.id), saved }))
  const [typing] = useState(() => new TypingTracker())
  const [status, setStatus] = useState<LiveStatus>(INITIAL_STATUS)

  useEffect(() => {
    store.start()
    const resume = () => store.resume()
    window.addEventListener('online', resume)
    return () => {
      window.removeEventListener('online', resume)
      store.stop()
      typing.stop()
    }
  }, [store, typing])

  useEffect(() => {
    const connection = new SharedConnection({
      userId: me.id,
      forcedTransport: forcedTransport(),
      onStatus: setStatus,
      // The tab's first stream starts at "now" (later ones resume from the last event id), so
      // messages may have landed after a history page loaded: refetch those.
      onResync: () => store.refreshLoaded(),
      // A full page load: nothing cached for the old session may survive, offline pages included.
      onSignedOut: () => void forgetOfflinePages().finally(() => window.location.assign(new URL('/sign-in', window.location.href))),
      onEvent: (event) => {
        if (event.type === 'message' || event.type === 'message.updated') store.receive(event.message)
        if (event.type === 'message') {
          typing.stopped(event.message.roomId, event.message.author.id)
          const listed = queryClient.getQueryData(trpc.room.list.queryKey())
          const direct = listed?.some((room) => room.id === event.message.roomId && room.directWith) ?? false
          notifyIfAway(event.message, { me: me.id, direct, openRoom: (roomId) => router.push(`/rooms/${roomId}`) })
          const reading = document.visibilityState === 'visible' ? openRoomId() : undefined
          // A conversation this person had left comes back with its new message.
          if (listed && !listed.some((room) => room.id === event.message.roomId)) void queryClient.invalidateQueries({ queryKey: trpc.room.list.queryKey() })
          else queryClient.setQueryData(trpc.room.list.queryKey(), (rooms) => rooms && countLiveMessage(rooms, event.message, me.id, reading))
        }
        if (event.type === 'typing') {
          if (event.active) typing.heard(event.roomId, event.user)
          else typing.stopped(event.roomId, event.user.id)
        }
        if (event.type === 'presence') {
          const { userId, online } = event
          queryClient.setQueriesData({ queryKey: trpc.room.members.pathKey() }, (members: RoomMember[] | undefined) =>
            members?.map((member) => (member.id === userId ? { ...member, online } : member)),
          )
        }
        // Live again: the outbox goes out now, rooms that could not load load now.
        if (event.type === 'ready') store.resume()
        // Read in another tab or on another device: the counts follow here without asking the server, when they can.
        if (event.type === 'room.read') {
          const rooms = queryClient.getQueryData(trpc.room.list.queryKey())
          const updated = rooms && readElsewhere(rooms, event.roomId, event.lastReadSeq)
          if (updated) queryClient.setQueryData(trpc.room.list.queryKey(), updated)
          else void queryClient.invalidateQueries({ queryKey: trpc.room.list.queryKey() })
        }
        if (event.type === 'room.joined' || event.type === 'room.left' || event.type === 'room.hidden') void queryClient.invalidateQueries({ queryKey: trpc.room.pathKey() })
      },
    })
    const unplug = requestRoute.use(connection)
    connection.start()
    return () => {
      unplug()
      connection.stop()
    }
  }, [store, typing, queryClient, trpc, me.id, router, requestRoute])

  // Until the server answers (or when it cannot: offline), the rooms this browser saved.
  useEffect(() => {
    void saved.rooms().then((rooms) => {
      if (rooms && !queryClient.getQueryData(trpc.room.list.queryKey())) queryClient.setQueryData(trpc.room.list.queryKey(), rooms, { updatedAt: 0 })
    })
  }, [saved, queryClient, trpc])

  const value = useMemo(() => ({ store, typing, status, me, saved }), [store, typing, status, me, saved])
  return <ChatContext.Provider value={value}>{children}</ChatContext.Provider>
}

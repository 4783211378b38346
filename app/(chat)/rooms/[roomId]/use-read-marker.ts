'use client'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { useTRPC } from '@/app/_lib/trpc'
import type { MemberRoom } from '@/server/chat/types'
import type { Timeline } from '../../_lib/timeline-store'
import { markedRead } from '../../_lib/unread'

/** While messages keep coming, the read marker is moved at most this often. */
const MARK_READ_EVERY_MS = 1_000
/**
 * A new message is marked read after a short, random pause: when several tabs show the room, the
 * first to move the marker tells the others (a `room.read` event) before they ask the server too.
 */
const MARK_READ_PAUSE_MS = { min: 300, spread: 400 }

const subscribeVisibility = (onChange: () => void) => {
  document.addEventListener('visibilitychange', onChange)
  return () => document.removeEventListener('visibilitychange', onChange)
}

/**
 * What was unread when the room was opened: messages after `after`, up to `through` (the room's
 * newest then). The "New messages" divider goes there and stays put while the reader reads;
 * messages that arrive later, while they read, are not "new" to them.
 */
export type UnreadAtOpen = { after: number; through: number }

/**
 * Moves the reader's marker to the newest message while the room is on screen in a visible tab,
 * and returns what was unread when the room was opened.
 */
export function useReadMarker(roomId: string, timeline: Timeline, room: MemberRoom | undefined): UnreadAtOpen | undefined {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const markRead = useMutation(
    trpc.room.markRead.mutationOptions({
      onSuccess: (lastReadSeq, { roomId: readRoomId }) =>
        queryClient.setQueryData(trpc.room.list.queryKey(), (rooms) => rooms && markedRead(rooms, readRoomId, lastReadSeq)),
    }),
  )
  const { mutate } = markRead

  const [openedAt, setOpenedAt] = useState<{ roomId: string; unread: UnreadAtOpen }>()
  if (room && openedAt?.roomId !== roomId) setOpenedAt({ roomId, unread: { after: room.lastReadSeq, through: room.lastSeq } })

  const visible = useSyncExternalStore(subscribeVisibility, () => document.visibilityState === 'visible', () => false)
  const newest = timeline.confirmed.at(-1)?.seq
  const sent = useRef({ roomId, seq: 0, at: 0 })
  useEffect(() => {
    if (!room || !visible || newest === undefined || newest <= room.lastReadSeq) return
    if (sent.current.roomId === roomId && newest <= sent.current.seq) return
    const pause = MARK_READ_PAUSE_MS.min + Math.random() * MARK_READ_PAUSE_MS.spread
    const wait = Math.max(pause, sent.current.roomId === roomId ? sent.current.at + MARK_READ_EVERY_MS - Date.now() : 0)
    const timer = setTimeout(() => {
      sent.current = { roomId, seq: newest, at: Date.now() }
      mutate({ roomId, seq: newest })
    }, wait)
    return () => clearTimeout(timer)
  }, [room, roomId, visible, newest, mutate])

  return openedAt?.roomId === roomId ? openedAt.unread : undefined
}

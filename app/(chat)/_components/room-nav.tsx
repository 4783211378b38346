'use client'
import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { useEffect } from 'react'
import { useTRPC } from '@/app/_lib/trpc'
import { UNREAD_COUNT_CAP } from '@/server/chat/limits'
import type { MemberRoom } from '@/server/chat/types'
import { totalUnread } from '../_lib/unread'
import { useChat } from './chat-provider'

export function RoomNav() {
  const trpc = useTRPC()
  const pathname = usePathname()
  const { saved } = useChat()
  const rooms = useQuery(trpc.room.list.queryOptions())
  const total = totalUnread(rooms.data)

  // Kept for a reload while offline.
  useEffect(() => {
    if (rooms.data && rooms.dataUpdatedAt > 0) void saved.saveRooms(rooms.data)
  }, [rooms.data, rooms.dataUpdatedAt, saved])

  // The tab says how much is waiting, also when it is in the background.
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\+?\) /, '')
    document.title = total > 0 ? `(${total}) ${base}` : base
  }, [total])

  const channels = rooms.data?.filter((room) => !room.directWith) ?? []
  const directs = rooms.data?.filter((room) => room.directWith) ?? []

  return (
    <nav aria-label="Rooms" className="room-nav">
      {rooms.isPending && <p className="muted">Loading rooms…</p>}
      {rooms.isError && !rooms.data && <p className="error">Could not load your rooms.</p>}
      {rooms.data?.length === 0 && <p className="muted">No rooms yet. Create one or join a public room.</p>}
      <ul>
        {channels.map((room) => (
          <RoomLink key={room.id} room={room} current={pathname === `/rooms/${room.id}`} label={room.name} marker={room.isPublic ? '#' : '🔒'} />
        ))}
      </ul>
      {directs.length > 0 && (
        <>
          <h2 className="nav-heading">Direct messages</h2>
          <ul aria-label="Direct messages">
            {directs.map((room) => (
              <RoomLink key={room.id} room={room} current={pathname === `/rooms/${room.id}`} label={room.directWith!.name} marker="@" />
            ))}
          </ul>
        </>
      )}
    </nav>
  )
}

function RoomLink({ room, current, label, marker }: { room: MemberRoom; current: boolean; label: string; marker: string }) {
  const unread = room.unread >= UNREAD_COUNT_CAP ? `${UNREAD_COUNT_CAP - 1}+` : String(room.unread)
  return (
    <li>
      <Link href={`/rooms/${room.id}`} aria-current={current ? 'page' : undefined} className={room.unread > 0 ? 'has-unread' : undefined}>
        <span aria-hidden="true">{marker}</span> {label}
        {room.mentions > 0 && (
          <span className="badge mention" aria-label={`${room.mentions} mentioning you`}>
            @{room.mentions}
          </span>
        )}
        {room.unread > 0 && (
          <span className="badge" aria-label={`${unread} unread`}>
            {unread}
          </span>
        )}
      </Link>
    </li>
  )
}

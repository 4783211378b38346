'use client'
import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { useEffect } from 'react'
import { useTRPC } from '@/app/_lib/trpc'
import { UNREAD_COUNT_CAP } from '@/server/chat/limits'
import { totalUnread } from '../_lib/unread'

export function RoomNav() {
  const trpc = useTRPC()
  const pathname = usePathname()
  const rooms = useQuery(trpc.room.list.queryOptions())
  const total = totalUnread(rooms.data)

  // The tab says how much is waiting, also when it is in the background.
  useEffect(() => {
    const base = document.title.replace(/^\(\d+\+?\) /, '')
    document.title = total > 0 ? `(${total}) ${base}` : base
  }, [total])

  return (
    <nav aria-label="Rooms" className="room-nav">
      {rooms.isPending && <p className="muted">Loading rooms…</p>}
      {rooms.isError && <p className="error">Could not load your rooms.</p>}
      {rooms.data?.length === 0 && <p className="muted">No rooms yet. Create one or join a public room.</p>}
      <ul>
        {rooms.data?.map((room) => {
          const href = `/rooms/${room.id}`
          return (
            <li key={room.id}>
              <Link href={href} aria-current={pathname === href ? 'page' : undefined} className={room.unread > 0 ? 'has-unread' : undefined}>
                <span aria-hidden="true">#</span> {room.name}
                {room.mentions > 0 && (
                  <span className="badge mention" aria-label={`${room.mentions} mentioning you`}>
                    @{room.mentions}
                  </span>
                )}
                {room.unread > 0 && (
                  <span className="badge" aria-label={`${room.unread >= UNREAD_COUNT_CAP ? `${UNREAD_COUNT_CAP - 1}+` : room.unread} unread`}>
                    {room.unread >= UNREAD_COUNT_CAP ? `${UNREAD_COUNT_CAP - 1}+` : room.unread}
                  </span>
                )}
              </Link>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}

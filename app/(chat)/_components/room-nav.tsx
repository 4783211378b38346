'use client'
import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { useTRPC } from '@/app/_lib/trpc'

export function RoomNav() {
  const trpc = useTRPC()
  const pathname = usePathname()
  const rooms = useQuery(trpc.room.list.queryOptions())

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
              <Link href={href} aria-current={pathname === href ? 'page' : undefined}>
                <span aria-hidden="true">#</span> {room.name}
              </Link>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}

'use client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useTRPC } from '@/app/_lib/trpc'

export function PublicRooms() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const router = useRouter()
  const rooms = useQuery(trpc.room.browse.queryOptions())
  const join = useMutation(
    trpc.room.join.mutationOptions({
      onSuccess: async (room) => {
        await queryClient.invalidateQueries({ queryKey: trpc.room.pathKey() })
        router.push(`/rooms/${room.id}`)
      },
    }),
  )

  return (
    <section className="page" aria-labelledby="public-rooms-title">
      <h1 id="public-rooms-title">Public rooms</h1>
      {rooms.isPending && <p className="muted">Loading rooms…</p>}
      {rooms.isError && <p className="error" role="alert">Could not load rooms: {rooms.error.message}</p>}
      {rooms.data?.length === 0 && <p className="empty">No public rooms yet. Use “New room” to start the first one.</p>}
      {join.error && <p className="error" role="alert">{join.error.message}</p>}
      <ul className="room-cards">
        {rooms.data?.map((room) => (
          <li key={room.id} className="room-card">
            <div>
              <strong>#{room.name}</strong>
              <span className="muted">
                {' '}
                · {room.memberCount} {room.memberCount === 1 ? 'member' : 'members'}
              </span>
            </div>
            {room.joined ? (
              <Link className="button secondary" href={`/rooms/${room.id}`}>
                Open
              </Link>
            ) : (
              <button
                type="button"
                className="button"
                aria-label={`Join ${room.name}`}
                disabled={join.isPending}
                onClick={() => join.mutate({ roomId: room.id })}
              >
                Join
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

'use client'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { ROOM_NAME_MAX } from '@/server/chat/limits'
import { useTRPC } from '@/app/_lib/trpc'

export function NewRoomForm() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const router = useRouter()
  const [open, setOpen] = useState(false)
  const [name, setName] = useState('')
  const [isPrivate, setPrivate] = useState(false)
  const opener = useRef<HTMLButtonElement>(null)
  const reopenFocus = useRef(false)
  useEffect(() => {
    if (open || !reopenFocus.current) return
    reopenFocus.current = false
    opener.current?.focus()
  }, [open])
  const create = useMutation(
    trpc.room.create.mutationOptions({
      onSuccess: async (room) => {
        setName('')
        setOpen(false)
        await queryClient.invalidateQueries({ queryKey: trpc.room.pathKey() })
        router.push(`/rooms/${room.id}`)
      },
    }),
  )

  // Escape or Cancel: the form closes (not the drawer around it) and "New room" has the focus again.
  const cancel = (event?: KeyboardEvent) => {
    event?.stopPropagation()
    setOpen(false)
    reopenFocus.current = true
  }
  if (!open) {
    return (
      <button ref={opener} type="button" className="button secondary wide" onClick={() => setOpen(true)}>
        New room
      </button>
    )
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (name.trim()) create.mutate({ name, visibility: isPrivate ? 'private' : 'public' })
  }

  return (
    <form className="new-room" onSubmit={submit} onKeyDown={(event) => event.key === 'Escape' && cancel(event)}>
      <label htmlFor="room-name">Room name</label>
      <input id="room-name" value={name} maxLength={ROOM_NAME_MAX} autoFocus required onChange={(event) => setName(event.target.value)} />
      <label className="checkbox">
        <input type="checkbox" checked={isPrivate} onChange={(event) => setPrivate(event.target.checked)} /> Private: only people invited can see it
      </label>
      {create.error && <p className="error" role="alert">{create.error.message}</p>}
      <div className="row">
        <button type="submit" className="button" disabled={create.isPending || !name.trim()}>
          {create.isPending ? 'Creating…' : 'Create'}
        </button>
        <button type="button" className="button ghost" onClick={() => cancel()}>
          Cancel
        </button>
      </div>
    </form>
  )
}

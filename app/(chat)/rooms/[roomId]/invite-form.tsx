'use client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTRPC } from '@/app/_lib/trpc'

/** Brings someone the user shares a room with into this private room. */
export function InviteForm({ roomId }: { roomId: string }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [open, setOpen] = useState(false)
  const [userId, setUserId] = useState('')
  const people = useQuery({ ...trpc.room.people.queryOptions(), enabled: open })
  const members = useQuery({ ...trpc.room.members.queryOptions({ roomId }), enabled: open })
  const invite = useMutation(
    trpc.room.invite.mutationOptions({
      onSuccess: async () => {
        setUserId('')
        await queryClient.invalidateQueries({ queryKey: trpc.room.members.queryKey({ roomId }) })
      },
    }),
  )
  if (!open) {
    return (
      <button type="button" className="button ghost" onClick={() => setOpen(true)}>
        Invite
      </button>
    )
  }
  const memberIds = new Set(members.data?.map((member) => member.id))
  const candidates = people.data?.filter((person) => !memberIds.has(person.id)) ?? []
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (userId) invite.mutate({ roomId, userId })
  }
  return (
    <form className="invite-form" onSubmit={submit} onKeyDown={(event) => {
        if (event.key !== 'Escape') return
        event.stopPropagation()
        setOpen(false)
      }}>
      <select aria-label="Person to invite" value={userId} onChange={(event) => setUserId(event.target.value)}>
        <option value="">{people.isPending ? 'Loading people…' : candidates.length ? 'Choose someone' : 'Nobody else to invite'}</option>
        {candidates.map((person) => (
          <option key={person.id} value={person.id}>
            {person.name}
          </option>
        ))}
      </select>
      <button type="submit" className="button" disabled={!userId || invite.isPending}>
        Invite
      </button>
      <button type="button" className="link" onClick={() => setOpen(false)}>
        Done
      </button>
      {invite.isSuccess && <span className="muted" aria-live="polite">Invited</span>}
      {invite.error && <span className="error" role="alert">{invite.error.message}</span>}
    </form>
  )
}

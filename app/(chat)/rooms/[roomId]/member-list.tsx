'use client'
import { useQuery } from '@tanstack/react-query'
import { useTRPC } from '@/app/_lib/trpc'
import { useDisclosure } from '../../_lib/use-disclosure'

/** Who is in the room and who has the app open right now (online dots, updated live). */
export function MemberList({ roomId }: { roomId: string }) {
  const trpc = useTRPC()
  const { open, setOpen, toggle, closeOnEscape } = useDisclosure()
  const members = useQuery({ ...trpc.room.members.queryOptions({ roomId }), enabled: open })
  const online = members.data?.filter((member) => member.online).length
  return (
    <div className="member-list" onKeyDown={closeOnEscape}>
      <button ref={toggle} type="button" className="button ghost" aria-expanded={open} aria-controls={open ? 'room-members' : undefined} onClick={() => setOpen(!open)}>
        Members{online !== undefined ? ` · ${online} online` : ''}
      </button>
      {open && (
        <ul id="room-members" aria-label="Members" className="members-panel">
          {members.isPending && <li className="muted">Loading…</li>}
          {members.data?.map((member) => (
            <li key={member.id} aria-label={`${member.name}, ${member.online ? 'online' : 'offline'}`}>
              <span className={`presence-dot${member.online ? ' online' : ''}`} aria-hidden="true" />
              {member.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

import Link from 'next/link'
import type { ReactNode } from 'react'
import type { SessionUser } from '@/server/auth'
import { NewRoomForm } from './new-room-form'
import { NotificationSettings } from './notification-settings'
import { OfflinePages } from './offline-pages'
import { RoomNav } from './room-nav'
import { SignOutButton } from './sign-out-button'
import { StatusLine } from './status-line'

export function ChatShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  return (
    <div className="shell">
      <aside className="sidebar">
        <header className="brand">
          <Link href="/">Relay</Link>
        </header>
        <StatusLine />
        <NewRoomForm />
        <Link href="/" className="browse-link">
          Browse public rooms
        </Link>
        <RoomNav />
        <NotificationSettings />
        <footer className="me">
          <span className="me-name" title={user.email}>
            {user.name}
          </span>
          <SignOutButton />
        </footer>
      </aside>
      <main className="main">{children}</main>
      <OfflinePages />
    </div>
  )
}

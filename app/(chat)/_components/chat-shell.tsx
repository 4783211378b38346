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
      {/* First stop for the keyboard: past the sidebar, straight to the page's content. */}
      <a href="#main" className="skip-link">
        Skip to content
      </a>
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
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
      <OfflinePages />
    </div>
  )
}

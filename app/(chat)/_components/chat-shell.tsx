'use client'
import Link from 'next/link'
import { useState, type ReactNode } from 'react'
import type { SessionUser } from '@/server/auth'
import { NewRoomForm } from './new-room-form'
import { NotificationSettings } from './notification-settings'
import { OfflinePages } from './offline-pages'
import { RoomNav } from './room-nav'
import { SignOutButton } from './sign-out-button'
import { CompactStatus, StatusLine } from './status-line'
import { DrawerToggle, useSidebarDrawer } from './sidebar-drawer'
import { KeyboardShortcuts, type ShortcutDialog } from './keyboard-shortcuts'

/**
 * The sidebar and the page. On a wide screen both show side by side; on a narrow one the sidebar
 * is a drawer over the page, opened from the top bar (see sidebar-drawer.tsx).
 */
export function ChatShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  const drawer = useSidebarDrawer()
  const [shortcutDialog, setShortcutDialog] = useState<ShortcutDialog>()
  return (
    <div className={`shell${drawer.open ? ' drawer-open' : ''}`}>
      {/* First stop for the keyboard: past the sidebar, straight to the page's content. */}
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <DrawerToggle open={drawer.open} toggleRef={drawer.toggle} onToggle={() => drawer.setOpen(!drawer.open)} />
        <Link href="/" className="topbar-brand">
          Relay
        </Link>
        <CompactStatus />
      </header>
      <aside id="sidebar" className="sidebar" aria-label="Rooms and settings" {...drawer.sidebarProps}>
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
        <button type="button" className="status-toggle shortcuts-button" onClick={() => setShortcutDialog('help')}>
          Keyboard shortcuts <kbd>?</kbd>
        </button>
        <footer className="me">
          <span className="me-name" title={user.email}>
            {user.name}
          </span>
          <SignOutButton />
        </footer>
      </aside>
      {drawer.open && <div className="drawer-backdrop" aria-hidden="true" onClick={() => drawer.close(false)} />}
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
      <OfflinePages />
      <KeyboardShortcuts open={shortcutDialog} setOpen={setShortcutDialog} />
    </div>
  )
}

'use client'
import { useQuery } from '@tanstack/react-query'
import { usePathname } from 'next/navigation'
import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type RefObject, type TouchEvent } from 'react'
import { useTRPC } from '@/app/_lib/trpc'
import { totalUnread } from '../_lib/unread'

/** A leftward swipe this long (px), more sideways than down, closes the drawer. */
const SWIPE_CLOSE_PX = 60

/**
 * The sidebar as a drawer on narrow screens: opened by the top bar's button, closed by Escape,
 * the backdrop, a leftward swipe, or going to another page from it. Escape gives the focus back to the
 * button; opening moves it into the drawer (the current room, else the first control). On a wide
 * screen the drawer is always shown and none of this applies (the top bar is hidden by CSS).
 */
export function useSidebarDrawer() {
  const [open, setOpen] = useState(false)
  // Going to another page (a room link, a new room, Browse) closes it.
  const pathname = usePathname()
  const [openedOn, setOpenedOn] = useState(pathname)
  if (pathname !== openedOn) {
    setOpenedOn(pathname)
    setOpen(false)
  }
  const toggle = useRef<HTMLButtonElement>(null)
  const swipeStart = useRef<{ x: number; y: number } | undefined>(undefined)

  const close = (returnFocus: boolean) => {
    setOpen(false)
    if (returnFocus) toggle.current?.focus()
  }

  useEffect(() => {
    if (!open) return
    const sidebar = document.getElementById('sidebar')
    const target = sidebar?.querySelector<HTMLElement>('a[aria-current="page"]') ?? sidebar?.querySelector<HTMLElement>('a, button, input')
    target?.focus()
  }, [open])

  const sidebarProps = {
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key === 'Escape' && open) close(true)
    },
    // The current page's own link changes no page, but is a choice made: the drawer closes too.
    onClick: (event: MouseEvent) => {
      if (open && (event.target as HTMLElement).closest('a')) close(false)
    },
    onTouchStart: (event: TouchEvent) => {
      const touch = event.touches[0]
      swipeStart.current = touch && { x: touch.clientX, y: touch.clientY }
    },
    onTouchEnd: (event: TouchEvent) => {
      const start = swipeStart.current
      const touch = event.changedTouches[0]
      swipeStart.current = undefined
      if (!open || !start || !touch) return
      const dx = touch.clientX - start.x
      if (dx < -SWIPE_CLOSE_PX && Math.abs(dx) > Math.abs(touch.clientY - start.y)) close(false)
    },
  }

  return { open, setOpen, toggle, close, sidebarProps }
}

type ToggleProps = { open: boolean; toggleRef: RefObject<HTMLButtonElement | null>; onToggle(): void }

/** The top bar's button: says how many messages wait unread, so a closed drawer hides nothing. */
export function DrawerToggle({ open, toggleRef, onToggle }: ToggleProps) {
  const trpc = useTRPC()
  const rooms = useQuery(trpc.room.list.queryOptions())
  const unread = totalUnread(rooms.data)
  return (
    <button
      ref={toggleRef}
      type="button"
      className="drawer-toggle"
      aria-expanded={open}
      aria-controls="sidebar"
      onClick={onToggle}
    >
      <span aria-hidden="true">☰</span> Rooms
      {unread > 0 && (
        <span className="badge" aria-label={`${unread} unread`}>
          {unread}
        </span>
      )}
    </button>
  )
}

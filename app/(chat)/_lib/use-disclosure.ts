'use client'
import { useRef, useState, type KeyboardEvent } from 'react'

/**
 * A button that shows and hides a panel: whether it is open, the button's ref, and a keydown
 * handler for the pair's container that closes the panel on Escape and gives the focus back to
 * the button.
 */
export function useDisclosure() {
  const [open, setOpen] = useState(false)
  const toggle = useRef<HTMLButtonElement>(null)
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return
    // Handled: an enclosing drawer or menu stays open.
    event.stopPropagation()
    setOpen(false)
    toggle.current?.focus()
  }
  return { open, setOpen, toggle, closeOnEscape }
}

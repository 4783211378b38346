'use client'
import { useState } from 'react'
import { authClient } from '@/app/_lib/auth-client'

export function SignOutButton() {
  const [busy, setBusy] = useState(false)
  return (
    <button
      type="button"
      className="button ghost"
      disabled={busy}
      onClick={async () => {
        setBusy(true)
        await authClient.signOut()
        // A full navigation drops every cached query and the live connection.
        window.location.assign('/sign-in')
      }}
    >
      Sign out
    </button>
  )
}

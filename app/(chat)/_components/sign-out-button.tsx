'use client'
import { useState } from 'react'
import { authClient } from '@/app/_lib/auth-client'
import { forgetOfflinePages } from '@/app/_lib/offline-cache'

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
        await forgetOfflinePages().catch(() => {})
        // A full page load, not a client navigation: no cached query of this user may survive.
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination
        window.location.assign('/sign-in')
      }}
    >
      Sign out
    </button>
  )
}

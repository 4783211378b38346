'use client'
import Link from 'next/link'

/** A page that failed to render: say so in the app's own words, offer a retry; the details stay in the server log. */
export default function PageError({ reset }: { error: Error & { digest?: string }; reset(): void }) {
  return (
    <main className="auth">
      <div className="auth-card" role="alert">
        <p className="brand">Relay</p>
        <h1>Something went wrong</h1>
        <p>This page could not be shown. Your messages are safe; try again in a moment.</p>
        <div className="row">
          <button type="button" className="button" onClick={reset}>
            Try again
          </button>
          <Link href="/" className="button ghost">
            Back to your rooms
          </Link>
        </div>
      </div>
    </main>
  )
}

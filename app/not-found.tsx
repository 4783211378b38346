import Link from 'next/link'

/** Any address the app does not have, and a malformed room link. */
export default function NotFound() {
  return (
    <main className="auth">
      <div className="auth-card">
        <p className="brand">Relay</p>
        <h1>Page not found</h1>
        <p>There is nothing at this address. The link may be mistyped or out of date.</p>
        <Link href="/" className="button">
          Back to your rooms
        </Link>
      </div>
    </main>
  )
}

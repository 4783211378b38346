'use client'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { authClient } from '@/app/_lib/auth-client'
import { authErrorMessage } from '../auth-errors'

export function SignInForm() {
  const router = useRouter()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setBusy(true)
    setError(undefined)
    const result = await authClient.signIn.email({ email: String(form.get('email')), password: String(form.get('password')) })
    if (result.error) {
      setBusy(false)
      setError(authErrorMessage(result.error))
      return
    }
    router.replace('/')
    router.refresh()
  }

  return (
    <form className="auth-form" onSubmit={onSubmit}>
      <h1>Sign in</h1>
      <label htmlFor="email">Email</label>
      <input id="email" name="email" type="email" autoComplete="email" required autoFocus />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button wide" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="muted">
        New here? <Link href="/sign-up">Create an account</Link>
      </p>
    </form>
  )
}

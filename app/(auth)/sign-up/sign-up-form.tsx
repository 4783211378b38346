'use client'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { PASSWORD_MAX, PASSWORD_MIN, USER_NAME_MAX } from '@/server/chat/limits'
import { authClient } from '@/app/_lib/auth-client'
import { authErrorMessage } from '../auth-errors'

export function SignUpForm() {
  const router = useRouter()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const name = String(form.get('name')).trim()
    const password = String(form.get('password'))
    if (password.length < PASSWORD_MIN) {
      setError(authErrorMessage({ code: 'PASSWORD_TOO_SHORT' }))
      return
    }
    setBusy(true)
    setError(undefined)
    const result = await authClient.signUp.email({ name, email: String(form.get('email')), password })
    if (result.error) {
      setBusy(false)
      setError(authErrorMessage(result.error))
      return
    }
    router.replace('/')
    router.refresh()
  }

  return (
    <form className="auth-form" onSubmit={onSubmit} noValidate>
      <h1>Create an account</h1>
      <label htmlFor="name">Name</label>
      <input id="name" name="name" autoComplete="name" required maxLength={USER_NAME_MAX} autoFocus />
      <label htmlFor="email">Email</label>
      <input id="email" name="email" type="email" autoComplete="email" required />
      <label htmlFor="password">Password</label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        maxLength={PASSWORD_MAX}
        aria-describedby="password-hint"
      />
      <p id="password-hint" className="muted small">
        At least {PASSWORD_MIN} characters.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button wide" disabled={busy}>
        {busy ? 'Creating account…' : 'Create account'}
      </button>
      <p className="muted">
        Already have an account? <Link href="/sign-in">Sign in</Link>
      </p>
    </form>
  )
}

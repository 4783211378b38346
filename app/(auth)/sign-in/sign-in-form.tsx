'use client'
import Link from 'next/link'
import { authClient } from '@/app/_lib/auth-client'
import { useAuthForm } from '../use-auth-form'

export function SignInForm() {
  const { error, busy, onSubmit } = useAuthForm(async (form) => {
    const result = await authClient.signIn.email({ email: String(form.get('email')), password: String(form.get('password')) })
    return result.error
  })

  return (
    // POST: a submit before the page hydrates must not put the password in the address bar or a log.
    <form className="auth-form" method="post" onSubmit={onSubmit}>
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

'use client'
import Link from 'next/link'
import { PASSWORD_MAX, PASSWORD_MIN, USER_NAME_MAX } from '@/server/chat/limits'
import { authClient } from '@/app/_lib/auth-client'
import { useAuthForm } from '../use-auth-form'

export function SignUpForm() {
  const { error, busy, onSubmit } = useAuthForm(async (form) => {
    const password = String(form.get('password'))
    // Checked here too, so the answer is instant; the server enforces the same rule.
    if (password.length < PASSWORD_MIN) return { code: 'PASSWORD_TOO_SHORT' }
    const result = await authClient.signUp.email({ name: String(form.get('name')).trim(), email: String(form.get('email')), password })
    return result.error
  })

  return (
    // POST: a submit before the page hydrates must not put the password in the address bar or a log.
    <form className="auth-form" method="post" onSubmit={onSubmit} noValidate>
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

'use client'
import Link from 'next/link'
import { useState } from 'react'
import { PASSWORD_MAX, PASSWORD_MIN, USER_NAME_MAX } from '@/server/chat/limits'
import { authClient } from '@/app/_lib/auth-client'
import { useAuthForm } from '../use-auth-form'
import { signUpFieldErrors, type FieldErrors, type SignUpField } from './sign-up-fields'

export function SignUpForm() {
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({})
  const { error, busy, onSubmit } = useAuthForm(async (form) => {
    const values = { name: String(form.get('name') ?? ''), email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') }
    // Checked here too, so the answer is instant and names each field; the server enforces the same rules.
    const errors = signUpFieldErrors(values)
    setFieldErrors(errors)
    const first = (['name', 'email', 'password'] as const).find((field) => errors[field])
    if (first) {
      document.getElementById(first)?.focus()
      return { fieldsInvalid: true }
    }
    const result = await authClient.signUp.email({ name: values.name.trim(), email: values.email.trim(), password: values.password })
    return result.error
  })

  /** A field's error sits under it, is announced with it, and marks it invalid. */
  const described = (field: SignUpField, hint?: string) => ({
    'aria-invalid': fieldErrors[field] ? true : undefined,
    'aria-describedby': [hint, fieldErrors[field] ? `${field}-error` : undefined].filter(Boolean).join(' ') || undefined,
  })
  const fieldError = (field: SignUpField) =>
    fieldErrors[field] && (
      <p id={`${field}-error`} className="error field-error">
        {fieldErrors[field]}
      </p>
    )

  return (
    // POST: a submit before the page hydrates must not put the password in the address bar or a log.
    <form className="auth-form" method="post" onSubmit={onSubmit} noValidate>
      <h1>Create an account</h1>
      <label htmlFor="name">Name</label>
      <input id="name" name="name" autoComplete="name" required maxLength={USER_NAME_MAX} autoFocus {...described('name')} />
      {fieldError('name')}
      <label htmlFor="email">Email</label>
      <input id="email" name="email" type="email" autoComplete="email" required {...described('email')} />
      {fieldError('email')}
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="new-password" required maxLength={PASSWORD_MAX} {...described('password', 'password-hint')} />
      <p id="password-hint" className="muted small">
        At least {PASSWORD_MIN} characters.
      </p>
      {fieldError('password')}
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

'use client'
import { useState, type FormEvent } from 'react'
import { forgetOfflinePages } from '@/app/_lib/offline-cache'
import { authErrorMessage } from './auth-errors'

type AuthError = { code?: string | undefined; message?: string | undefined; status?: number }
/** The form already shows what is wrong next to each field: nothing to add below it. */
type FieldsInvalid = { fieldsInvalid: true }

/**
 * The submit cycle both auth forms share: busy while the request runs, the error in words on
 * failure, the chat (a fresh page load) on success. `submit` returns an error, or nothing when the user is in.
 */
export function useAuthForm(submit: (form: FormData) => Promise<AuthError | FieldsInvalid | null | undefined>) {
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    const failure = await submit(new FormData(event.currentTarget))
    if (failure) {
      setBusy(false)
      setError('fieldsInvalid' in failure ? undefined : authErrorMessage(failure))
      return
    }
    // A full page load: the client router may still hold '/' as the redirect to sign-in it got
    // while signed out, and nothing cached for the signed-out visitor should carry over.
    // The offline copies of pages may be someone else's.
    await forgetOfflinePages().catch(() => {})
    window.location.replace(new URL('/', window.location.href))
  }

  return { error, busy, onSubmit }
}

'use client'
import { useRouter } from 'next/navigation'
import { useState, type FormEvent } from 'react'
import { authErrorMessage } from './auth-errors'

type AuthError = { code?: string | undefined; message?: string | undefined; status?: number }

/**
 * The submit cycle both auth forms share: busy while the request runs, the error in words on
 * failure, the chat on success. `submit` returns an error, or nothing when the user is in.
 */
export function useAuthForm(submit: (form: FormData) => Promise<AuthError | null | undefined>) {
  const router = useRouter()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    const failure = await submit(new FormData(event.currentTarget))
    if (failure) {
      setBusy(false)
      setError(authErrorMessage(failure))
      return
    }
    router.replace('/')
    router.refresh()
  }

  return { error, busy, onSubmit }
}

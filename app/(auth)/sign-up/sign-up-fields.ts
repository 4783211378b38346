import { PASSWORD_MAX, PASSWORD_MIN, USER_NAME_MAX } from '@/server/chat/limits'

export type SignUpField = 'name' | 'email' | 'password'
export type FieldErrors = Partial<Record<SignUpField, string>>

/** Loose on purpose: the server has the last word; this catches the typo before a round trip. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u

/** Every problem with the sign-up fields at once, in sentences that say what to do; empty when all is well. */
export function signUpFieldErrors(values: Record<SignUpField, string>): FieldErrors {
  const errors: FieldErrors = {}
  const name = values.name.trim()
  if (!name) errors.name = 'Enter your name, as others in your rooms will see it.'
  else if (name.length > USER_NAME_MAX) errors.name = `Use at most ${USER_NAME_MAX} characters for your name.`
  const email = values.email.trim()
  if (!email) errors.email = 'Enter your email address.'
  else if (!EMAIL_SHAPE.test(email)) errors.email = 'Enter an email address like name@example.com.'
  if (!values.password) errors.password = `Choose a password of at least ${PASSWORD_MIN} characters.`
  else if (values.password.length < PASSWORD_MIN) errors.password = `Use at least ${PASSWORD_MIN} characters for your password (${values.password.length} so far).`
  else if (values.password.length > PASSWORD_MAX) errors.password = `Use at most ${PASSWORD_MAX} characters for your password.`
  return errors
}

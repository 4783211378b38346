import { PASSWORD_MIN } from '@/server/chat/limits'

/** Better Auth's error codes, in words a person can act on. */
export function authErrorMessage(error: { code?: string | undefined; message?: string | undefined; status?: number }): string {
  switch (error.code) {
    case 'INVALID_EMAIL_OR_PASSWORD':
      return 'Wrong email or password.'
    case 'USER_ALREADY_EXISTS':
    case 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL':
      return 'An account with this email already exists. Sign in instead?'
    case 'PASSWORD_TOO_SHORT':
      return `Password is too short: use at least ${PASSWORD_MIN} characters.`
    case 'PASSWORD_TOO_LONG':
      return 'Password is too long.'
    case 'INVALID_EMAIL':
      return 'That does not look like an email address.'
  }
  if (error.status === 429) return 'Too many attempts. Wait a minute and try again.'
  return error.message ?? 'Something went wrong. Try again.'
}

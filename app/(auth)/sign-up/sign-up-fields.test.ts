import { describe, expect, it } from 'vitest'
import { signUpFieldErrors } from './sign-up-fields'

describe('signUpFieldErrors', () => {
  it('names every empty field, not only the password', () => {
    expect(signUpFieldErrors({ name: '  ', email: '', password: '' })).toEqual({
      name: 'Enter your name, as others in your rooms will see it.',
      email: 'Enter your email address.',
      password: 'Choose a password of at least 8 characters.',
    })
  })

  it('explains a malformed email and a short password in words, and passes good values', () => {
    expect(signUpFieldErrors({ name: 'Ana', email: 'ana@', password: 'short' })).toEqual({
      email: 'Enter an email address like name@example.com.',
      password: 'Use at least 8 characters for your password (5 so far).',
    })
    expect(signUpFieldErrors({ name: 'Ana', email: 'ana@example.com', password: 'long enough' })).toEqual({})
  })
})

import { describe, expect, it } from 'vitest'
import { sessionCookieOnly, sessionToken } from './session-token.ts'

describe('the session cookie', () => {
  const header = 'theme=dark; better-auth.session_token=abc.sig; better-auth.session_data=' + 'x'.repeat(900)

  it('is read alone from a Cookie header, plain or Secure, and kept without the others', () => {
    expect(sessionToken(header)).toBe('abc.sig')
    expect(sessionCookieOnly(header)).toBe('better-auth.session_token=abc.sig')
    expect(sessionCookieOnly('__Secure-better-auth.session_token=t0k; a=b')).toBe('__Secure-better-auth.session_token=t0k')
  })

  it('is absent when the header carries none', () => {
    expect(sessionCookieOnly('theme=dark; better-auth.session_data=x')).toBeUndefined()
    expect(sessionCookieOnly(undefined)).toBeUndefined()
    expect(sessionToken('')).toBeUndefined()
  })
})

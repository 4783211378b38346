// Better Auth's session cookie, plain or Secure (server/auth.ts).
const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?better-auth\.session_token=([^;]+)/

/**
 * The session token a request carries, unverified: good for keying rates and cool-downs before
 * any session check (a forged one earns nothing but a refusal later), never for trusting anyone.
 */
export function sessionToken(cookieHeader: string | null | undefined): string | undefined {
  return SESSION_COOKIE.exec(cookieHeader ?? '')?.[1]
}

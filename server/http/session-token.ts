// Better Auth's session cookie, plain or Secure (server/auth.ts).
const SESSION_COOKIE = /(?:^|;\s*)((?:__Secure-)?better-auth\.session_token)=([^;]+)/

/**
 * The session token a request carries, unverified: good for keying rates and cool-downs before
 * any session check (a forged one earns nothing but a refusal later), never for trusting anyone.
 */
export function sessionToken(cookieHeader: string | null | undefined): string | undefined {
  return SESSION_COOKIE.exec(cookieHeader ?? '')?.[2]
}

/**
 * The session cookie alone (`name=value`), without the others a browser sends (Better Auth's
 * cached session data is about 1 KB): what a long-lived connection keeps for its session checks,
 * which always ask the database.
 */
export function sessionCookieOnly(cookieHeader: string | null | undefined): string | undefined {
  const found = SESSION_COOKIE.exec(cookieHeader ?? '')
  // A copy: a match is a slice of the header, and a slice keeps its whole parent string alive.
  return found ? Buffer.from(`${found[1]}=${found[2]}`).toString() : undefined
}

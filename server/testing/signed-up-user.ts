import { randomUUID } from 'node:crypto'
import { authFor } from '../auth.ts'

/**
 * Signs a user up through Better Auth (as the browser does) and returns their session cookie.
 * `behindTlsProxy`: as if through a proxy that says the browser came over https (a Secure cookie).
 */
export async function signedUpUser(name: string, origin: string, { behindTlsProxy = false } = {}) {
  const headers = new Headers({ host: new URL(origin).host, origin, ...(behindTlsProxy && { 'x-forwarded-proto': 'https' }) })
  const response = await authFor(headers).api.signUpEmail({
    body: { name, email: `${randomUUID()}@test.local`, password: 'correct horse battery' },
    headers,
    asResponse: true,
  })
  const cookie = response.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ')
  const { user } = (await response.json()) as { user: { id: string; name: string; email: string } }
  return { cookie, user }
}

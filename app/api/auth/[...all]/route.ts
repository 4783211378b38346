import { authFor } from '@/server/auth'
import { env } from '@/server/env'
import { withBodyLimit } from '@/server/http/body-limit'
import { isForeignWrite, trustedOrigins } from '@/server/http/origin'
import { FOREIGN_ORIGIN_MESSAGE } from '@/server/http/refusals'
import { loadShedder } from '@/server/limits/load-shedder'
import { retrySeconds } from '@/server/limits/refusals'

export const dynamic = 'force-dynamic'

/** Sign-up and sign-in bodies are a few hundred bytes. */
const MAX_AUTH_BODY_BYTES = 16 * 1024

// Sign-up, sign-in, sign-out and session endpoints (Better Auth).
async function handler(incoming: Request): Promise<Response> {
  if (isForeignWrite(incoming, trustedOrigins(env()))) return Response.json({ code: 'FORBIDDEN', message: FOREIGN_ORIGIN_MESSAGE }, { status: 403 })
  // Signing in hashes a password: the first thing to turn away when the instance is overloaded.
  const shedder = loadShedder()
  if (incoming.method === 'POST' && shedder.overloaded()) {
    const retryAfter = retrySeconds(shedder.retryAfterMs())
    return Response.json({ code: 'SERVICE_UNAVAILABLE', message: `The server is busy: try again in ${retryAfter} s.` }, { status: 503, headers: { 'retry-after': String(retryAfter) } })
  }
  const req = await withBodyLimit(incoming, MAX_AUTH_BODY_BYTES)
  return req instanceof Response ? req : authFor(req.headers).handler(req)
}

export { handler as GET, handler as POST }

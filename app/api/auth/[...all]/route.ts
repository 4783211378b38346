import { auth } from '@/server/auth'
import { withBodyLimit } from '@/server/http/body-limit'

export const dynamic = 'force-dynamic'

/** Sign-up and sign-in bodies are a few hundred bytes. */
const MAX_AUTH_BODY_BYTES = 16 * 1024

// Sign-up, sign-in, sign-out and session endpoints (Better Auth).
async function handler(incoming: Request): Promise<Response> {
  const req = await withBodyLimit(incoming, MAX_AUTH_BODY_BYTES)
  return req instanceof Response ? req : auth().handler(req)
}

export { handler as GET, handler as POST }

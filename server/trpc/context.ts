import { sessionUser, type SessionUser } from '../auth.ts'

export type CreateContextOptions = {
  headers: Headers
  /** Set when the transport authenticated already (the WebSocket upgrade checks the cookie). */
  user?: SessionUser | null
}

/** One context for HTTP and WebSocket; `user: null` is the signed-out case. */
export async function createContext({ headers, user }: CreateContextOptions): Promise<{ user: SessionUser | null; headers: Headers }> {
  return { user: user !== undefined ? user : await sessionUser(headers), headers }
}

export type Context = Awaited<ReturnType<typeof createContext>>

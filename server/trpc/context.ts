import { sessionUser, type SessionUser } from '../auth.ts'

export type CreateContextOptions = {
  headers: Headers
  /**
   * The user, when the transport has established it: the WebSocket server authenticated the
   * upgrade and watches that session for the socket's whole life (server/transport/ws/attach.ts); the HTTP
   * route read the cookie to apply the user's rate. Unset: the cookie is read here.
   */
  user?: SessionUser | null
}

/** What every procedure knows of its caller, over HTTP and WebSocket alike; `user: null` is the signed-out case. */
export type Context = { user: SessionUser | null }

export async function createContext({ headers, user }: CreateContextOptions): Promise<Context> {
  return { user: user === undefined ? await sessionUser(headers) : user }
}

import { sessionUser, type SessionUser } from '../auth.ts'

export type CreateContextOptions = {
  headers: Headers
  /**
   * Set by the WebSocket server, which authenticated the upgrade and watches that session for
   * the socket's whole life (server/ws/attach.ts). Unset for HTTP: the cookie is read here.
   */
  socketUser?: SessionUser | null
}

/** One context for HTTP and WebSocket; `user: null` is the signed-out case. */
export async function createContext({ headers, socketUser }: CreateContextOptions) {
  const overSocket = socketUser !== undefined
  return {
    user: overSocket ? socketUser : await sessionUser(headers),
    headers,
    /** True when the connection itself ends once the session does (a WebSocket). */
    sessionWatchedByConnection: overSocket,
  }
}

export type Context = Awaited<ReturnType<typeof createContext>>

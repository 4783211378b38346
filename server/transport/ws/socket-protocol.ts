// What the browser and the WebSocket server agree on beside tRPC's own frames.

/** The one path that upgrades to a WebSocket (no Next route matches it). */
export const WS_PATH = '/api/ws'

/** Close code telling the client its session ended: sign in again rather than reconnect. */
export const SESSION_ENDED_CLOSE_CODE = 4401

/** Close code for a socket that kept sending after it was told to slow down. */
export const FLOODING_CLOSE_CODE = 4429

/** After such a close, the session's new sockets are refused this long; the browser waits a little longer before it tries. */
export const FLOODING_COOLDOWN_MS = 10_000

/** Close code for the oldest connection of a user who opened more than the instance allows. */
export const TOO_MANY_CONNECTIONS_CLOSE_CODE = 4409

/** Why the oldest connection of such a user was closed. */
export const TOO_MANY_CONNECTIONS_MESSAGE = 'Too many connections for this account on this server: the oldest was closed.'

// What the browser and the WebSocket server agree on beside tRPC's own frames.

/** The one path that upgrades to a WebSocket (no Next route matches it). */
export const WS_PATH = '/api/ws'

/** Close code telling the client its session ended: sign in again rather than reconnect. */
export const SESSION_ENDED_CLOSE_CODE = 4401

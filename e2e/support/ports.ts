/** The app under test. */
export const APP_PORT = 3100
/** nginx in front of it, dropping Upgrade (WebSocket cannot pass). */
export const RESTRICTIVE_PROXY_PORT = 3101

export const PROXY_ORIGINS = [`http://localhost:${RESTRICTIVE_PROXY_PORT}`, `http://127.0.0.1:${RESTRICTIVE_PROXY_PORT}`]

/**
 * Heartbeats on both transports, shared by server and client. A connection that goes silent
 * without closing (a dropped NAT mapping, a frozen proxy) is replaced within 10 s:
 * WebSocket: a ping after 4 s without traffic and 3 s to answer it, from both ends (≤ 7 s, plus
 * half a second for a close handshake that never completes);
 * SSE: the server pings every 3 s and the client reconnects after 7 s without a byte.
 */
export const WS_PING_INTERVAL_MS = 4_000
export const WS_PONG_TIMEOUT_MS = 3_000
export const SSE_PING_MS = 3_000
export const SSE_RECONNECT_AFTER_INACTIVITY_MS = 7_000

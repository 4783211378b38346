import type { IncomingMessage } from 'node:http'

/**
 * Browsers always send Origin on a WebSocket upgrade; a page on another site must not ride the
 * user's cookie (cross-site WebSocket hijacking). Same origin is allowed, plus the allowlist.
 * Non-browser clients send no Origin and still need a valid session cookie.
 */
export function isOriginAllowed(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  const host = req.headers.host
  const forwardedProto = req.headers['x-forwarded-proto']
  const protocol = (Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto) ?? ('encrypted' in req.socket ? 'https' : 'http')
  const sameOrigin = host !== undefined && (origin === `${protocol}://${host}` || origin === `http://${host}` || origin === `https://${host}`)
  return sameOrigin || allowedOrigins.includes(origin)
}

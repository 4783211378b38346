import type { IncomingMessage } from 'node:http'
import { originAllowed } from '../../http/origin.ts'

/** A page on another site must not ride the user's cookie into a WebSocket (cross-site WebSocket hijacking). */
export function isOriginAllowed(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  return originAllowed(req.headers.origin, req.headers.host, allowedOrigins)
}

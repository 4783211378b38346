import type { IncomingMessage } from 'node:http'

/**
 * Unless a trusted proxy sets them, a client could claim any address (and dodge the sign-in rate
 * limit) or claim https (and be given Secure cookies over plain http): the address is replaced by
 * the socket's, and the claimed protocol dropped.
 */
export function trustForwardedHeaders(req: IncomingMessage, trustProxy: boolean): void {
  if (trustProxy) return
  req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? ''
  delete req.headers['x-forwarded-proto']
}

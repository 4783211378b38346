/**
 * Whether a browser request may act for the user whose cookie it carries: it comes from a page of
 * this app (the Origin names the host the request was sent to) or from an origin the operator
 * allowed (ALLOWED_ORIGINS, PUBLIC_URL). Browsers always send Origin on a WebSocket upgrade and on
 * a POST; a request without one is not from a page (scripts, tools) and still needs a session.
 */
export function originAllowed(origin: string | null | undefined, host: string | null | undefined, allowedOrigins: readonly string[]): boolean {
  if (origin === undefined || origin === null) return true
  if (host && (origin === `http://${host}` || origin === `https://${host}`)) return true
  return allowedOrigins.includes(origin)
}

/** Origins other than the request's own that may act: ALLOWED_ORIGINS and the origin of PUBLIC_URL. */
export function trustedOrigins({ ALLOWED_ORIGINS, PUBLIC_URL }: { ALLOWED_ORIGINS: readonly string[]; PUBLIC_URL?: string | undefined }): string[] {
  return [...ALLOWED_ORIGINS, ...(PUBLIC_URL ? [new URL(PUBLIC_URL).origin] : [])]
}

/** A browser request that changes something and comes from a page of another origin. */
export function isForeignWrite(req: Request, allowedOrigins: readonly string[]): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return false
  return !originAllowed(req.headers.get('origin'), req.headers.get('host'), allowedOrigins)
}

/** What a page may not use (the app asks for notifications only, which this header does not cover). */
const PERMISSIONS_POLICY = ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'bluetooth', 'serial', 'hid', 'midi', 'magnetometer', 'gyroscope', 'accelerometer', 'browsing-topics']
  .map((feature) => `${feature}=()`)
  .join(', ')

/** Headers every answer carries, pages and API alike. HSTS only where the app is known to be served over https. */
export function securityHeaders({ PUBLIC_URL }: { PUBLIC_URL?: string | undefined }): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'permissions-policy': PERMISSIONS_POLICY,
    // Older browsers that ignore CSP's frame-ancestors: nobody frames the app (clickjacking Leave, Delete, Invite).
    'x-frame-options': 'DENY',
    ...(PUBLIC_URL?.startsWith('https:') ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  }
}

/** An API answer is data, never a document: it may load nothing and be framed by nobody. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"

/**
 * A page's policy: scripts only with this response's nonce (Next puts it on its own scripts) and
 * what they load; connections to this origin, its WebSocket included; nothing framed, nothing
 * framing it, no plugins, no <base> tricks. Styles may be inline (React style attributes).
 */
export function pageContentSecurityPolicy(nonce: string, { dev }: { dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // 'self' covers ws:/wss: of this host in current browsers; the schemes keep older ones working behind any host name.
    "connect-src 'self' ws: wss:",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

import { NextResponse, type NextRequest } from 'next/server'
import { pageContentSecurityPolicy } from './server/http/security-headers'

/**
 * Every page gets a Content-Security-Policy with a fresh nonce. Next reads the policy from the
 * request headers and puts the nonce on the scripts it renders, so pages are rendered per request.
 * (Headers shared with the API are set by the custom server, server/main.ts.)
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64')
  const policy = pageContentSecurityPolicy(nonce, { dev: process.env.NODE_ENV !== 'production' })
  const headers = new Headers(request.headers)
  headers.set('x-nonce', nonce)
  headers.set('content-security-policy', policy)
  const response = NextResponse.next({ request: { headers } })
  response.headers.set('content-security-policy', policy)
  return response
}

export const config = {
  // Pages only: the API and build files carry the headers the custom server sets.
  matcher: [{ source: '/((?!api/|_next/static|_next/image|favicon.ico|sw.js).*)' }],
}

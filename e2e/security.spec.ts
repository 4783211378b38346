import { networkInterfaces } from 'node:os'
import type { APIResponse, Page } from '@playwright/test'
import { createRoom, expect, nonce, test } from './fixtures'
import { APP_PORT } from './support/ports'

const FOREIGN_ORIGIN = 'https://evil.example'

function expectCommonHeaders(response: APIResponse, where: string): void {
  const headers = response.headers()
  expect(headers['x-content-type-options'], where).toBe('nosniff')
  expect(headers['referrer-policy'], where).toBe('strict-origin-when-cross-origin')
  expect(headers['permissions-policy'], where).toContain('camera=()')
  expect(headers['x-frame-options'], where).toBe('DENY')
  // Plain http here (no PUBLIC_URL): HSTS would pin a name to https that does not serve it.
  expect(headers['strict-transport-security'], where).toBeUndefined()
  const csp = headers['content-security-policy'] ?? ''
  for (const directive of ["frame-ancestors 'none'", "base-uri 'none'"]) expect(csp, `${where}: ${directive}`).toContain(directive)
}

test.describe('security headers, framing, Origin and cookies', () => {
  test('every page and API answer carries the headers; a page’s scripts run only with its own nonce', async ({ newPerson }) => {
    const ana = await newPerson('Ana')
    const roomId = await createRoom(ana.page, `headers-${nonce()}`)
    const request = ana.context.request
    const nonces = new Set<string>()
    for (const path of ['/sign-in', '/sign-up', '/', `/rooms/${roomId}`]) {
      const response = await request.get(path)
      expect(response.status(), path).toBe(200)
      expectCommonHeaders(response, path)
      const csp = response.headers()['content-security-policy']!
      expect(csp).toContain("object-src 'none'")
      expect(csp).toMatch(/connect-src [^;]*'self'/)
      const scriptNonce = /script-src [^;]*'nonce-([^']+)'/.exec(csp)?.[1]
      expect(scriptNonce, `${path}: script nonce`).toBeTruthy()
      // Next marks its own scripts with that nonce; a fresh one per answer.
      expect(await response.text()).toContain(`nonce="${scriptNonce}"`)
      nonces.add(scriptNonce!)
    }
    expect(nonces.size).toBe(4)
    for (const path of ['/api/health', '/api/ready', '/api/trpc/room.list']) {
      const response = await request.get(path)
      expect(response.status(), path).toBe(200)
      expectCommonHeaders(response, path)
      expect(response.headers()['content-security-policy']).toContain("default-src 'none'")
    }
  })

  test('a page of another origin cannot frame the app', async ({ browser, baseURL }) => {
    const context = await browser.newContext()
    const page = await context.newPage()
    // The framing page comes from another origin of the same site (another port: the browser's
    // private-network rules would stop a public one before our headers are even asked); the frame
    // asks for the real app.
    const framing = `http://localhost:${APP_PORT + 50}/`
    await page.route(framing, (route) => route.fulfill({ contentType: 'text/html', body: `<h1>Click here</h1><iframe src="${baseURL}/sign-in" width="800" height="600"></iframe>` }))
    const appAsked = page.waitForRequest(`${baseURL}/sign-in`)
    await page.goto(framing)
    await appAsked
    // Chromium swaps a frame it refuses to show for its own error page: the sign-in form never appears in it.
    await expect.poll(() => page.frames().find((frame) => frame !== page.mainFrame())?.url()).toMatch(/^chrome-error:/)
    await expect(page.frameLocator('iframe').getByRole('heading', { name: 'Sign in' })).toHaveCount(0)
    await context.close()
  })

  test('a write from a foreign Origin is refused with 403 and changes nothing, on tRPC and on Better Auth', async ({ newPerson, playwright, baseURL }) => {
    const ana = await newPerson('Ana')
    const request = ana.context.request
    const roomName = `forged-${nonce()}`
    const forged = await request.post('/api/trpc/room.create', { headers: { origin: FOREIGN_ORIGIN, 'content-type': 'application/json' }, data: { name: roomName } })
    expect(forged.status()).toBe(403)
    expect(JSON.stringify(await forged.json())).toContain('another site')
    const rooms = await request.get('/api/trpc/room.list')
    expect(JSON.stringify(await rooms.json())).not.toContain(roomName)
    // The same call from the app's own origin works: the refusal was the Origin's doing.
    const own = await request.post('/api/trpc/room.create', { headers: { origin: baseURL!, 'content-type': 'application/json' }, data: { name: roomName } })
    expect(own.status()).toBe(200)

    // Better Auth: sign-out from a foreign page leaves the session alone; sign-up creates nobody.
    const signOut = await request.post('/api/auth/sign-out', { headers: { origin: FOREIGN_ORIGIN, 'content-type': 'application/json' }, data: {} })
    expect(signOut.status()).toBe(403)
    await ana.page.reload()
    await expect(ana.page.getByRole('heading', { name: 'Public rooms' })).toBeVisible()
    const anonymous = await playwright.request.newContext({ baseURL })
    const email = `forged-${nonce()}@example.test`
    const signUp = await anonymous.post('/api/auth/sign-up/email', { headers: { origin: FOREIGN_ORIGIN }, data: { name: 'Forged', email, password: 'forged-password-1' } })
    expect(signUp.status()).toBe(403)
    const signIn = await anonymous.post('/api/auth/sign-in/email', { headers: { origin: baseURL! }, data: { email, password: 'forged-password-1' } })
    expect(signIn.status()).toBe(401)
    await anonymous.dispose()
  })

  test('over plain http from a LAN address, the session cookie is not Secure and the person stays signed in', async ({ browser }) => {
    const lanAddress = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal)?.address
    expect(lanAddress, 'this machine needs a non-loopback IPv4 address for this test').toBeTruthy()
    const context = await browser.newContext({ baseURL: `http://${lanAddress}:${APP_PORT}` })
    const page = await context.newPage()
    await signUpOn(page)
    const cookies = await context.cookies()
    const session = cookies.find((cookie) => cookie.name.endsWith('better-auth.session_token'))
    expect(session?.name).toBe('better-auth.session_token')
    expect(session?.secure).toBe(false)
    // Kept: a reload and a new page are still signed in, and live.
    await page.reload()
    await expect(page.getByRole('heading', { name: 'Public rooms' })).toBeVisible()
    await expect(page.getByRole('status')).toContainText('Live')
    await context.close()
  })
})

async function signUpOn(page: Page): Promise<void> {
  await page.goto('/sign-up')
  await page.getByRole('textbox', { name: 'Name' }).fill('Lan')
  await page.getByRole('textbox', { name: 'Email' }).fill(`lan-${nonce()}@example.test`)
  await page.getByLabel('Password').fill(`pw-${nonce()}-secret`)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('heading', { name: 'Public rooms' })).toBeVisible()
}

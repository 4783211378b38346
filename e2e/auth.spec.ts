import { expect, nonce, test } from './fixtures'

test('signed-out visits go to sign-in; sign-up and sign-in show inline errors; sign-out ends the session', async ({ browser, newPerson, baseURL }) => {
  const dana = await newPerson('Dana')
  const { page } = dana

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL('**/sign-in')
  await page.goto('/')
  await expect(page).toHaveURL(/\/sign-in$/)
  await page.goto(`/rooms/${crypto.randomUUID()}`)
  await expect(page).toHaveURL(/\/sign-in$/)

  await page.getByRole('textbox', { name: 'Email' }).fill(dana.email)
  await page.getByLabel('Password').fill('wrong-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.locator('form').getByRole('alert')).toHaveText('Wrong email or password.')

  await page.getByRole('link', { name: 'Create an account' }).click()
  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible()
  await page.getByRole('textbox', { name: 'Name' }).fill('Dana again')
  await page.getByRole('textbox', { name: 'Email' }).fill(dana.email)
  await page.getByLabel('Password').fill('long-enough-password')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.locator('form').getByRole('alert')).toContainText('already exists')

  await page.getByRole('textbox', { name: 'Email' }).fill(`short-${nonce()}@example.test`)
  await page.getByLabel('Password').fill('short')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(/Use at least 8 characters for your password \(5 so far\)/)
  await expect(page.getByLabel('Password')).toBeFocused()

  // Every empty or malformed field says what is wrong with it, under it; the first takes the focus.
  await page.getByRole('textbox', { name: 'Name' }).fill('')
  await page.getByRole('textbox', { name: 'Email' }).fill('dana@')
  await page.getByLabel('Password').fill('')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription('Enter your name, as others in your rooms will see it.')
  await expect(page.getByRole('textbox', { name: 'Name' })).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByRole('textbox', { name: 'Name' })).toBeFocused()
  await expect(page.getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription('Enter an email address like name@example.com.')
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(/Choose a password of at least 8 characters/)

  // Both forms have an Email box: wait for the sign-in form before typing into it.
  await page.getByRole('link', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  await page.getByRole('textbox', { name: 'Email' }).fill(dana.email)
  await page.getByLabel('Password').fill(dana.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Public rooms' })).toBeVisible()

  // The API refuses a client without a session.
  const anonymous = await browser.newContext({ baseURL })
  const response = await anonymous.request.get('/api/trpc/room.list')
  expect(response.status()).toBe(401)
  await anonymous.close()
})

test('a sign-in or sign-up submitted before the page runs its scripts sends no credentials in the URL', async ({ browser }) => {
  // Scripts off: the page as it is before hydration (or where it never hydrates).
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  const secret = `pw-${nonce()}-secret`
  for (const [path, button] of [['/sign-in', 'Sign in'], ['/sign-up', 'Create account']] as const) {
    await page.goto(path)
    if (path === '/sign-up') await page.getByRole('textbox', { name: 'Name' }).fill('Early')
    await page.getByRole('textbox', { name: 'Email' }).fill(`early-${nonce()}@example.test`)
    await page.getByLabel('Password').fill(secret)
    const submitted = page.waitForRequest((request) => (request.isNavigationRequest() && request.method() !== 'GET') || request.url().includes('password'))
    await page.getByRole('button', { name: button }).click()
    const request = await submitted
    expect(request.method()).toBe('POST')
    expect(request.url()).not.toContain(secret)
    expect(request.url()).not.toContain('password')
    expect(page.url()).not.toContain(secret)
  }
  await context.close()
})

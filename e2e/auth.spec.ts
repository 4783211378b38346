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
  await expect(page.locator('form').getByRole('alert')).toContainText('too short')

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

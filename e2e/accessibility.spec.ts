import AxeBuilder from '@axe-core/playwright'
import type { Browser, BrowserContextOptions, Page } from '@playwright/test'
import { PHONE, clickMessageAction, createRoom, expect, joinRoom, messageLog, nonce, sendMessage, test } from './fixtures'

type Layout = { name: string; context: BrowserContextOptions }

const LAYOUTS: Layout[] = [
  { name: '1440-light', context: { viewport: { width: 1440, height: 900 }, colorScheme: 'light' } },
  { name: '1440-dark', context: { viewport: { width: 1440, height: 900 }, colorScheme: 'dark' } },
  { name: '390-light', context: { ...PHONE, colorScheme: 'light' } },
  { name: '390-dark', context: { ...PHONE, colorScheme: 'dark' } },
]

/** Runs axe-core on the page as it is; a critical or serious violation fails the test, named with where it is. */
async function expectAccessible(page: Page, screen: string) {
  const results = await new AxeBuilder({ page }).analyze()
  const blocking = results.violations
    .filter((violation) => violation.impact === 'critical' || violation.impact === 'serious')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
  expect.soft(blocking, `axe on ${screen}`).toEqual([])
  // `SCREENSHOTS_DIR=docs/screenshots npx playwright test accessibility` refreshes the README's pictures.
  if (process.env.SCREENSHOTS_DIR) await page.screenshot({ path: `${process.env.SCREENSHOTS_DIR}/${screen}.png` })
}

async function openContext(browser: Browser, baseURL: string, layout: Layout, storageState?: BrowserContextOptions['storageState']) {
  const context = await browser.newContext({ ...layout.context, baseURL, ...(storageState ? { storageState } : {}) })
  return { context, page: await context.newPage() }
}

test('no critical or serious axe violation on any screen, light and dark, at 1440 px and at 390 px', async ({ newPerson, browser, baseURL }) => {
  test.setTimeout(180_000)
  // A room with everything a message can show: Markdown, a long code block, reactions, an edit, a deletion.
  const ana = await newPerson('Ana')
  const ben = await newPerson('Ben')
  const room = `design-${nonce()}`
  await createRoom(ana.page, room)
  await joinRoom(ben.page, room)
  await sendMessage(ana.page, 'Plan for **Friday**:\n\n- ship the *drawer*\n- read [the notes](https://example.com/notes)\n\n> quoted from the doc')
  await sendMessage(ben.page, '```\n' + `const line = '${'a very long line of code '.repeat(12)}'` + '\n```')
  await sendMessage(ben.page, 'Looks good @Ana, thanks!')
  await sendMessage(ana.page, 'typo in this one')
  await sendMessage(ana.page, 'this one goes away')
  const log = messageLog(ana.page)
  await expect(log.locator('article[data-status="sent"]')).toHaveCount(5)
  const friday = log.locator('article', { hasText: 'Plan for' })
  await clickMessageAction(friday, 'React')
  await friday.getByRole('button', { name: 'React with 👍' }).click()
  const typo = log.locator('article', { hasText: 'typo in this one' })
  await clickMessageAction(typo, 'Edit')
  // The only edit box open: found on the page, since the message's text is about to change.
  await ana.page.getByRole('textbox', { name: 'Edit message' }).fill('fixed in this one')
  await ana.page.getByRole('textbox', { name: 'Edit message' }).press('Enter')
  await expect(log.getByText('(edited)')).toBeVisible()
  const doomed = log.locator('article', { hasText: 'this one goes away' })
  await clickMessageAction(doomed, 'Delete')
  await doomed.getByRole('button', { name: 'Yes, delete' }).click()
  await expect(log.getByText('message deleted')).toBeVisible()
  const roomUrl = ana.page.url()
  const signedIn = await ana.context.storageState()

  for (const layout of LAYOUTS) {
    const phone = layout.name.startsWith('390')
    const out = await openContext(browser, baseURL!, layout)
    await out.page.goto('/sign-in')
    await expect(out.page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
    await expectAccessible(out.page, `sign-in-${layout.name}`)
    await out.page.goto('/sign-up')
    await expect(out.page.getByRole('heading', { name: 'Create an account' })).toBeVisible()
    await expectAccessible(out.page, `sign-up-${layout.name}`)
    await out.context.close()

    const { context, page } = await openContext(browser, baseURL!, layout, signedIn)
    await page.goto('/')
    await expect(page.getByRole('heading', { name: 'Public rooms' })).toBeVisible()
    await expect(page.getByRole('button', { name: `Join ${room}` }).or(page.getByRole('link', { name: 'Open' }).first())).toBeVisible()
    await expectAccessible(page, `rooms-${layout.name}`)
    if (phone) {
      await page.getByRole('button', { name: /^Rooms/ }).click()
      await expect(page.getByRole('navigation', { name: 'Rooms' })).toBeInViewport()
      await expectAccessible(page, `drawer-${layout.name}`)
      await page.keyboard.press('Escape')
    }

    await page.goto(roomUrl)
    await expect(messageLog(page).getByText('message deleted')).toBeVisible()
    await expect(messageLog(page).getByRole('button', { name: '👍 1' })).toBeVisible()
    await expectAccessible(page, `room-${layout.name}`)

    if (phone) await page.getByRole('button', { name: 'Room actions' }).click()
    await page.getByRole('button', { name: /^Members/ }).click()
    await expect(page.getByRole('list', { name: 'Members' }).getByText('Ben')).toBeVisible()
    await expectAccessible(page, `members-${layout.name}`)
    await page.keyboard.press('Escape')

    const search = page.getByRole('searchbox', { name: 'Search this room' })
    await search.fill('friday')
    await search.press('Enter')
    await expect(page.getByText('1 found for “friday”')).toBeVisible()
    await expectAccessible(page, `search-${layout.name}`)
    await search.press('Escape')

    await page.getByRole('textbox', { name: 'Message' }).focus()
    await page.keyboard.press('Control+k')
    await expect(page.getByRole('dialog', { name: 'Switch room' })).toBeVisible()
    await expectAccessible(page, `switcher-${layout.name}`)
    await page.keyboard.press('Escape')
    await messageLog(page).locator('article').last().focus()
    await page.keyboard.press('?')
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible()
    await expectAccessible(page, `shortcuts-${layout.name}`)
    await context.close()
  }
})

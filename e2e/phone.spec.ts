import type { Page } from '@playwright/test'
import { createRoom, expect, joinRoom, messageLog, nonce, PHONE, scrollsSideways, sendMessage, test } from './fixtures'

/** Every step of the flow must fit the phone's width: nothing scrolls sideways. */
async function fits(page: Page, step: string) {
  expect(await scrollsSideways(page), `${step}: the page scrolls sideways at 390 px`).toBe(false)
}

const openDrawer = async (page: Page) => {
  await page.getByRole('button', { name: /^Rooms/ }).tap()
  await expect(page.getByRole('navigation', { name: 'Rooms' })).toBeInViewport()
}

test('on a phone (390 × 844, touch): sign up, the drawer, switching rooms, send, react, edit, members, search, sign out', async ({ newPerson }) => {
  const bea = await newPerson('Bea')
  const crew = `crew-${nonce()}`
  await createRoom(bea.page, crew)
  await sendMessage(bea.page, 'Morning! Stand-up notes are in the doc.')

  const pia = await newPerson('Pia', { context: PHONE })
  const { page } = pia
  await fits(page, 'after sign-up')
  // The sidebar is a closed drawer: the page's content has the screen.
  await expect(page.getByRole('navigation', { name: 'Rooms' })).toBeHidden()
  await expect(page.getByRole('heading', { name: 'Public rooms' })).toBeInViewport()

  // Her own room, created from the drawer.
  const own = `pia-${nonce()}`
  await openDrawer(page)
  await fits(page, 'drawer open')
  await page.getByRole('button', { name: 'New room' }).tap()
  await page.getByRole('textbox', { name: 'Room name' }).fill(own)
  await page.getByRole('button', { name: 'Create' }).tap()
  await expect(page.getByRole('heading', { name: `#${own}` })).toBeInViewport()
  await expect(page.getByRole('navigation', { name: 'Rooms' })).toBeHidden()
  await joinRoom(page, crew)
  await fits(page, 'room')

  // Switch rooms from the drawer: following a link closes it.
  await openDrawer(page)
  await page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(own) }).tap()
  await expect(page.getByRole('heading', { name: `#${own}` })).toBeInViewport()
  await expect(page.getByRole('navigation', { name: 'Rooms' })).toBeHidden()
  // A leftward swipe closes it too.
  await openDrawer(page)
  await swipeLeft(page)
  await expect(page.getByRole('navigation', { name: 'Rooms' })).toBeHidden()
  await openDrawer(page)
  await page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(crew) }).tap()
  await expect(page.getByRole('heading', { name: `#${crew}` })).toBeInViewport()

  // Send: the box and the button sit at the bottom of the screen.
  const box = page.getByRole('textbox', { name: 'Message' })
  await expect(box).toBeInViewport()
  await box.fill('On my way, 5 min')
  await page.getByRole('button', { name: 'Send' }).tap()
  const sent = messageLog(page).locator('article', { hasText: 'On my way, 5 min' })
  await expect(sent).toHaveAttribute('data-status', 'sent')
  // Found by its place in the room from here on: its text is about to change.
  const mine = messageLog(page).locator(`article[data-seq="${await sent.getAttribute('data-seq')}"]`)
  await fits(page, 'after sending')

  // React to Bea's message by tap: the actions are shown on a touch screen, no hover needed.
  const beas = messageLog(page).locator('article', { hasText: 'Stand-up notes' })
  await beas.getByRole('button', { name: 'React', exact: true }).tap()
  await beas.getByRole('button', { name: 'React with 🎉' }).tap()
  await expect(beas.getByRole('button', { name: '🎉 1' })).toBeInViewport()
  await expect(bea.page.getByRole('button', { name: '🎉 1' })).toBeVisible()

  // Edit her own message.
  await mine.getByRole('button', { name: 'Edit' }).tap()
  await mine.getByRole('textbox', { name: 'Edit message' }).fill('On my way, 10 min')
  await mine.getByRole('button', { name: 'Save' }).tap()
  await expect(messageLog(page).getByText('On my way, 10 min')).toBeInViewport()
  await expect(bea.page.getByText('On my way, 10 min')).toBeVisible()
  await fits(page, 'after editing')

  // The header's actions are one menu: members, then search.
  const actions = page.getByRole('button', { name: 'Room actions' })
  await actions.tap()
  await page.getByRole('button', { name: /^Members/ }).tap()
  const members = page.getByRole('list', { name: 'Members' })
  await expect(members.getByText('Bea')).toBeInViewport()
  await expect(members.getByText('Pia')).toBeInViewport()
  await fits(page, 'member list')
  await page.getByRole('button', { name: /^Members/ }).tap()
  const search = page.getByRole('searchbox', { name: 'Search this room' })
  await expect(search).toBeInViewport()
  await search.fill('stand-up')
  await search.press('Enter')
  const results = page.getByRole('region', { name: 'Search results' })
  await expect(results.getByText('1 found for “stand-up”')).toBeInViewport()
  await fits(page, 'search results')
  await results.getByRole('button', { name: /Stand-up notes/ }).tap()
  await expect(beas).toBeInViewport()

  // Sign out from the drawer.
  await openDrawer(page)
  await page.getByRole('button', { name: 'Sign out' }).tap()
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeInViewport()
  await fits(page, 'sign-in page')
})

test('at 200 % zoom on a laptop (a 720 px wide viewport) and at 320 px the drawer layout takes over and nothing scrolls sideways', async ({ newPerson }) => {
  const { page } = await newPerson('Zed', { context: { viewport: { width: 720, height: 450 } } })
  const room = `zoom-${nonce()}`
  await page.getByRole('button', { name: /^Rooms/ }).click()
  await createRoom(page, room)
  await sendMessage(page, `a long line without spaces ${'x'.repeat(300)}`)
  await expect(messageLog(page).locator('article[data-status="sent"]')).toHaveCount(1)
  expect(await scrollsSideways(page)).toBe(false)
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeInViewport()

  // The narrowest phones in use (320 px): the room, the drawer and the sign-in page still fit.
  await page.setViewportSize({ width: 320, height: 568 })
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeInViewport()
  expect(await scrollsSideways(page)).toBe(false)
  await page.getByRole('button', { name: /^Rooms/ }).click()
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeInViewport()
  expect(await scrollsSideways(page)).toBe(false)
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeInViewport()
  expect(await scrollsSideways(page)).toBe(false)
})

/** A finger dragged from the drawer's right side to the left, as touch events. */
async function swipeLeft(page: Page) {
  const nav = page.locator('#sidebar')
  const box = (await nav.boundingBox())!
  const y = box.y + box.height / 2
  const touch = (x: number) => [{ identifier: 1, clientX: x, clientY: y }]
  await nav.dispatchEvent('touchstart', { touches: touch(box.x + box.width - 20), changedTouches: touch(box.x + box.width - 20) })
  await nav.dispatchEvent('touchend', { touches: [], changedTouches: touch(box.x + 20) })
}

import type { Page } from '@playwright/test'
import { expect, liveStatus, messageLog, nonce, sendMessage, test } from './fixtures'

const pendingMessages = (page: Page) => messageLog(page).locator('[data-status="pending"]')
const storedTexts = (page: Page) => messageLog(page).locator('[data-status="sent"] .text')

/** The service worker keeps a page shortly after it is shown; a reload offline needs that copy. */
async function keptForOffline(page: Page): Promise<void> {
  const kept = () => page.evaluate(async () => Boolean(await caches.match(location.href, { ignoreSearch: true, ignoreVary: true })))
  await expect.poll(kept).toBe(true)
}

async function goOffline(page: Page): Promise<void> {
  await page.context().setOffline(true)
  await expect(liveStatus(page)).toHaveText('Offline')
}

/** The names of this browser's IndexedDB databases that hold saved history (rooms and recent messages). */
const savedHistoryDatabases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((info) => info.name).filter((name) => name?.startsWith('relay-history:')))

test('messages typed offline survive a reload offline and are delivered once each, in order, when back online', async ({ twoInARoom }) => {
  const { first: ana, second: ben, roomName } = await twoInARoom(['Ana', 'Ben'])
  await expect(liveStatus(ana.page)).toHaveText('Live · WebSocket')
  const earlier = `before the train ${nonce()}`
  await sendMessage(ben.page, earlier)
  await expect(messageLog(ana.page).getByText(earlier)).toBeVisible()
  await keptForOffline(ana.page)
  // The room's newest messages are saved a moment after they change.
  await expect.poll(() => savedHistoryDatabases(ana.page)).toHaveLength(1)
  await ana.page.waitForTimeout(1_500)

  await goOffline(ana.page)
  const tag = nonce()
  const lines = [`one ${tag}`, `two ${tag}`, `three ${tag}`]
  for (const line of lines) await sendMessage(ana.page, line)
  await expect(pendingMessages(ana.page).locator('.text')).toHaveText(lines)
  await expect(pendingMessages(ana.page).getByText('Waiting for connection…')).toHaveCount(3)

  // Reloaded while offline: the page comes from the service worker, history cannot load, the
  // room stays usable and the outbox is still there.
  await ana.page.reload()
  await expect(ana.page.getByText('Offline — showing what this browser has')).toBeVisible()
  // What this browser saved: the room list, the room's name and its last messages.
  await expect(ana.page.getByRole('heading', { name: `#${roomName}` })).toBeVisible()
  await expect(ana.page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(roomName) })).toBeVisible()
  await expect(storedTexts(ana.page)).toHaveText([earlier])
  await expect(pendingMessages(ana.page).locator('.text')).toHaveText(lines)
  await expect(pendingMessages(ana.page).getByText('Waiting for connection…')).toHaveCount(3)
  await expect(ana.page.getByRole('textbox', { name: 'Message' })).toBeEditable()
  await expect(messageLog(ben.page).getByText(tag)).toHaveCount(0)

  await ana.page.context().setOffline(false)
  await expect(liveStatus(ana.page)).toHaveText('Live · WebSocket')
  await expect(pendingMessages(ana.page)).toHaveCount(0)
  await expect(ana.page.getByText('Offline — showing what this browser has')).toHaveCount(0)
  for (const page of [ana.page, ben.page]) {
    for (const line of lines) await expect(messageLog(page).getByText(line)).toHaveCount(1)
    await expect(storedTexts(page)).toHaveText([earlier, ...lines])
  }

  for (const page of [ana.page, ben.page]) {
    await page.reload()
    await expect(storedTexts(page)).toHaveText([earlier, ...lines])
    for (const line of lines) await expect(messageLog(page).getByText(line)).toHaveCount(1)
  }

  // Signing out forgets what was saved: the next person on this browser gets none of it.
  await ana.page.getByRole('button', { name: 'Sign out' }).click()
  await expect(ana.page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
  expect(await savedHistoryDatabases(ana.page)).toEqual([])
})

test('a message cancelled before it went out is never sent; the one after it is', async ({ twoInARoom }) => {
  const { first: cai, second: dee } = await twoInARoom(['Cai', 'Dee'])
  await expect(liveStatus(cai.page)).toHaveText('Live · WebSocket')

  await goOffline(cai.page)
  const tag = nonce()
  const cancelled = `cancelled ${tag}`
  const kept = `kept ${tag}`
  await sendMessage(cai.page, cancelled)
  await sendMessage(cai.page, kept)
  await expect(pendingMessages(cai.page).getByText('Waiting for connection…')).toHaveCount(2)
  await pendingMessages(cai.page).filter({ hasText: cancelled }).getByRole('button', { name: 'Cancel' }).click()
  await expect(pendingMessages(cai.page).locator('.text')).toHaveText([kept])

  await cai.page.context().setOffline(false)
  await expect(messageLog(dee.page).getByText(kept)).toHaveCount(1)
  await expect(pendingMessages(cai.page)).toHaveCount(0)
  for (const page of [cai.page, dee.page]) {
    await expect(storedTexts(page)).toHaveText([kept])
    await page.reload()
    await expect(storedTexts(page)).toHaveText([kept])
    await expect(messageLog(page).getByText(cancelled)).toHaveCount(0)
  }
})

test('a message the server refuses is marked failed with its reason, still listed after a reload on the closed room; Discard drops it, Join and Retry send it once', async ({ twoInARoom }) => {
  const { first: eve, second: fay, roomName } = await twoInARoom(['Eve', 'Fay'])
  await expect(liveStatus(eve.page)).toHaveText('Live · WebSocket')
  // Eve leaves the room in a second tab; the first still shows it and its composer.
  const otherTab = await eve.context.newPage()
  await otherTab.goto(eve.page.url())
  await otherTab.getByRole('button', { name: 'Leave room' }).click()
  await otherTab.getByRole('button', { name: 'Leave', exact: true }).click()
  await expect(otherTab.getByRole('heading', { name: 'Public rooms' })).toBeVisible()

  const tag = nonce()
  const retried = `retried ${tag}`
  const dropped = `dropped ${tag}`
  await sendMessage(eve.page, retried)
  await sendMessage(eve.page, dropped)
  const failed = messageLog(eve.page).locator('[data-status="failed"]')
  await expect(failed.locator('.text')).toHaveText([retried, dropped])
  await expect(failed.first()).toContainText('Join this room to read and send its messages.')

  // Reloaded, the room itself is closed to her, but what she typed there is still hers to handle.
  await eve.page.reload()
  await expect(eve.page.getByRole('heading', { name: 'You are not in this room' })).toBeVisible()
  await expect(failed.locator('.text')).toHaveText([retried, dropped])
  await failed.filter({ hasText: dropped }).getByRole('button', { name: 'Discard' }).click()
  await expect(failed.locator('.text')).toHaveText([retried])
  await eve.page.getByRole('button', { name: 'Join' }).click()
  await expect(eve.page.getByRole('heading', { name: `#${roomName}` })).toBeVisible()
  await failed.getByRole('button', { name: 'Retry' }).click()
  await expect(messageLog(fay.page).getByText(retried)).toHaveCount(1)
  await expect(failed).toHaveCount(0)
  await expect(messageLog(eve.page).getByText(retried)).toHaveCount(1)

  for (const page of [fay.page, eve.page]) {
    await page.reload()
    await expect(storedTexts(page)).toHaveText([retried])
    await expect(messageLog(page).getByText(dropped)).toHaveCount(0)
  }
})

import { randomUUID } from 'node:crypto'
import { expect, messageLog, nonce, sendMessage, test } from './fixtures'

test('search finds an old message far back in the history and jumps to it in context', async ({ twoInARoom }) => {
  const { first: ana, second: ben, roomId } = await twoInARoom(['Ana', 'Ben'])
  const tag = nonce()
  await sendMessage(ana.page, `the launch codes are ${tag}`)
  // Stored before the fillers start, so that it is the oldest message of the room.
  await expect(messageLog(ana.page).locator('article[data-status="sent"]', { hasText: `the launch codes are ${tag}` })).toBeVisible()
  // 120 newer messages push it well past the first history page.
  for (let batch = 0; batch < 120; batch += 10) {
    const sends = Array.from({ length: 10 }, (_, i) => ana.page.request.post('/api/trpc/message.send', { data: { roomId, text: `filler ${batch + i}`, clientId: randomUUID() } }))
    for (const response of await Promise.all(sends)) expect(response.ok()).toBe(true)
  }
  await ben.page.reload()
  const log = messageLog(ben.page)
  await expect(log.locator('article[data-status="sent"]').last()).toContainText('filler')
  await expect(log.getByText(`the launch codes are ${tag}`)).toHaveCount(0)

  await ben.page.getByRole('searchbox', { name: 'Search this room' }).fill(`LAUNCH ${tag}`)
  await ben.page.getByRole('searchbox', { name: 'Search this room' }).press('Enter')
  const results = ben.page.getByRole('region', { name: 'Search results' })
  await expect(results.getByText('1 found')).toBeVisible()
  await results.getByRole('button', { name: new RegExp(`the launch codes are ${tag}`) }).click()

  const found = log.locator('article', { hasText: `the launch codes are ${tag}` })
  await expect(found).toBeInViewport()
  await expect(found).toHaveClass(/focused/)
  // In context: its neighbours are there too, and the log holds every message between it and now.
  await expect(log.locator('article', { hasText: 'filler 0' }).first()).toBeAttached()
  await expect(log.locator('article[data-status="sent"]')).toHaveCount(121)
})

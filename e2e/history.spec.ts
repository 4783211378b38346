import { randomUUID } from 'node:crypto'
import { createRoom, expect, messageLog, nonce, sendMessage, test } from './fixtures'

test('with 130 messages, the room opens at the newest and scrolling up loads older pages', async ({ newPerson }) => {
  const ivy = await newPerson('Ivy')
  const roomId = await createRoom(ivy.page, `long-${nonce()}`)
  const total = 130
  const text = (i: number) => `message ${String(i).padStart(3, '0')}`
  for (let i = 1; i <= total; i++) {
    const response = await ivy.page.request.post('/api/trpc/message.send', {
      data: { roomId, text: text(i), clientId: randomUUID() },
    })
    expect(response.ok()).toBe(true)
  }

  await ivy.page.reload()
  const log = messageLog(ivy.page)
  const items = log.locator('article .text')
  await expect(items.last()).toHaveText(text(total))
  await expect(items).toHaveCount(50)
  await expect(log.getByText(text(1), { exact: true })).toHaveCount(0)

  await log.evaluate((element) => (element.scrollTop = 0))
  await expect(items).toHaveCount(100)
  await log.evaluate((element) => (element.scrollTop = 0))
  await expect(items).toHaveCount(total)
  await expect(log.getByText('Start of the conversation')).toBeVisible()
  await expect(items).toHaveText(Array.from({ length: total }, (_, i) => text(i + 1)))

  // A reader at the bottom sees new messages scroll into view; a reader scrolled up is left alone.
  await log.evaluate((element) => (element.scrollTop = element.scrollHeight))
  await sendMessage(ivy.page, `newest ${nonce()}`)
  await expect(items.last()).toBeInViewport()
  await log.evaluate((element) => (element.scrollTop = 0))
  const later = `later ${nonce()}`
  await sendMessage(ivy.page, later)
  await expect(log.getByText(later)).toHaveCount(1)
  await expect(log.getByText(later)).not.toBeInViewport()
  await expect(log.getByText(text(1), { exact: true })).toBeInViewport()
})

import type { Page } from '@playwright/test'
import { clickMessageAction, expect, liveStatus, messageLog, nonce, sendMessage, test } from './fixtures'

const messageWith = (page: Page, text: string) => messageLog(page).locator('article', { hasText: text })

test('edit, delete and reactions show live for the other person (WebSocket → SSE) and survive a reload', async ({ twoInARoom }) => {
  const { first: ana, second: ben, roomId } = await twoInARoom(['Ana', 'Ben'])
  // Ben follows over SSE, Ana over WebSocket: the changes must ride both transports.
  await ben.page.goto(`/rooms/${roomId}?transport=sse`)
  await expect(liveStatus(ben.page)).toHaveText('Live · SSE')
  const tag = nonce()

  await sendMessage(ana.page, `helo wrold ${tag}`)
  await sendMessage(ana.page, `regrettable ${tag}`)
  await expect(messageWith(ben.page, `regrettable ${tag}`)).toBeVisible()

  // Edit: Enter saves; the other side sees the new text marked edited.
  await clickMessageAction(messageWith(ana.page, `helo wrold ${tag}`), 'Edit')
  const editor = ana.page.getByRole('textbox', { name: 'Edit message' })
  await editor.fill(`hello **world** ${tag}`)
  await editor.press('Enter')
  const edited = messageWith(ben.page, `hello world ${tag}`)
  await expect(edited).toBeVisible()
  await expect(edited.locator('strong')).toHaveText('world')
  await expect(edited.getByText('(edited)')).toBeVisible()
  await expect(messageLog(ben.page).getByText(`helo wrold ${tag}`)).toHaveCount(0)

  // Reactions: Ben adds one, Ana adds the same, counts follow on both sides; Ana takes hers back.
  await clickMessageAction(edited, 'React')
  await edited.getByRole('button', { name: 'React with 👍' }).click()
  await expect(messageWith(ana.page, `hello world ${tag}`).getByRole('button', { name: '👍 1' })).toBeVisible()
  await messageWith(ana.page, `hello world ${tag}`).getByRole('button', { name: '👍 1' }).click()
  await expect(edited.getByRole('button', { name: '👍 2' })).toBeVisible()
  await expect(edited.getByRole('button', { name: '👍 2' })).toHaveAttribute('aria-pressed', 'true')
  await messageWith(ana.page, `hello world ${tag}`).getByRole('button', { name: '👍 2' }).click()
  await expect(edited.getByRole('button', { name: '👍 1' })).toBeVisible()

  // Delete: confirmed inline; the other side sees "message deleted" in its place.
  await clickMessageAction(messageWith(ana.page, `regrettable ${tag}`), 'Delete')
  await ana.page.getByRole('button', { name: 'Yes, delete' }).click()
  await expect(messageLog(ben.page).getByText(`regrettable ${tag}`)).toHaveCount(0)
  await expect(messageLog(ben.page).getByText('message deleted')).toHaveCount(1)

  for (const page of [ana.page, ben.page]) {
    await page.reload()
    const message = messageWith(page, `hello world ${tag}`)
    await expect(message.getByText('(edited)')).toBeVisible()
    await expect(message.getByRole('button', { name: '👍 1' })).toBeVisible()
    await expect(messageLog(page).getByText('message deleted')).toHaveCount(1)
    await expect(messageLog(page).getByText(`regrettable ${tag}`)).toHaveCount(0)
  }
  // Only the author is offered Edit and Delete.
  await expect(messageWith(ben.page, `hello world ${tag}`).getByRole('button', { name: 'Edit' })).toHaveCount(0)
})

import { randomUUID } from 'node:crypto'
import type { Page } from '@playwright/test'
import { HISTORY_PAGE_DEFAULT } from '../server/chat/limits'
import { XSS_PAYLOADS } from './support/xss-payloads'
import { expect, messageLog, sendMessage, test } from './fixtures'

/** Elements no message may produce, whatever its text. */
const ACTIVE_ELEMENTS = 'script, iframe, frame, object, embed, svg, math, img, video, audio, style, link, meta, base, form, input, button, select, textarea, details, marquee'

/** What the messages' texts rendered to (the app's own controls around them are not message content). */
async function expectInert(page: Page): Promise<void> {
  const log = messageLog(page).locator('.text')
  await expect(log.locator(ACTIVE_ELEMENTS)).toHaveCount(0)
  const hrefs = await log.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''))
  for (const href of hrefs) expect(href).toMatch(/^(https?:\/\/|mailto:)/)
  const handlers = await messageLog(page).locator('*').evaluateAll((elements) => elements.flatMap((element) => element.getAttributeNames().filter((name) => name.startsWith('on') || name === 'style')))
  expect(handlers).toEqual([])
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined()
}

test(`${XSS_PAYLOADS.length} known XSS payloads sent as messages render inert for sender and viewer, live and after reload`, async ({ twoInARoom }) => {
  test.setTimeout(120_000)
  const { first: mallory, second: victim, roomId } = await twoInARoom(['Mallory', 'Victim'])
  const dialogs: string[] = []
  for (const page of [mallory.page, victim.page]) {
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
  }

  // Most go straight to the API with Mallory's session (fast); the last few through the composer,
  // so their pending (optimistic) render is exercised too.
  const viaComposer = XSS_PAYLOADS.slice(-6)
  for (const text of XSS_PAYLOADS.slice(0, -6)) {
    const response = await mallory.page.request.post('/api/trpc/message.send', { data: { roomId, text, clientId: randomUUID() } })
    expect(response.ok(), text).toBe(true)
  }
  for (const payload of viaComposer) await sendMessage(mallory.page, payload)
  for (const page of [mallory.page, victim.page]) {
    await expect(messageLog(page).locator('article[data-status="sent"]')).toHaveCount(XSS_PAYLOADS.length, { timeout: 30_000 })
    await expectInert(page)
  }
  // After a reload the same messages come from history, through the same renderer.
  await victim.page.reload()
  const afterReload = messageLog(victim.page).locator('article[data-status="sent"]')
  await expect.poll(() => afterReload.count()).toBeGreaterThanOrEqual(Math.min(XSS_PAYLOADS.length, HISTORY_PAGE_DEFAULT))
  await expectInert(victim.page)
  expect(dialogs).toEqual([])
})

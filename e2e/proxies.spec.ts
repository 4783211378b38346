import type { Page } from '@playwright/test'
import { FRIENDLY_PROXY_PORT, RESTRICTIVE_PROXY_PORT } from './support/ports'
import { expect, liveStatus, messageLog, nonce, proxyInFront, sendMessage, test } from './fixtures'

/** Behind the restrictive proxy, SSE must deliver every message within this long of sending. */
const SSE_DELIVERY_LIMIT_MS = 1_000

/** Sends from one page and waits until the text shows on the other, within the delivery limit. */
async function deliverWithinLimit(from: Page, to: Page, text: string): Promise<void> {
  await sendMessage(from, text)
  await expect(messageLog(to).getByText(text)).toBeVisible({ timeout: SSE_DELIVERY_LIMIT_MS })
}

test.describe('behind a reverse proxy that drops Upgrade (nginx, buffering on, 15 s read timeout)', () => {
  proxyInFront('restrictive.conf', RESTRICTIVE_PROXY_PORT)

  test('both people chat live over SSE, each message within a second, and an idle stream survives', async ({ twoInARoom }) => {
    const { first: gus, second: hana } = await twoInARoom(['Gus', 'Hana'], { baseURL: `http://127.0.0.1:${RESTRICTIVE_PROXY_PORT}` })
    await expect(liveStatus(gus.page)).toHaveText('Live · SSE', { timeout: 15_000 })
    await expect(liveStatus(hana.page)).toHaveText('Live · SSE', { timeout: 15_000 })

    const tag = nonce()
    await deliverWithinLimit(gus.page, hana.page, `through the proxy ${tag}`)
    await deliverWithinLimit(hana.page, gus.page, `and back ${tag}`)

    // Idle for longer than the proxy's 15 s read timeout: pings keep the stream, nothing is lost.
    await gus.page.waitForTimeout(17_000)
    await deliverWithinLimit(hana.page, gus.page, `after idle ${tag}`)
    const expected = [`through the proxy ${tag}`, `and back ${tag}`, `after idle ${tag}`]
    await expect(messageLog(gus.page).locator('article .text')).toHaveText(expected)
    await expect(messageLog(hana.page).locator('article .text')).toHaveText(expected)
    await expect(liveStatus(gus.page)).toHaveText('Live · SSE')
  })
})

test.describe('behind a reverse proxy that passes WebSocket (nginx, upgrade headers forwarded)', () => {
  proxyInFront('friendly.conf', FRIENDLY_PROXY_PORT)

  test('both people chat live over WebSocket through the proxy', async ({ twoInARoom }) => {
    const { first: ivo, second: jade } = await twoInARoom(['Ivo', 'Jade'], { baseURL: `http://127.0.0.1:${FRIENDLY_PROXY_PORT}` })
    await expect(liveStatus(ivo.page)).toHaveText('Live · WebSocket')
    await expect(liveStatus(jade.page)).toHaveText('Live · WebSocket')

    const tag = nonce()
    await sendMessage(ivo.page, `over the proxy ${tag}`)
    await expect(messageLog(jade.page).getByText(`over the proxy ${tag}`)).toBeVisible()
    await sendMessage(jade.page, `right back ${tag}`)
    await expect(messageLog(ivo.page).locator('article .text')).toHaveText([`over the proxy ${tag}`, `right back ${tag}`])
    await expect(messageLog(jade.page).locator('article .text')).toHaveText([`over the proxy ${tag}`, `right back ${tag}`])
    await expect(liveStatus(jade.page)).toHaveText('Live · WebSocket')
  })
})

import { startNginx, type RunningProxy } from './support/nginx'
import { APP_PORT, RESTRICTIVE_PROXY_PORT } from './support/ports'
import { expect, liveStatus, messageLog, nonce, sendMessage, test } from './fixtures'

test('WebSocket blocked in the page: the client falls back to SSE and chat stays live both ways', async ({ twoInARoom }) => {
  const { first: eve, second: finn } = await twoInARoom(['Eve', 'Finn'])

  // From now on every WebSocket to /api/ws in Finn's browser is cut before it carries anything.
  await finn.context.routeWebSocket(/\/api\/ws/, (socket) => socket.close())
  await finn.page.reload()
  await expect(liveStatus(finn.page)).toHaveText('Live · SSE', { timeout: 15_000 })
  await expect(liveStatus(eve.page)).toHaveText('Live · WebSocket')

  const tag = nonce()
  await sendMessage(eve.page, `to finn ${tag}`)
  await expect(messageLog(finn.page).getByText(`to finn ${tag}`)).toBeVisible()
  await sendMessage(finn.page, `to eve ${tag}`)
  await expect(messageLog(eve.page).getByText(`to eve ${tag}`)).toBeVisible()
  await expect(messageLog(finn.page).getByText(`to eve ${tag}`)).toHaveCount(1)
  await expect(liveStatus(finn.page)).toHaveText('Live · SSE')
})

test.describe('behind a reverse proxy that drops Upgrade (nginx, buffering on)', () => {
  let proxy: RunningProxy
  test.beforeAll(async () => {
    proxy = await startNginx('restrictive.conf', { listenPort: RESTRICTIVE_PROXY_PORT, upstreamPort: APP_PORT })
  })
  test.afterAll(async () => {
    await proxy?.stop()
  })

  test('both people chat live over SSE through the proxy', async ({ twoInARoom }) => {
    const { first: gus, second: hana } = await twoInARoom(['Gus', 'Hana'], { baseURL: `http://127.0.0.1:${RESTRICTIVE_PROXY_PORT}` })
    await expect(liveStatus(gus.page)).toHaveText('Live · SSE', { timeout: 15_000 })
    await expect(liveStatus(hana.page)).toHaveText('Live · SSE', { timeout: 15_000 })

    const tag = nonce()
    await sendMessage(gus.page, `through the proxy ${tag}`)
    await expect(messageLog(hana.page).getByText(`through the proxy ${tag}`)).toBeVisible({ timeout: 3_000 })
    await sendMessage(hana.page, `and back ${tag}`)
    await expect(messageLog(gus.page).getByText(`and back ${tag}`)).toBeVisible({ timeout: 3_000 })

    // Idle for longer than the proxy's 15 s read timeout: pings keep the stream, nothing is lost.
    await gus.page.waitForTimeout(17_000)
    await sendMessage(hana.page, `after idle ${tag}`)
    await expect(messageLog(gus.page).getByText(`after idle ${tag}`)).toBeVisible({ timeout: 3_000 })
    await expect(messageLog(gus.page).locator('article .text')).toHaveText([
      `through the proxy ${tag}`,
      `and back ${tag}`,
      `after idle ${tag}`,
    ])
  })
})

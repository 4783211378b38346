import { appServer } from './support/app-server'
import { RESTARTABLE_APP_PORT } from './support/ports'
import { expect, liveStatus, messageLog, nonce, sendMessage, test } from './fixtures'

const server = appServer(RESTARTABLE_APP_PORT)
test.beforeAll(async () => server.start())
test.afterAll(async () => {
  await server.stop()
})

test('a graceful restart (SIGTERM): clients show Reconnecting…, come back on WebSocket, nothing lost or doubled', async ({ twoInARoom }) => {
  const { first: jo, second: kim } = await twoInARoom(['Jo', 'Kim'], { baseURL: server.url })
  const tag = nonce()
  await sendMessage(jo.page, `before restart ${tag}`)
  await expect(messageLog(kim.page).getByText(`before restart ${tag}`)).toBeVisible()

  expect(await server.stop('SIGTERM')).toBe(0)
  await expect(liveStatus(jo.page)).toHaveText('Reconnecting…')
  await expect(liveStatus(kim.page)).toHaveText('Reconnecting…')

  await server.start()
  // While the server was down HTTP failed too, so the clients stayed on WebSocket rather than SSE.
  await expect(liveStatus(jo.page)).toHaveText('Live · WebSocket', { timeout: 30_000 })
  await expect(liveStatus(kim.page)).toHaveText('Live · WebSocket', { timeout: 30_000 })

  await sendMessage(kim.page, `after restart ${tag}`)
  await expect(messageLog(jo.page).getByText(`after restart ${tag}`)).toBeVisible()
  for (const page of [jo.page, kim.page]) {
    await page.reload()
    await expect(messageLog(page).locator('article .text')).toHaveText([`before restart ${tag}`, `after restart ${tag}`])
  }
})

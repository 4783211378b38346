import { createRoom, expect, liveStatus, messageLog, nonce, sendMessage, test } from './fixtures'

test('two people chat live over WebSocket, and a reload shows the whole history in order', async ({ twoInARoom }) => {
  const { first: ana, second: ben } = await twoInARoom(['Ana', 'Ben'])
  await expect(liveStatus(ana.page)).toHaveText('Live · WebSocket')
  await expect(liveStatus(ben.page)).toHaveText('Live · WebSocket')

  const tag = nonce()
  const lines = [`hi Ben ${tag}`, `hi Ana ${tag}`, `how are you ${tag}`, `fine thanks ${tag}`]
  await sendMessage(ana.page, lines[0]!)
  await expect(messageLog(ben.page).getByText(lines[0]!)).toBeVisible()
  await sendMessage(ben.page, lines[1]!)
  await expect(messageLog(ana.page).getByText(lines[1]!)).toBeVisible()
  await sendMessage(ana.page, lines[2]!)
  await sendMessage(ben.page, lines[3]!)
  for (const page of [ana.page, ben.page]) {
    for (const line of lines) await expect(messageLog(page).getByText(line)).toBeVisible()
  }
  // Pending turns confirmed once stored.
  await expect(messageLog(ana.page).locator('[data-status="pending"]')).toHaveCount(0)

  // Each message shows its author, time and text; after a reload the history is complete and in order.
  await ben.page.reload()
  const texts = messageLog(ben.page).locator('article .text')
  await expect(texts).toHaveText(lines)
  const authors = messageLog(ben.page).locator('article .author')
  await expect(authors).toHaveText(['Ana', 'Ben', 'Ana', 'Ben'])
  await expect(messageLog(ben.page).locator('article time')).toHaveCount(4)
  await expect(liveStatus(ben.page)).toHaveText('Live · WebSocket')

  // Shift+Enter makes a new line instead of sending.
  const box = ana.page.getByRole('textbox', { name: 'Message' })
  await box.fill('first line')
  await box.press('Shift+Enter')
  await box.pressSequentially('second line')
  await ana.page.getByRole('button', { name: 'Send' }).click()
  await expect(messageLog(ben.page).locator('article .text').last()).toHaveText('first line\nsecond line')
})

test('a room starts empty and says so', async ({ newPerson }) => {
  const cleo = await newPerson('Cleo')
  await createRoom(cleo.page, `quiet-${nonce()}`)
  await expect(messageLog(cleo.page).getByText('No messages yet')).toBeVisible()
})

test('over the WebSocket, a send whose answer is lost (the socket dies first) is stored and shown once, and nothing stays pending', async ({ twoInARoom }) => {
  const { first: kai, second: lea } = await twoInARoom(['Kai', 'Lea'])
  // The first send reaches the server, which stores it; its answer never comes back, and the socket dies.
  let answerToDrop: unknown
  let dropped = false
  await kai.context.routeWebSocket(/\/api\/ws/, (page) => {
    const server = page.connectToServer()
    page.onMessage((frame) => {
      const send = dropped || typeof frame !== 'string' || frame === 'PING' || frame === 'PONG' ? undefined : framesOf(frame).find((request) => request.params?.path === 'message.send')
      if (send) answerToDrop = send.id
      server.send(frame)
    })
    server.onMessage((frame) => {
      if (!dropped && answerToDrop !== undefined && typeof frame === 'string' && frame !== 'PING' && frame !== 'PONG' && framesOf(frame).some((reply) => reply.id === answerToDrop)) {
        dropped = true
        void page.close({ code: 1011, reason: 'cut by the test' })
        void server.close()
        return
      }
      page.send(frame)
    })
  })
  await kai.page.reload()
  await expect(liveStatus(kai.page)).toHaveText('Live · WebSocket')

  const text = `answer lost on the socket ${nonce()}`
  await sendMessage(kai.page, text)
  await expect.poll(() => dropped).toBe(true)
  await expect(messageLog(lea.page).getByText(text)).toHaveCount(1)
  await expect(messageLog(kai.page).locator('[data-status="sent"]').getByText(text)).toHaveCount(1)
  await expect(messageLog(kai.page).locator('[data-status="pending"]')).toHaveCount(0)
  await expect(liveStatus(kai.page)).toHaveText('Live · WebSocket')
  await kai.page.reload()
  await expect(messageLog(kai.page).getByText(text)).toHaveCount(1)
})

test('over HTTP (on SSE), a send whose answer is lost is stored once; a send that cannot reach the server waits, survives a reload and goes out by itself, once', async ({ twoInARoom }) => {
  const { first: kai, second: lea } = await twoInARoom(['Kai', 'Lea'])
  // On SSE, queries and mutations go over HTTP.
  await kai.page.goto(`${kai.page.url()}?transport=sse`)
  await expect(liveStatus(kai.page)).toHaveText('Live · SSE')

  // The request reaches the server (and is stored), but the browser never gets the answer.
  const sendUrl = /\/api\/trpc\/[^?]*message\.send/
  await kai.page.route(sendUrl, async (route) => {
    await route.fetch()
    await route.abort('connectionreset')
  })
  const text = `answer lost ${nonce()}`
  await sendMessage(kai.page, text)
  // The live stream shows the stored message; the failed attempt disappears into it, once.
  await expect(messageLog(lea.page).getByText(text)).toHaveCount(1)
  await expect(messageLog(kai.page).getByText(text)).toHaveCount(1)

  // Now the request itself fails: the text stays queued, waiting for the connection.
  await kai.page.unroute(sendUrl)
  await kai.page.route(sendUrl, (route) => route.abort('connectionfailed'))
  const second = `never reached ${nonce()}`
  await sendMessage(kai.page, second)
  const waiting = messageLog(kai.page).locator('[data-status="pending"]')
  await expect(waiting).toContainText(second)
  await expect(waiting).toContainText('Waiting for connection…')
  // Not even a reload loses it.
  await kai.page.reload()
  await expect(waiting).toContainText(second)
  await expect(messageLog(lea.page).getByText(second)).toHaveCount(0)
  // No Retry needed: the next automatic attempt (backoff of at most 30 s) sends it.
  await kai.page.unroute(sendUrl)
  await expect(messageLog(lea.page).getByText(second)).toHaveCount(1, { timeout: 35_000 })
  await expect(messageLog(kai.page).getByText(second)).toHaveCount(1)
  await expect(waiting).toHaveCount(0)
})

type Frame = { id?: unknown; params?: { path?: string } }

/** The tRPC requests or answers in one WebSocket frame (a frame may batch several). */
function framesOf(frame: string): Frame[] {
  return [JSON.parse(frame) as Frame | Frame[]].flat()
}

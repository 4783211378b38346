import type { WebSocketRoute } from '@playwright/test'
import { expect, liveStatus, messageLog, nonce, sendMessage, test, type Person } from './fixtures'

/** Routes a person's WebSockets through the test, which can cut, block or freeze them. */
async function controlWebSockets(person: Person) {
  const open = new Map<WebSocketRoute, WebSocketRoute>()
  let mode: 'pass' | 'block' = 'pass'
  await person.context.routeWebSocket(/\/api\/ws/, (socket) => {
    // Blocked: the socket opens but nothing ever answers, as behind a proxy that swallows it.
    if (mode === 'block') return
    open.set(socket, socket.connectToServer())
    socket.onClose(() => open.delete(socket))
  })
  await person.page.reload()
  await expect(liveStatus(person.page)).toHaveText('Live · WebSocket')
  return {
    block: () => (mode = 'block'),
    pass: () => (mode = 'pass'),
    /** Cuts every open socket (as a proxy or antivirus killing it). */
    killAll: async () => Promise.all([...open.keys()].map((socket) => socket.close({ code: 1011, reason: 'killed by the test' }))),
    /** Stops passing anything on every open socket, in both directions, without closing it. */
    freezeAll: () => {
      for (const [socket, server] of open) {
        socket.onMessage(() => {})
        server.onMessage(() => {})
        // Even the server giving up on it must not reach the page: only the page's heartbeat can tell.
        server.onClose(() => {})
      }
    },
  }
}

const texts = (person: Person) => messageLog(person.page).locator('article .text')

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

test('a WebSocket killed mid-conversation: SSE takes over, WebSocket comes back, nothing missed or doubled', async ({ twoInARoom }) => {
  test.setTimeout(120_000)
  const { first: ines, second: jon } = await twoInARoom(['Ines', 'Jon'])
  const sockets = await controlWebSockets(jon)
  const tag = nonce()
  const said: string[] = []
  const say = async (person: Person, text: string) => {
    said.push(`${text} ${tag}`)
    await sendMessage(person.page, `${text} ${tag}`)
  }

  await say(ines, 'one')
  await expect(messageLog(jon.page).getByText(`one ${tag}`)).toBeVisible()

  // The WebSocket dies and no new one gets through; Ines keeps talking meanwhile.
  sockets.block()
  await sockets.killAll()
  await say(ines, 'two')
  await say(ines, 'three')
  await expect(liveStatus(jon.page)).toHaveText('Live · SSE', { timeout: 15_000 })
  await expect(texts(jon)).toHaveText(said)
  await say(jon, 'four')
  await expect(texts(ines)).toHaveText(said)

  // WebSocket works again: the background probe moves Jon back, resuming where SSE left off.
  sockets.pass()
  await say(ines, 'five')
  await expect(liveStatus(jon.page)).toHaveText('Live · WebSocket', { timeout: 45_000 })
  await say(ines, 'six')
  await say(jon, 'seven')
  await expect(texts(jon)).toHaveText(said)
  await expect(texts(ines)).toHaveText(said)

  // What the server stored matches what was shown: once each, in order.
  await jon.page.reload()
  await expect(texts(jon)).toHaveText(said)
})

test('a WebSocket that goes silent without closing is replaced within 10 s, and what was said meanwhile arrives once', async ({ twoInARoom }) => {
  const { first: kai, second: lea } = await twoInARoom(['Kai', 'Lea'])
  const sockets = await controlWebSockets(lea)
  const tag = nonce()

  sockets.freezeAll()
  const frozenAt = Date.now()
  await sendMessage(kai.page, `while frozen ${tag}`)
  await expect(messageLog(lea.page).getByText(`while frozen ${tag}`)).toBeVisible({ timeout: 10_000 })
  expect(Date.now() - frozenAt).toBeLessThanOrEqual(10_000)
  await expect(liveStatus(lea.page)).toHaveText('Live · WebSocket')
  await sendMessage(kai.page, `after ${tag}`)
  await expect(texts(lea)).toHaveText([`while frozen ${tag}`, `after ${tag}`])
})

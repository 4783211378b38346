import type { Page } from '@playwright/test'
import { serverCounts } from './support/metrics'
import { RESTRICTIVE_PROXY_PORT } from './support/ports'
import { createRoom, expect, liveStatus, messageLog, nonce, proxyInFront, sendMessage, test, type Person } from './fixtures'

const TABS = 10

/** Opens `count` more tabs of the person's browser on `path`, all at once, as someone restoring a session would. */
async function openTabs(person: Person, count: number, path: string): Promise<Page[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const page = await person.context.newPage()
      await page.goto(path)
      return page
    }),
  )
}

/** The connection details a person can open under the status line. */
async function connectionDetails(page: Page): Promise<string> {
  const details = page.getByRole('region', { name: 'Connection details' })
  if (!(await details.isVisible())) await page.getByRole('button', { name: 'Details' }).click()
  return (await details.textContent()) ?? ''
}

/** Waits until earlier tests' connections have closed, so the counts below are this test's alone. */
async function noConnectionsOpen(): Promise<void> {
  await expect.poll(serverCounts, { timeout: 30_000 }).toEqual({ webSockets: 0, webSocketStreams: 0, sseStreams: 0 })
}

const storedTexts = (page: Page) => messageLog(page).locator('[data-status="sent"] .text')

/** Sends and waits until the text shows on every page, all within `withinMs` of the send. */
async function deliveredEverywhere(from: Page, pages: readonly Page[], text: string, withinMs: number): Promise<void> {
  await sendMessage(from, text)
  await Promise.all(pages.map((page) => expect(messageLog(page).getByText(text)).toBeVisible({ timeout: withinMs })))
}

test.describe('behind a proxy that drops Upgrade (nginx, buffering on, HTTP/1.1)', () => {
  proxyInFront('restrictive.conf', RESTRICTIVE_PROXY_PORT)

  test(`${TABS} tabs of one person share one SSE stream: all load, and a message from the last reaches every tab and the other person within 2 s`, async ({ twoInARoom }) => {
    test.setTimeout(120_000)
    await noConnectionsOpen()
    const { first: ada, second: bo, roomId } = await twoInARoom(['Ada', 'Bo'], { baseURL: `http://127.0.0.1:${RESTRICTIVE_PROXY_PORT}` })
    await expect(liveStatus(ada.page)).toHaveText('Live · SSE', { timeout: 15_000 })
    await expect(liveStatus(bo.page)).toHaveText('Live · SSE', { timeout: 15_000 })
    expect(await serverCounts()).toEqual({ webSockets: 0, webSocketStreams: 0, sseStreams: 2 })

    // A browser allows six HTTP/1.1 connections per host: with a stream per tab the seventh tab would never load.
    const tabs = [ada.page, ...(await openTabs(ada, TABS - 1, `/rooms/${roomId}`))]
    for (const tab of tabs) await expect(liveStatus(tab)).toHaveText('Live · SSE', { timeout: 15_000 })
    await expect.poll(() => connectionDetails(tabs[TABS - 1]!)).toContain(`${TABS} tabs of this browser share one connection, held by another tab.`)
    expect(await connectionDetails(tabs[TABS - 1]!)).toContain('Why SSE: The WebSocket was refused before it opened')
    expect(await serverCounts()).toEqual({ webSockets: 0, webSocketStreams: 0, sseStreams: 2 })

    await deliveredEverywhere(tabs[TABS - 1]!, [...tabs, bo.page], `from the tenth tab ${nonce()}`, 2_000)
    await deliveredEverywhere(bo.page, tabs, `back to every tab ${nonce()}`, 2_000)

    // The one stream was Ada's browser's: closing it leaves Bo's alone.
    await ada.context.close()
    await expect.poll(serverCounts, { timeout: 15_000 }).toEqual({ webSockets: 0, webSocketStreams: 0, sseStreams: 1 })
  })
})

test(`${TABS} tabs of one person share one WebSocket; sends, new rooms and history from any tab ride it, not HTTP`, async ({ twoInARoom }) => {
  test.setTimeout(120_000)
  await noConnectionsOpen()
  const { first: cy, second: di, roomId, roomName } = await twoInARoom(['Cy', 'Di'])
  const tabs = [cy.page, ...(await openTabs(cy, TABS - 1, `/rooms/${roomId}`))]
  for (const tab of [...tabs, di.page]) await expect(liveStatus(tab)).toHaveText('Live · WebSocket')
  await expect.poll(() => connectionDetails(tabs[3]!)).toContain(`${TABS} tabs of this browser share one connection`)
  expect(await serverCounts()).toEqual({ webSockets: 2, webSocketStreams: 2, sseStreams: 0 })

  const httpCalls: string[] = []
  cy.context.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/trpc')) httpCalls.push(`${request.method()} ${request.url()}`)
  })
  const tag = nonce()
  for (const index of [TABS - 1, 4, 0]) await deliveredEverywhere(tabs[index]!, [...tabs, di.page], `from tab ${index + 1} ${tag}`, 5_000)
  // A room created in one tab, then the way back: each room's history loads over the shared socket.
  await createRoom(tabs[1]!, `side-${tag}`)
  await tabs[1]!.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: roomName }).click()
  await expect(storedTexts(tabs[1]!)).toHaveText([`from tab 10 ${tag}`, `from tab 5 ${tag}`, `from tab 1 ${tag}`])
  expect(httpCalls).toEqual([])
  expect(await serverCounts()).toEqual({ webSockets: 2, webSocketStreams: 2, sseStreams: 0 })
})

/** The tab that holds the connection, as its details say. */
async function holderOf(tabs: readonly Page[]): Promise<Page> {
  for (const tab of tabs) if ((await connectionDetails(tab)).includes('held by this tab')) return tab
  throw new Error('no tab says it holds the connection')
}

/**
 * Ed (three tabs) and Flo talk, 100 messages each, Ed typing in a tab that does not hold the
 * connection; halfway through Ed's, the holding tab goes. Every remaining tab and Flo must end
 * with all 200 messages once each, in one order, each person's in the order typed.
 */
async function conversationAcrossHandover(twoInARoom: Parameters<Parameters<typeof test>[2]>[0]['twoInARoom'], endHolder: (holder: Page) => Promise<void>) {
  const { first: ed, second: flo, roomId } = await twoInARoom(['Ed', 'Flo'])
  const tabs = [ed.page, ...(await openTabs(ed, 2, `/rooms/${roomId}`))]
  for (const tab of [...tabs, flo.page]) await expect(liveStatus(tab)).toHaveText('Live · WebSocket')
  await expect.poll(() => connectionDetails(tabs[0]!)).toContain('3 tabs of this browser share one connection')
  const holder = await holderOf(tabs)
  const remaining = tabs.filter((tab) => tab !== holder)
  const typist = remaining[0]!

  const tag = nonce()
  const edLines = Array.from({ length: 100 }, (_, i) => `ed ${i} ${tag}`)
  const floLines = Array.from({ length: 100 }, (_, i) => `flo ${i} ${tag}`)
  const say = async (page: Page, lines: readonly string[], halfway?: () => Promise<void>) => {
    for (const [i, line] of lines.entries()) {
      if (i === lines.length / 2) await halfway?.()
      await sendMessage(page, line)
    }
  }
  await Promise.all([say(typist, edLines, () => endHolder(holder)), say(flo.page, floLines)])

  const viewers = [...remaining, flo.page]
  for (const page of viewers) await expect(storedTexts(page)).toHaveCount(200, { timeout: 60_000 })
  const shown = await Promise.all(viewers.map((page) => storedTexts(page).allTextContents()))
  for (const texts of shown.slice(1)) expect(texts).toEqual(shown[0])
  expect(shown[0]!.filter((text) => text.startsWith('ed '))).toEqual(edLines)
  expect(shown[0]!.filter((text) => text.startsWith('flo '))).toEqual(floLines)
  // One of the remaining tabs took over, and the stream is live there.
  for (const page of remaining) await expect(liveStatus(page)).toHaveText('Live · WebSocket')
  await holderOf(remaining)
}

test('closing the tab that holds the connection mid-conversation: another takes over, 200 messages arrive everywhere once, in order', async ({ twoInARoom }) => {
  test.setTimeout(180_000)
  await conversationAcrossHandover(twoInARoom, (holder) => holder.close())
})

test('killing the renderer of the tab that holds the connection mid-conversation: another takes over, nothing lost or doubled', async ({ twoInARoom }) => {
  test.setTimeout(180_000)
  await conversationAcrossHandover(twoInARoom, async (holder) => {
    const crashed = holder.waitForEvent('crash')
    const devtools = await holder.context().newCDPSession(holder)
    // The call never answers: its renderer is gone. The page's crash event says it went.
    void devtools.send('Page.crash').catch(() => {})
    await crashed
  })
})

test('a holding tab that stops answering (its main thread stuck, as when frozen or paused) is replaced; once it wakes it follows and catches up', async ({ twoInARoom }) => {
  const { first: gia, second: hal, roomId } = await twoInARoom(['Gia', 'Hal'])
  const tabs = [gia.page, ...(await openTabs(gia, 2, `/rooms/${roomId}`))]
  for (const tab of [...tabs, hal.page]) await expect(liveStatus(tab)).toHaveText('Live · WebSocket')
  await expect.poll(() => connectionDetails(tabs[0]!)).toContain('3 tabs of this browser share one connection')
  const holder = await holderOf(tabs)
  const others = tabs.filter((tab) => tab !== holder)

  // Headless Chromium never freezes a visible page, so the holder is kept busy instead: it answers nothing for 8 s.
  const stuck = holder.evaluate(() => {
    const until = performance.now() + 8_000
    while (performance.now() < until);
  })
  await expect.poll(() => holderOf(others).then(() => true, () => false), { timeout: 5_000 }).toBe(true)
  const tag = nonce()
  await deliveredEverywhere(hal.page, others, `while it was stuck ${tag}`, 5_000)
  await deliveredEverywhere(others[0]!, [hal.page, others[1]!], `and from Gia meanwhile ${tag}`, 5_000)

  await stuck
  await expect(storedTexts(holder)).toHaveText([`while it was stuck ${tag}`, `and from Gia meanwhile ${tag}`])
  await expect(liveStatus(holder)).toHaveText('Live · WebSocket')
  await expect.poll(() => connectionDetails(holder)).toContain('held by another tab')
  await deliveredEverywhere(holder, [hal.page, ...others], `awake again ${tag}`, 5_000)
  for (const page of [...tabs, hal.page]) await expect(storedTexts(page)).toHaveText([`while it was stuck ${tag}`, `and from Gia meanwhile ${tag}`, `awake again ${tag}`])
})

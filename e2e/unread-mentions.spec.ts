import { createRoom, expect, joinRoom, messageLog, nonce, sendMessage, test } from './fixtures'

test('unread counts rise live in another room and clear on open, with a “New messages” divider and the total in the tab title', async ({ twoInARoom }) => {
  const { first: ana, second: ben, roomName: lobby } = await twoInARoom(['Ana', 'Ben'])
  const side = `side-${nonce()}`
  await createRoom(ana.page, side)
  await joinRoom(ben.page, side)
  const rooms = ben.page.getByRole('navigation', { name: 'Rooms' })
  await rooms.getByRole('link', { name: lobby }).click()
  await expect(ben.page.getByRole('heading', { name: `#${lobby}` })).toBeVisible()

  const tag = nonce()
  await sendMessage(ana.page, `first unread ${tag}`)
  await sendMessage(ana.page, `second unread ${tag}`)
  const sideLink = rooms.getByRole('link', { name: side })
  await expect(sideLink.getByLabel('2 unread')).toBeVisible()
  await expect(ben.page).toHaveTitle(/^\(2\) /)

  await sideLink.click()
  const log = messageLog(ben.page)
  await expect(log.getByRole('separator', { name: 'New messages' })).toBeVisible()
  // The divider sits right before the first unread message.
  await expect(log.locator('.new-divider + article .text')).toHaveText(`first unread ${tag}`)
  await expect(sideLink.getByLabel(/unread/)).toHaveCount(0)
  await expect(ben.page).not.toHaveTitle(/^\(\d+\)/)
  // Read elsewhere stays read: a reload shows no count.
  await ben.page.reload()
  await expect(rooms.getByRole('link', { name: side }).getByLabel(/unread/)).toHaveCount(0)
})

test('a mention autocompletes, counts apart, highlights for the person named and notifies them while their tab is hidden', async ({ twoInARoom }) => {
  const { first: ana, second: ben, roomName } = await twoInARoom(['Ana', 'Ben'])
  await ben.context.grantPermissions(['notifications'])
  // Watch Ben's notifications, and let the test hide his tab as switching to another tab would.
  await ben.page.addInitScript(() => {
    const shown: { title: string; body?: string }[] = []
    const Original = window.Notification
    class Watched extends Original {
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, ...(options?.body ? { body: options.body } : {}) })
        super(title, options)
      }
    }
    Object.defineProperty(Watched, 'permission', { get: () => Original.permission })
    window.Notification = Watched
    let hidden = false
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
    Object.assign(window, {
      __notifications: shown,
      __setHidden: (value: boolean) => {
        hidden = value
        document.dispatchEvent(new Event('visibilitychange'))
      },
    })
  })
  await ben.page.reload()
  await expect(ben.page.getByRole('heading', { name: `#${roomName}` })).toBeVisible()
  await ben.page.evaluate(() => (window as unknown as { __setHidden(value: boolean): void }).__setHidden(true))

  const tag = nonce()
  const box = ana.page.getByRole('textbox', { name: 'Message' })
  await box.pressSequentially('@Be')
  await expect(ana.page.getByRole('option', { name: '@Ben' })).toBeVisible()
  await box.press('Enter') // picks the suggestion, does not send
  await expect(box).toHaveValue('@Ben ')
  await box.pressSequentially(`look at this ${tag}`)
  await box.press('Enter')

  const message = messageLog(ben.page).locator('article', { hasText: `look at this ${tag}` })
  await expect(message).toBeVisible()
  await expect(message).toHaveClass(/mentioned/)
  await expect(messageLog(ana.page).locator('article', { hasText: `look at this ${tag}` })).not.toHaveClass(/mentioned/)
  const rooms = ben.page.getByRole('navigation', { name: 'Rooms' })
  await expect(rooms.getByRole('link', { name: roomName }).getByLabel('1 mentioning you')).toBeVisible()
  await expect.poll(() => ben.page.evaluate(() => (window as unknown as { __notifications: { title: string }[] }).__notifications)).toEqual([{ title: 'Ana mentioned you', body: `@Ben look at this ${tag}` }])

  // Back to the tab: the room is read, the badge goes.
  await ben.page.evaluate(() => (window as unknown as { __setHidden(value: boolean): void }).__setHidden(false))
  await expect(rooms.getByRole('link', { name: roomName }).getByLabel(/mentioning you|unread/)).toHaveCount(0)
})

import { randomUUID } from 'node:crypto'
import { expect, test as base, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from '@playwright/test'
import { startNginx, type RunningProxy } from './support/nginx'
import { APP_PORT } from './support/ports'

export { expect }

export const nonce = () => randomUUID().slice(0, 8)

export type Person = { name: string; email: string; password: string; page: Page; context: BrowserContext }

type NewPerson = (name: string, options?: { baseURL?: string; context?: BrowserContextOptions }) => Promise<Person>

type Fixtures = {
  /** Opens a fresh browser context (its own cookies) and signs a new user up in it. */
  newPerson: NewPerson
  /** Two new people (a sender and a viewer) in a new room the first created and the second joined. */
  twoInARoom(names: [string, string], options?: { baseURL?: string }): Promise<{ first: Person; second: Person; roomName: string; roomId: string }>
}

export const test = base.extend<Fixtures>({
  newPerson: async ({ browser, baseURL }, provide) => {
    const contexts: BrowserContext[] = []
    const violations: string[] = []
    await provide(async (name, options) => {
      const person = await signUp(browser, name, options?.baseURL ?? baseURL!, violations, options?.context)
      contexts.push(person.context)
      return person
    })
    await Promise.all(contexts.map((context) => context.close()))
    // Every flow of every test runs under the production CSP: nothing it does may be refused by it.
    expect(violations, 'Content-Security-Policy violations reported in the console').toEqual([])
  },
  twoInARoom: async ({ newPerson }, provide) => {
    await provide(async ([firstName, secondName], options) => {
      const first = await newPerson(firstName, options)
      const second = await newPerson(secondName, options)
      const roomName = `${firstName.toLowerCase()}-${secondName.toLowerCase()}-${nonce()}`
      const roomId = await createRoom(first.page, roomName)
      await joinRoom(second.page, roomName)
      return { first, second, roomName, roomId }
    })
  },
})

/** Console messages by which Chromium reports what the page's Content-Security-Policy refused. */
export const CSP_VIOLATION = /Content Security Policy|Refused to (load|execute|connect|apply|frame|evaluate|create)/i

export async function signUp(browser: Browser, name: string, baseURL: string, cspViolations?: string[], contextOptions?: BrowserContextOptions): Promise<Person> {
  const context = await browser.newContext({ ...contextOptions, baseURL })
  context.on('console', (message) => {
    if (CSP_VIOLATION.test(message.text())) cspViolations?.push(`${message.page()?.url() ?? ''}: ${message.text()}`)
  })
  const page = await context.newPage()
  const email = `${name.toLowerCase()}-${nonce()}@example.test`
  const password = `pw-${nonce()}-secret`
  await page.goto('/sign-up')
  await page.getByRole('textbox', { name: 'Name' }).fill(name)
  await page.getByRole('textbox', { name: 'Email' }).fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('heading', { name: 'Public rooms' })).toBeVisible()
  return { name, email, password, page, context }
}

/** Creates a room from the sidebar and waits until it is open. Returns its id. */
export async function createRoom(page: Page, roomName: string): Promise<string> {
  await page.getByRole('button', { name: 'New room' }).click()
  await page.getByRole('textbox', { name: 'Room name' }).fill(roomName)
  await page.getByRole('button', { name: 'Create' }).click()
  await page.waitForURL(/\/rooms\/[0-9a-f-]{36}$/)
  await expect(page.getByRole('heading', { name: `#${roomName}` })).toBeVisible()
  return page.url().split('/').at(-1)!
}

/** Joins a public room from the browse page. */
export async function joinRoom(page: Page, roomName: string): Promise<void> {
  await page.goto('/')
  await page.getByRole('button', { name: `Join ${roomName}` }).click()
  await expect(page.getByRole('heading', { name: `#${roomName}` })).toBeVisible()
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' })
  await box.fill(text)
  await box.press('Enter')
}

export const messageLog = (page: Page) => page.getByRole('log', { name: 'Messages' })

export const liveStatus = (page: Page) => page.getByRole('status')

/** Runs nginx with a checked-in config (e2e/nginx/) in front of the app for the tests of the enclosing describe. */
export function proxyInFront(configName: string, listenPort: number): void {
  let proxy: RunningProxy | undefined
  test.beforeAll(async () => {
    proxy = await startNginx(configName, { listenPort, upstreamPort: APP_PORT })
  })
  test.afterAll(async () => {
    await proxy?.stop()
  })
}

/** A phone: 390 × 844 CSS pixels, touch, mobile viewport rules (as an iPhone 12–15 or a Pixel 7). */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 }

/** True when the page is wider than its viewport: something forces sideways scrolling. */
export const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)

/** A message's action (React, Edit, Delete) as a mouse user reaches it: the actions show while the message is hovered. */
export async function clickMessageAction(message: Locator, name: 'React' | 'Edit' | 'Delete'): Promise<void> {
  await message.hover()
  await message.getByRole('button', { name, exact: true }).click()
}

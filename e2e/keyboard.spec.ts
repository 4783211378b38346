import { createRoom, expect, liveStatus, nonce, test } from './fixtures'

test('by keyboard: a skip link past the sidebar; Leave asks first, Escape cancels and gives the focus back; Escape closes the member panel and the connection details', async ({ newPerson }) => {
  const { page } = await newPerson('Kai')
  const roomName = `keys-${nonce()}`
  await createRoom(page, roomName)

  // On a page that does not put the focus anywhere itself, the first Tab stop is the skip link; it
  // takes the focus into the page's content. (A room page puts it in the composer.)
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Public rooms' })).toBeVisible()
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to content' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()
  await page.keyboard.press('Enter')
  await expect(page.locator('main')).toBeFocused()
  await page.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(roomName) }).click()
  await expect(page.getByRole('heading', { name: `#${roomName}` })).toBeVisible()

  // Escape closes the member panel and puts the focus back on its button.
  const members = page.getByRole('button', { name: /^Members/ })
  await members.click()
  await expect(page.getByRole('list', { name: 'Members' })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('list', { name: 'Members' })).toBeHidden()
  await expect(members).toHaveAttribute('aria-expanded', 'false')
  await expect(members).toBeFocused()

  // The same for the connection details.
  const details = page.getByRole('button', { name: 'Details' })
  await details.click()
  await expect(page.getByRole('region', { name: 'Connection details' })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('region', { name: 'Connection details' })).toBeHidden()
  await expect(details).toBeFocused()

  // Leave room asks; the question takes the focus; Escape cancels, nothing changed.
  const leave = page.getByRole('button', { name: 'Leave room' })
  await leave.click()
  const confirm = page.getByRole('button', { name: 'Leave', exact: true })
  await expect(page.getByRole('group', { name: /Leave this room\?/ })).toBeVisible()
  await expect(confirm).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(confirm).toBeHidden()
  await expect(leave).toBeFocused()
  await expect(page.getByRole('heading', { name: `#${roomName}` })).toBeVisible()

  // Confirmed with the keyboard: out of the room, and it is gone from the sidebar.
  await leave.press('Enter')
  await expect(confirm).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Public rooms' })).toBeVisible()
  await expect(page.getByRole('navigation').getByRole('link', { name: new RegExp(roomName) })).toHaveCount(0)
})

test('keyboard only: sign in, Ctrl+K to a room, send, ↑ to edit, react, delete, Escape out of each popover, Alt+↓ and ? — the focus is where the next key expects it', async ({ newPerson, browser, baseURL }) => {
  const kim = await newPerson('Kim')
  const [first, second] = [`alpha-${nonce()}`, `bravo-${nonce()}`]
  await createRoom(kim.page, first)
  await createRoom(kim.page, second)
  await kim.context.close()

  const context = await browser.newContext({ baseURL: baseURL! })
  const page = await context.newPage()
  const focused = () => page.locator(':focus')
  await page.goto('/sign-in')
  await expect(page.getByRole('textbox', { name: 'Email' })).toBeFocused()
  await page.keyboard.type(kim.email)
  await page.keyboard.press('Tab')
  await expect(page.getByLabel('Password')).toBeFocused()
  await page.keyboard.type(kim.password)
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Public rooms' })).toBeVisible()
  await expect(liveStatus(page)).toContainText('Live')

  // Ctrl+K: the switcher takes the focus, filters as Kim types, Enter opens the room with the composer focused.
  await page.keyboard.press('Control+k')
  const switcher = page.getByRole('dialog', { name: 'Switch room' })
  await expect(switcher.getByRole('combobox', { name: 'Room or person' })).toBeFocused()
  await page.keyboard.type(first.slice(0, 8))
  await expect(switcher.getByRole('option')).toHaveCount(1)
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: `#${first}` })).toBeVisible()
  await expect(switcher).toBeHidden()
  const composer = page.getByRole('textbox', { name: 'Message' })
  await expect(composer).toBeFocused()

  // Send, then ↑ in the empty box edits it; Enter saves and the focus lands on the message.
  await page.keyboard.type('helo everyone')
  await page.keyboard.press('Enter')
  const message = page.locator('article[data-status="sent"]').first()
  await expect(message).toContainText('helo everyone')
  await expect(composer).toBeFocused()
  await expect(composer).toHaveValue('')
  await page.keyboard.press('ArrowUp')
  const editBox = page.getByRole('textbox', { name: 'Edit message' })
  await expect(editBox).toBeFocused()
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.type('hello everyone')
  await page.keyboard.press('Enter')
  await expect(message).toContainText('hello everyone')
  await expect(message).toContainText('(edited)')
  await expect(message).toBeFocused()

  // Enter on a message reaches its actions; the picker takes the focus and Escape gives it back to the message.
  await page.keyboard.press('Enter')
  await expect(message.getByRole('button', { name: 'React', exact: true })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(message.getByRole('button', { name: 'React with 👍' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(message.getByRole('group', { name: 'Pick a reaction' })).toBeHidden()
  await expect(message).toBeFocused()
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  await expect(message.getByRole('button', { name: 'React with ❤️' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(message.getByRole('button', { name: '❤️ 1' })).toBeVisible()
  await expect(message).toBeFocused()

  // Delete asks; Escape keeps the message; confirmed, it is gone and the focus stays on its place.
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await expect(message.getByRole('button', { name: 'Delete', exact: true })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(message.getByRole('button', { name: 'Yes, delete' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(message.getByRole('group', { name: 'Delete this message?' })).toBeHidden()
  await expect(message).toBeFocused()
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  await expect(message).toContainText('message deleted')
  await expect(message).toBeFocused()

  // Escape in the edit box gives the focus back to the message too.
  await composer.focus()
  await page.keyboard.type('second one')
  await page.keyboard.press('Enter')
  const secondMessage = page.locator('article[data-status="sent"]').nth(1)
  await expect(secondMessage).toContainText('second one')
  await page.keyboard.press('ArrowUp')
  await expect(editBox).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(editBox).toBeHidden()
  await expect(secondMessage).toBeFocused()

  // ↑/↓ move between messages (one tab stop for the whole log).
  await page.keyboard.press('ArrowUp')
  await expect(message).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(secondMessage).toBeFocused()

  // ? lists the shortcuts; Escape closes the list and the focus returns to the message.
  await page.keyboard.press('?')
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(help).toBeVisible()
  await expect(help.getByRole('button', { name: 'Close' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(help).toBeHidden()
  await expect(secondMessage).toBeFocused()

  // Alt+↓: the next room in the sidebar, its composer focused.
  await page.keyboard.press('Alt+ArrowDown')
  await expect(page.getByRole('heading', { name: `#${second}` })).toBeVisible()
  await expect(composer).toBeFocused()
  expect(await focused().count()).toBe(1)
  await context.close()
})

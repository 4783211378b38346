import { createRoom, expect, nonce, test } from './fixtures'

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

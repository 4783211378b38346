import { expect, messageLog, nonce, test } from './fixtures'

test('“Ana is typing…” shows for the other person while she types, and goes when she sends, empties the box, or stops', async ({ twoInARoom }) => {
  const { first: ana, second: ben } = await twoInARoom(['Ana', 'Ben'])
  const indicator = ben.page.locator('.typing')
  await expect(indicator).toHaveText('')

  const box = ana.page.getByRole('textbox', { name: 'Message' })
  await box.pressSequentially('on my way', { delay: 30 })
  await expect(indicator).toHaveText('Ana is typing…')
  // Her own screen never says she is typing.
  await expect(ana.page.locator('.typing')).toHaveText('')

  const text = `on my way ${nonce()}`
  await box.fill(text)
  await box.press('Enter')
  await expect(messageLog(ben.page).getByText(text)).toBeVisible()
  await expect(indicator).toHaveText('')

  // Typing and then stopping: the indicator goes by itself after a few seconds. (Announcements are
  // throttled to one per 2 s, so wait out the last one first.)
  await ana.page.waitForTimeout(2_500)
  await box.pressSequentially('hmm', { delay: 30 })
  await expect(indicator).toHaveText('Ana is typing…')
  await expect(indicator).toHaveText('', { timeout: 8_000 })

  // Emptying the box says so at once: gone well before the few seconds it would linger.
  await ana.page.waitForTimeout(2_500)
  await box.pressSequentially('actually', { delay: 30 })
  await expect(indicator).toHaveText('Ana is typing…')
  await box.fill('')
  await expect(indicator).toHaveText('', { timeout: 2_000 })
})

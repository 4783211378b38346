import { expect, test } from './fixtures'

test('the member list shows who is online, and someone goes offline soon after closing their last tab', async ({ twoInARoom }) => {
  const { first: ana, second: ben } = await twoInARoom(['Ana', 'Ben'])
  await ana.page.getByRole('button', { name: /^Members/ }).click()
  const members = ana.page.getByRole('list', { name: 'Members' })
  await expect(members.getByLabel('Ben, online')).toBeVisible()
  await expect(members.getByLabel('Ana, online')).toBeVisible()

  await ben.context.close()
  // Offline within ~30 s of the last tab closing (here: a 5 s grace for reloads).
  await expect(members.getByLabel('Ben, offline')).toBeVisible({ timeout: 30_000 })
  await expect(ana.page.getByRole('button', { name: /^Members/ })).toHaveText('Members · 1 online')
})

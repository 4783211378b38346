import { expect, joinRoom, messageLog, nonce, sendMessage, test } from './fixtures'

test('a direct message reaches only its two people: a third member of the shared room can neither see nor open it', async ({ twoInARoom, newPerson }) => {
  const { first: ana, second: ben, roomName } = await twoInARoom(['Ana', 'Ben'])
  const cara = await newPerson('Cara')
  await joinRoom(cara.page, roomName)
  const tag = nonce()
  await sendMessage(ben.page, `hello all ${tag}`)

  // Ana starts a direct conversation from Ben's name on his message.
  await messageLog(ana.page).getByRole('button', { name: 'Message Ben directly' }).click()
  await expect(ana.page.getByRole('heading', { name: 'Ben', exact: true })).toBeVisible()
  const directUrl = ana.page.url()
  await sendMessage(ana.page, `just between us ${tag}`)

  const bensDirects = ben.page.getByRole('list', { name: 'Direct messages' })
  await expect(bensDirects.getByRole('link', { name: /Ana/ }).getByLabel('1 unread')).toBeVisible()
  await bensDirects.getByRole('link', { name: /Ana/ }).click()
  await expect(messageLog(ben.page).getByText(`just between us ${tag}`)).toBeVisible()
  await sendMessage(ben.page, `agreed ${tag}`)
  await expect(messageLog(ana.page).getByText(`agreed ${tag}`)).toBeVisible()

  // Cara, in the same room as both, sees no such conversation and cannot open it.
  await cara.page.reload()
  await expect(messageLog(cara.page).getByText(`hello all ${tag}`)).toBeVisible()
  await expect(cara.page.getByRole('list', { name: 'Direct messages' })).toHaveCount(0)
  await cara.page.goto(directUrl)
  await expect(cara.page.getByRole('heading', { name: 'You are not in this room' })).toBeVisible()
  await expect(cara.page.getByText(`just between us ${tag}`)).toHaveCount(0)
  await cara.page.getByRole('button', { name: 'Join' }).click()
  await expect(cara.page.getByText('That room does not exist or is not public.')).toBeVisible()
  await expect(cara.page.getByText(`just between us ${tag}`)).toHaveCount(0)
})

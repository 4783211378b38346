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
  await expect(cara.page.getByRole('heading', { name: 'Can’t open this room' })).toBeVisible()
  await expect(cara.page.getByText('This room is private. A member can invite you.')).toBeVisible()
  await expect(cara.page.getByRole('button', { name: 'Join' })).toHaveCount(0)
  await expect(cara.page.getByText(`just between us ${tag}`)).toHaveCount(0)

  // A mangled link is the app's own "not found" page, not a validation dump.
  await cara.page.goto(`${directUrl.slice(0, -4)}zzzz`)
  await expect(cara.page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
  await expect(cara.page.getByText(/regex|invalid_format/i)).toHaveCount(0)
})

test('leaving a direct conversation hides it for the leaver only: the other still writes, and that brings it back', async ({ twoInARoom }) => {
  const { first: ana, second: ben } = await twoInARoom(['Ana', 'Ben'])
  const tag = nonce()
  await sendMessage(ben.page, `hi ${tag}`)
  await messageLog(ana.page).getByRole('button', { name: 'Message Ben directly' }).click()
  await expect(ana.page.getByRole('heading', { name: 'Ben', exact: true })).toBeVisible()
  await sendMessage(ana.page, `lunch? ${tag}`)
  const bensDirects = ben.page.getByRole('list', { name: 'Direct messages' })
  await bensDirects.getByRole('link', { name: /Ana/ }).click()
  await expect(messageLog(ben.page).getByText(`lunch? ${tag}`)).toBeVisible()
  await expect(bensDirects.getByRole('link', { name: /Ana/ }).getByLabel(/unread/)).toHaveCount(0)

  await ben.page.getByRole('button', { name: 'Leave room' }).click()
  await expect(ben.page.getByText('Leave this conversation? It comes back when Ana writes to you again.')).toBeVisible()
  await ben.page.getByRole('button', { name: 'Leave', exact: true }).click()
  await expect(ben.page.getByRole('heading', { name: 'Public rooms' })).toBeVisible()
  await expect(ben.page.getByRole('list', { name: 'Direct messages' })).toHaveCount(0)

  // Ana's side is unchanged: still "Ben", no invite button, and her next message reaches him.
  await expect(ana.page.getByRole('heading', { name: 'Ben', exact: true })).toBeVisible()
  await expect(ana.page.getByRole('button', { name: /Invite/ })).toHaveCount(0)
  await sendMessage(ana.page, `still there? ${tag}`)
  await expect(bensDirects.getByRole('link', { name: /Ana/ }).getByLabel('1 unread')).toBeVisible()
  await bensDirects.getByRole('link', { name: /Ana/ }).click()
  await expect(messageLog(ben.page).getByText(`still there? ${tag}`)).toBeVisible()
  await expect(messageLog(ben.page).getByText(`lunch? ${tag}`)).toBeVisible()
})

import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import type { ReactNode } from 'react'
import { sessionUser } from '@/server/auth'
import { ChatProvider } from './_components/chat-provider'
import { ChatShell } from './_components/chat-shell'

export const dynamic = 'force-dynamic'

export default async function ChatLayout({ children }: { children: ReactNode }) {
  const user = await sessionUser(await headers())
  if (!user) redirect('/sign-in')
  return (
    <ChatProvider me={user}>
      <ChatShell user={user}>{children}</ChatShell>
    </ChatProvider>
  )
}

import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import type { ReactNode } from 'react'
import { sessionUser } from '@/server/auth'

export const dynamic = 'force-dynamic'

export default async function AuthLayout({ children }: { children: ReactNode }) {
  if (await sessionUser(await headers())) redirect('/')
  return (
    <main className="auth">
      <div className="auth-card">
        <p className="brand">Relay</p>
        {children}
      </div>
    </main>
  )
}

import type { Metadata, Viewport } from 'next'
import type { ReactNode } from 'react'
import { Providers } from './providers'
import './globals.css'

export const metadata: Metadata = {
  title: 'Relay',
  description: 'Self-hosted real-time chat that keeps working on hostile networks.',
  icons: { icon: '/icon.svg' },
}

// Every page carries a fresh CSP nonce (proxy.ts), so none is prerendered.
export const dynamic = 'force-dynamic'

// On a phone the on-screen keyboard shrinks the page (not just covers it): the composer stays above it.
export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  interactiveWidget: 'resizes-content',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#1f2430' },
    { media: '(prefers-color-scheme: dark)', color: '#10131a' },
  ],
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  )
}

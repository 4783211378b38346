import type { MetadataRoute } from 'next'

/** Installs Relay as an app (home screen, dock) that opens on the room list, without browser chrome. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: 'Relay',
    short_name: 'Relay',
    description: 'Self-hosted real-time chat that keeps working on hostile networks.',
    start_url: '/',
    display: 'standalone',
    background_color: '#1f2430',
    theme_color: '#1f2430',
    icons: [
      { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
      { src: '/icon-maskable.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'maskable' },
    ],
  }
}

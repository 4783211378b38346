'use client'
import { usePathname } from 'next/navigation'
import { useEffect } from 'react'

/** Only production builds: their assets are content-hashed, and dev pages must never be stale. */
const production = process.env.NODE_ENV === 'production'
const supported = () => 'serviceWorker' in navigator

/** Registers public/sw.js, so a reload while offline still opens the page this tab is on. */
export function OfflinePages() {
  const pathname = usePathname()

  useEffect(() => {
    if (!supported()) return
    if (production) navigator.serviceWorker.register('/sw.js').catch(() => {})
    // A worker left on this origin by a production run would serve dev files from its cache.
    else void navigator.serviceWorker.getRegistrations().then((all) => all.forEach((registration) => void registration.unregister()))
  }, [])

  useEffect(() => {
    if (!production || !supported()) return
    // Client-side navigations bypass the worker's fetch handler: name this page and its assets.
    void navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage({ type: 'keep', urls: [location.href, ...loadedAssets()] }))
  }, [pathname])

  return null
}

function loadedAssets(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((url) => new URL(url).pathname.startsWith('/_next/static/'))
}

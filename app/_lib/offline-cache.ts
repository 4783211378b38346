'use client'

import { forgetSavedHistory } from './saved-history'

/**
 * Empties the service worker's page cache (public/sw.js) and the saved history (rooms and recent
 * messages). Called whenever the signed-in person changes (sign-out, a session that ended, a new
 * sign-in): nobody may get another's pages or messages offline.
 */
export async function forgetOfflinePages(): Promise<void> {
  await forgetSavedHistory()
  if (!('caches' in window)) return
  await Promise.all((await caches.keys()).map((name) => caches.delete(name)))
}

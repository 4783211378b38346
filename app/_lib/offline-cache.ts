'use client'

/**
 * Empties the service worker's page cache (public/sw.js). Called whenever the signed-in person
 * changes (sign-out, a session that ended, a new sign-in): nobody may get another's pages offline.
 */
export async function forgetOfflinePages(): Promise<void> {
  if (!('caches' in window)) return
  await Promise.all((await caches.keys()).map((name) => caches.delete(name)))
}

// Lets a page this browser has shown open again while offline. Only page loads (network first,
// cached copy as fallback) and content-hashed build files (cache first) are handled; everything
// else, the API above all, goes to the network untouched.
const CACHE = 'relay-offline-v1'
const MATCH = { ignoreSearch: true, ignoreVary: true }

self.addEventListener('install', () => self.skipWaiting())

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name)
      await self.clients.claim()
    })(),
  )
})

self.addEventListener('fetch', (event) => {
  const { request } = event
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== self.location.origin) return
  if (request.mode === 'navigate') event.respondWith(networkFirst(event))
  else if (url.pathname.startsWith('/_next/static/')) event.respondWith(cacheFirst(event))
})

// Client-side navigations never reach the fetch handler: the page names what it needs to reopen.
self.addEventListener('message', (event) => {
  if (event.data?.type === 'keep' && Array.isArray(event.data.urls)) event.waitUntil(keep(event.data.urls))
})

async function networkFirst(event) {
  try {
    const response = await fetch(event.request)
    if (cacheable(response)) event.waitUntil(put(event.request.url, response.clone()))
    return response
  } catch (error) {
    const cached = await (await caches.open(CACHE)).match(event.request.url, MATCH)
    if (cached) return cached
    throw error
  }
}

async function cacheFirst(event) {
  const cached = await (await caches.open(CACHE)).match(event.request)
  if (cached) return cached
  const response = await fetch(event.request)
  if (cacheable(response)) event.waitUntil(put(event.request.url, response.clone()))
  return response
}

async function keep(urls) {
  const cache = await caches.open(CACHE)
  for (const url of urls) {
    const { origin, pathname } = new URL(url, self.location.origin)
    if (origin !== self.location.origin || pathname.startsWith('/api/') || (await cache.match(url, MATCH))) continue
    const response = await fetch(url, { credentials: 'same-origin' }).catch(() => undefined)
    if (response && cacheable(response)) await cache.put(url, response)
  }
}

function cacheable(response) {
  return response.status === 200 && response.type === 'basic' && !response.redirected
}

async function put(url, response) {
  await (await caches.open(CACHE)).put(url, response)
}

import os from 'node:os'

/**
 * `next dev` serves its scripts only to pages opened at an allowed host: without this, a page
 * opened at http://127.0.0.1:3000 or at the machine's LAN address (a phone on the same Wi-Fi)
 * never hydrates. Allowed: localhost, every IPv4 address of this machine, and the hosts of
 * PUBLIC_URL and ALLOWED_ORIGINS. Production builds ignore it.
 */
function devOrigins() {
  const hosts = new Set(['localhost', '127.0.0.1'])
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4') hosts.add(address.address)
  }
  for (const url of [process.env.PUBLIC_URL, ...(process.env.ALLOWED_ORIGINS ?? '').split(',')]) {
    if (url?.trim() && URL.canParse(url.trim())) hosts.add(new URL(url.trim()).hostname)
  }
  return [...hosts]
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  allowedDevOrigins: devOrigins(),
  // Loaded from node_modules at run time rather than bundled (WebAssembly, native drivers).
  serverExternalPackages: ['@electric-sql/pglite', 'pglite-prisma-adapter', 'pg', '@prisma/adapter-pg', '@prisma/client'],
  turbopack: { root: import.meta.dirname },
}

export default nextConfig

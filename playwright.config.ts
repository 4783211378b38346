import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { defineConfig } from '@playwright/test'
import { APP_PORT, METRICS_PORT, PROXY_ORIGINS } from './e2e/support/ports'

// Every run starts on an empty embedded database, unless DATABASE_URL points at PostgreSQL.
const dataDir = mkdtempSync(path.join(tmpdir(), 'relay-e2e-'))

// What these specs prove lives between the browser, the proxies, the server's connections and the
// page itself: the database under them does not change it, so `npm test` runs them once, on the
// embedded database, and only the rest again on PostgreSQL (E2E_STORAGE_SPECS_ONLY, set by
// scripts/test-e2e.mjs).
const SPECS_INDEPENDENT_OF_STORAGE = ['proxies.spec.ts', 'shared-connection.spec.ts', 'transport-switch.spec.ts', 'security.spec.ts', 'xss.spec.ts', 'keyboard.spec.ts', 'phone.spec.ts', 'accessibility.spec.ts']

export default defineConfig({
  testDir: 'e2e',
  // Several instances on PostgreSQL + Redis: run by playwright.scale-out.config.ts.
  testIgnore: ['scale-out/**', ...(process.env.E2E_STORAGE_SPECS_ONLY ? SPECS_INDEPENDENT_OF_STORAGE : [])],
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://localhost:${APP_PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
  },
  webServer: {
    // The production build: `next dev` does not hydrate when every WebSocket fails.
    command: 'node dist/server.js',
    url: `http://localhost:${APP_PORT}/sign-in`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: {
      NODE_ENV: 'production',
      PORT: String(APP_PORT),
      METRICS_PORT: String(METRICS_PORT),
      DATA_DIR: dataDir,
      ALLOWED_ORIGINS: PROXY_ORIGINS.join(','),
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
  },
})

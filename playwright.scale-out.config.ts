import { defineConfig } from '@playwright/test'
import base from './playwright.config'

// The scale-out browser tests start their own instances (PostgreSQL + Redis): no webServer here.
export default defineConfig({
  ...base,
  testDir: 'e2e/scale-out',
  testIgnore: [],
  webServer: undefined,
  use: { ...base.use, baseURL: undefined },
})

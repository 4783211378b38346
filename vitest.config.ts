import path from 'node:path'
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config'

const shared = {
  alias: { '@': path.resolve(import.meta.dirname) },
  include: ['server/**/*.test.ts', 'app/**/*.test.ts'],
  // Files share one PostgreSQL database in CI; one at a time keeps timings honest.
  fileParallelism: false,
  testTimeout: 60_000,
  hookTimeout: 60_000,
}
const secret = { BETTER_AUTH_SECRET: 'test-only-secret-that-is-at-least-32-characters' }

// Every integration test runs on the embedded database, and again on PostgreSQL when
// DATABASE_URL is set (CI points it at a fresh database).
const projects: TestProjectInlineConfiguration[] = [
  { test: { ...shared, name: 'pglite', env: { ...secret, DATABASE_URL: '' } } },
]
if (process.env.DATABASE_URL) {
  projects.push({ test: { ...shared, name: 'postgres', env: { ...secret, DATABASE_URL: process.env.DATABASE_URL } } })
}

export default defineConfig({ test: { projects } })

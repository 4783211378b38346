// Runs the browser tests and the chaos run on the embedded database, then again on PostgreSQL
// when DATABASE_URL is set. Extra arguments go to `playwright test` (e.g. a spec file) and skip
// the chaos run.
import { spawnSync } from 'node:child_process'

const runs = [{ name: 'embedded PGlite', env: { DATABASE_URL: '' } }]
if (process.env.DATABASE_URL) runs.push({ name: 'PostgreSQL', env: {} })

for (const run of runs) {
  console.log(`\n=== Browser tests on ${run.name} ===`)
  const env = { ...process.env, ...run.env }
  const browser = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], { stdio: 'inherit', env })
  if (browser.status !== 0) process.exit(browser.status ?? 1)
  if (process.argv.length > 2) continue
  console.log(`\n=== Chaos run on ${run.name} ===`)
  const chaos = spawnSync('npx', ['tsx', 'e2e/chaos/run.ts'], { stdio: 'inherit', env })
  if (chaos.status !== 0) process.exit(chaos.status ?? 1)
}

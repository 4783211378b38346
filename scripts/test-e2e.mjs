// Runs the browser tests on the embedded database, then again on PostgreSQL when DATABASE_URL
// is set. Extra arguments go to `playwright test` (e.g. a spec file).
import { spawnSync } from 'node:child_process'

const runs = [{ name: 'embedded PGlite', env: { DATABASE_URL: '' } }]
if (process.env.DATABASE_URL) runs.push({ name: 'PostgreSQL', env: {} })

for (const run of runs) {
  console.log(`\n=== Browser tests on ${run.name} ===`)
  const result = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ...run.env },
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

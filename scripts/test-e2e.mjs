// Runs the browser tests, the chaos run and the flood run on the embedded database, then the
// browser tests that depend on storage and the chaos run again on PostgreSQL when DATABASE_URL is
// set (the connection specs test the browser and the proxies, the same on either database: see
// playwright.config.ts), and then the scale-out tests (three instances on that PostgreSQL database
// and a Redis of their own, behind nginx). Extra arguments go to `playwright test` (e.g. a spec
// file) and skip the chaos, flood and scale-out runs.
import { spawnSync } from 'node:child_process'

const runs = [{ name: 'embedded PGlite', env: { DATABASE_URL: '' }, flood: true }]
if (process.env.DATABASE_URL) runs.push({ name: 'PostgreSQL', env: { E2E_STORAGE_SPECS_ONLY: '1' }, flood: false })
const onlyPlaywright = process.argv.length > 2

function run(title, command, args, env = process.env) {
  console.log(`\n=== ${title} ===`)
  const result = spawnSync(command, args, { stdio: 'inherit', env })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

for (const { name, env, flood } of runs) {
  const runEnv = { ...process.env, ...env }
  run(`Browser tests on ${name}`, 'npx', ['playwright', 'test', ...process.argv.slice(2)], runEnv)
  if (!onlyPlaywright) run(`Chaos run on ${name}`, 'npx', ['tsx', 'e2e/chaos/run.ts'], runEnv)
  if (!onlyPlaywright && flood) run(`Flood run on ${name}`, 'npx', ['tsx', 'e2e/flood/run.ts'], runEnv)
}

if (process.env.DATABASE_URL && !onlyPlaywright) {
  run('Scale-out: three instances on PostgreSQL + Redis behind nginx', 'npx', ['tsx', 'e2e/scale-out/run.ts'])
  run('Scale-out browser tests: one person per instance', 'npx', ['playwright', 'test', '-c', 'playwright.scale-out.config.ts'])
} else if (!process.env.DATABASE_URL) {
  console.log('\nDATABASE_URL is not set: the PostgreSQL and scale-out runs were not run (CI sets it).')
}

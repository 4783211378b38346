// Runs the browser tests and the chaos run on the embedded database, then again on PostgreSQL
// when DATABASE_URL is set, and then the scale-out tests (three instances on that PostgreSQL
// database and a Redis of their own, behind nginx). Extra arguments go to `playwright test`
// (e.g. a spec file) and skip the chaos and scale-out runs.
import { spawnSync } from 'node:child_process'

const runs = [{ name: 'embedded PGlite', env: { DATABASE_URL: '' } }]
if (process.env.DATABASE_URL) runs.push({ name: 'PostgreSQL', env: {} })
const onlyPlaywright = process.argv.length > 2

function run(title, command, args, env = process.env) {
  console.log(`\n=== ${title} ===`)
  const result = spawnSync(command, args, { stdio: 'inherit', env })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

for (const { name, env } of runs) {
  const runEnv = { ...process.env, ...env }
  run(`Browser tests on ${name}`, 'npx', ['playwright', 'test', ...process.argv.slice(2)], runEnv)
  if (!onlyPlaywright) run(`Chaos run on ${name}`, 'npx', ['tsx', 'e2e/chaos/run.ts'], runEnv)
}

if (process.env.DATABASE_URL && !onlyPlaywright) {
  run('Scale-out: three instances on PostgreSQL + Redis behind nginx', 'npx', ['tsx', 'e2e/scale-out/run.ts'])
  run('Scale-out browser tests: one person per instance', 'npx', ['playwright', 'test', '-c', 'playwright.scale-out.config.ts'])
} else if (!process.env.DATABASE_URL) {
  console.log('\nDATABASE_URL is not set: the PostgreSQL and scale-out runs were not run (CI sets it).')
}

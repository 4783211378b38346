// Runs `prisma generate` offline: generate never needs the native schema engine, but the CLI
// tries to download it first unless PRISMA_SCHEMA_ENGINE_BINARY points at an existing file.
import { execFileSync } from 'node:child_process'

execFileSync('npx', ['prisma', 'generate'], {
  stdio: 'inherit',
  env: { PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1', ...process.env },
})

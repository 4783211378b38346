// Bundles the custom server (server/main.ts and what it imports) into dist/server.js.
// Packages stay external: they load from node_modules at run time, as Next's build does.
import { build } from 'esbuild'

await build({
  entryPoints: ['server/main.ts'],
  outfile: 'dist/server.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
})
console.log('Built dist/server.js')

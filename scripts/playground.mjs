// Builds the playground into playground/dist (or the folder given as the first argument): one
// HTML page and one bundled classic script (no modules, so the page opens from file:// with no
// server). `wengert` resolves through the package's own exports to the built dist/esm (built
// first if stale), as in a user's bundle; Graphviz comes from @viz-js/viz (WebAssembly inlined
// in its bundle), used by the playground only.
// Usage: node scripts/playground.mjs [outDir]
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = resolve(ROOT, process.argv[2] ?? 'playground/dist')

execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' })
mkdirSync(OUT, { recursive: true })
await build({
  entryPoints: [join(ROOT, 'playground/src/main.ts')],
  outfile: join(OUT, 'playground.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  // no tsconfig paths: `wengert` resolves to the built package (self-reference through "exports")
  tsconfigRaw: '{}',
  logLevel: 'warning',
})
copyFileSync(join(ROOT, 'playground/index.html'), join(OUT, 'index.html'))
console.error(`playground: ${join(OUT, 'index.html')} (open it in a browser; no server needed)`)

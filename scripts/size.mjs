// Prints the minified and gzipped size of browser bundles of the built package (run `npm run
// build` first): `grad` alone, the functional API, and the PyTorch facade. fp-ts comes in through
// its ES-module build (package.json "imports", `module` condition), so unused parts tree-shake.
// Usage: node scripts/size.mjs
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ENTRIES = {
  'grad only': `import { grad } from './dist/esm/src/index.js'; globalThis.x = grad`,
  'grad, array, sum, mul': `import { grad, array, sum, mul } from './dist/esm/src/index.js'
    globalThis.x = [grad, array, sum, mul]`,
  'wengert (everything)': `import * as w from './dist/esm/src/index.js'; globalThis.x = w`,
  'wengert/torch (facade)': `import * as torch from './dist/esm/src/torch/index.js'; globalThis.x = torch`,
}

const kb = (n) => `${(n / 1024).toFixed(1)} kB`
for (const [name, contents] of Object.entries(ENTRIES)) {
  const r = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'warning',
  })
  const code = r.outputFiles[0].contents
  const fp = Object.keys(r.metafile.inputs).filter((p) => p.includes('fp-ts/'))
  const fpNote = fp.length === 0 ? 'no fp-ts' : `fp-ts: ${fp.length} es6 modules`
  const gz = gzipSync(code, { level: 9 }).length
  console.log(`${name.padEnd(24)} ${kb(code.length).padStart(9)} minified ${kb(gz).padStart(9)} gzipped  (${fpNote})`)
}

// Builds the package into dist/ (or the folder given as the first argument):
//
//   dist/esm/{src,laws}/**.js   ES modules          (package.json "type": "module" applies)
//   dist/cjs/{src,laws}/**.js   CommonJS modules    (dist/cjs/package.json says "type": "commonjs")
//   **.d.ts beside both          declarations from tsc (the same text; each folder's type decides
//                                whether TypeScript reads them as ES or CommonJS declarations)
//   **.js.map                    source maps that carry their sources (sourcesContent)
//
// JavaScript comes from esbuild, one output file per source file (every import stays an import:
// the plugin below marks each one external after rewriting it to a file Node can load: `./x` ->
// `./x.js` or `./x/index.js`). fp-ts has no exports map, so its modules are named by file: the
// CommonJS build and the declarations use `fp-ts/lib/X.js`; the ES build imports `#fp-ts/X`, which
// package.json "imports" maps to fp-ts's ES-module build (`es6/`) for bundlers (the `module`
// condition) and to `lib/` for Node, so a bundle tree-shakes fp-ts. Declarations come from
// `tsc -p tsconfig.build.json`.
//
// The build is skipped when dist/.build-hash matches a hash of its inputs (sources, configs,
// this script); `--force` rebuilds. Usage: node scripts/build.mjs [outDir] [--force]
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const force = args.includes('--force')
const OUT = resolve(ROOT, args.find((a) => !a.startsWith('--')) ?? 'dist')
const SOURCE_DIRS = ['src', 'laws']
const CONFIGS = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs']

const walk = (dir, keep) =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? walk(p, keep) : keep(p) ? [p] : []
  })

const sources = SOURCE_DIRS.flatMap((d) => walk(join(ROOT, d), (p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).sort()

// -------------------------------------------------------------------------------------
// up to date?
// -------------------------------------------------------------------------------------

const hash = createHash('sha256')
for (const f of [...sources, ...CONFIGS.map((c) => join(ROOT, c))]) {
  hash.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0')
}
const digest = hash.digest('hex')
const stamp = join(OUT, '.build-hash')
if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
  console.error(`build: ${relative(ROOT, OUT) || '.'} is up to date`)
  process.exit(0)
}
rmSync(OUT, { recursive: true, force: true })

// -------------------------------------------------------------------------------------
// specifiers
// -------------------------------------------------------------------------------------

/** The file a relative specifier in `fromFile` names, as a specifier Node can load. */
const relativeSpecifier = (fromFile, spec) => {
  if (/\.(m?js|json)$/.test(spec)) return spec
  const target = resolve(dirname(fromFile), spec)
  if (existsSync(`${target}.ts`) || existsSync(`${target}.d.ts`) || existsSync(`${target}.js`)) return `${spec}.js`
  if (
    existsSync(join(target, 'index.ts')) ||
    existsSync(join(target, 'index.d.ts')) ||
    existsSync(join(target, 'index.js'))
  )
    return `${spec}/index.js`
  throw new Error(`build: ${relative(ROOT, fromFile)}: cannot resolve ${spec}`)
}

/** fp-ts's module `fp-ts/X` for the given output. */
const fpTs = (mod, format) => (format === 'esm' ? `#fp-ts/${mod}` : `fp-ts/lib/${mod}.js`)

const specifiers = (format) => ({
  name: 'specifiers',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (a) => {
      if (a.kind === 'entry-point') return undefined
      const fp = /^fp-ts\/(\w+)$/.exec(a.path)
      if (fp) return { path: fpTs(fp[1], format), external: true }
      if (a.path.startsWith('.')) return { path: relativeSpecifier(a.importer, a.path), external: true }
      return { path: a.path, external: true }
    })
  },
})

// -------------------------------------------------------------------------------------
// JavaScript
// -------------------------------------------------------------------------------------

const started = Date.now()
for (const format of ['esm', 'cjs']) {
  await build({
    entryPoints: sources,
    outbase: ROOT,
    outdir: join(OUT, format),
    bundle: true, // every import is external (plugin): one output per source file, imports kept
    format,
    platform: 'neutral',
    target: 'es2022',
    sourcemap: 'linked',
    sourcesContent: true,
    logLevel: 'warning',
    plugins: [specifiers(format)],
    tsconfig: join(ROOT, 'tsconfig.build.json'),
  })
}
writeFileSync(join(OUT, 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`)

// NOTE: the CommonJS entry points load ONE bundle of the whole library. The primitive families
// and core/lax import each other (the one cycle STYLE C1 allows, resolved by ES modules' live
// bindings); per-file CommonJS modules copy `export *` re-exports when they are required, so the
// module reached first in that cycle would miss the other's exports (`lax.broadcastInDim is not a
// function`). A bundle is scope-hoisted with ES-module semantics, and one bundle for all the
// entries keeps one engine (levels, registry, grad mode) shared by `wengert`, `wengert/torch`,
// `wengert/laws`, `wengert/viz` and `wengert/onnx`. The per-file modules stay beside it for the declarations' layout.
const ENTRIES = {
  core: 'src/index.ts',
  torch: 'src/torch/index.ts',
  laws: 'laws/index.ts',
  viz: 'src/viz/index.ts',
  onnx: 'src/onnx/index.ts',
}
await build({
  stdin: {
    contents: Object.entries(ENTRIES)
      .map(([name, file]) => `export * as ${name} from './${file}'`)
      .join('\n'),
    resolveDir: ROOT,
    sourcefile: 'wengert-cjs-entry.ts',
    loader: 'ts',
  },
  outfile: join(OUT, 'cjs', 'wengert.cjs'),
  bundle: true,
  // package.json's sideEffects lists dist paths; bundling from src, esbuild would take the modules that
  // install methods by import (src/ops/methods.ts: x.sum(), x.T) for side-effect free and drop them
  ignoreAnnotations: true,
  format: 'cjs',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: 'linked',
  sourcesContent: true,
  logLevel: 'warning',
  external: ['fast-check', '@viz-js/viz', '@bufbuild/protobuf', '@bufbuild/protobuf/*'],
  plugins: [
    {
      name: 'fp-ts-cjs',
      setup(b) {
        b.onResolve({ filter: /^fp-ts\/\w+$/ }, (a) => ({
          path: fpTs(a.path.slice('fp-ts/'.length), 'cjs'),
          external: true,
        }))
      },
    },
  ],
  tsconfig: join(ROOT, 'tsconfig.build.json'),
})
for (const [name, file] of Object.entries(ENTRIES)) {
  const entry = join(OUT, 'cjs', file.replace(/\.ts$/, '.js'))
  const bundle = relative(dirname(entry), join(OUT, 'cjs', 'wengert.cjs'))
    .split('\\')
    .join('/')
  writeFileSync(
    entry,
    `'use strict'\nmodule.exports = require('${bundle.startsWith('.') ? bundle : `./${bundle}`}').${name}\n`,
  )
  rmSync(`${entry}.map`, { force: true })
}

// -------------------------------------------------------------------------------------
// declarations
// -------------------------------------------------------------------------------------

const TYPES = join(OUT, '.types')
execFileSync(
  process.execPath,
  [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', TYPES],
  { cwd: ROOT, stdio: ['ignore', 2, 2] }, // stdout stays clean for `npm pack --json`
)
const FROM = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bexport\s*\*\s*from\s*)(['"])([^'"]+)\2/g
for (const file of walk(TYPES, (p) => p.endsWith('.d.ts'))) {
  const source = join(ROOT, relative(TYPES, file)) // the .ts beside which this .d.ts stands
  const text = readFileSync(file, 'utf8').replace(FROM, (whole, lead, q, spec) => {
    const fp = /^fp-ts\/(\w+)$/.exec(spec)
    if (fp) return `${lead}${q}${fpTs(fp[1], 'cjs')}${q}`
    if (spec.startsWith('.')) return `${lead}${q}${relativeSpecifier(source, spec)}${q}`
    return whole
  })
  writeFileSync(file, text)
}
for (const format of ['esm', 'cjs']) cpSync(TYPES, join(OUT, format), { recursive: true })
rmSync(TYPES, { recursive: true, force: true })

mkdirSync(OUT, { recursive: true })
writeFileSync(stamp, digest)
console.error(
  `build: ${sources.length} modules -> ${relative(ROOT, OUT)}/{esm,cjs} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
)

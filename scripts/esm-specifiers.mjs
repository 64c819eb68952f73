// Makes the compiler's output loadable by Node's ESM loader: the sources import each other
// without file extensions (moduleResolution "Bundler"), which bundlers accept and Node does
// not. This rewrites every relative specifier in dist/**/*.js and *.d.ts to the file it names
// (`./x` -> `./x.js`, `./dir` -> `./dir/index.js`), and fp-ts's module paths to its files
// (`fp-ts/function` -> `fp-ts/lib/function.js`: fp-ts 2 has no exports map, so Node cannot import
// its directory entry points). Usage: node scripts/esm-specifiers.mjs dist
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

const root = resolve(process.argv[2] ?? 'dist')
const files = []
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p)
    else if (p.endsWith('.js') || p.endsWith('.d.ts')) files.push(p)
  }
}
walk(root)

const FPTS = /(\bfrom\s*|\bimport\s*\(\s*)(['"])fp-ts\/([A-Za-z]+)\2/g
const SPEC = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bexport\s*\*\s*from\s*)(['"])(\.{1,2}\/[^'"]*)\2/g
let changed = 0
for (const file of files) {
  const dir = dirname(file)
  const src = readFileSync(file, 'utf8')
  const out = src
    .replace(FPTS, (_, lead, q, mod) => `${lead}${q}fp-ts/lib/${mod}.js${q}`)
    .replace(SPEC, (whole, lead, q, spec) => {
      if (/\.(m?js|json)$/.test(spec)) return whole
      const target = resolve(dir, spec)
      if (existsSync(`${target}.js`)) return `${lead}${q}${spec}.js${q}`
      if (existsSync(join(target, 'index.js'))) return `${lead}${q}${spec}/index.js${q}`
      throw new Error(`${file}: cannot resolve ${spec}`)
    })
  if (out !== src) {
    writeFileSync(file, out)
    changed++
  }
}
console.log(`esm-specifiers: ${changed} of ${files.length} files rewritten under ${root}`)

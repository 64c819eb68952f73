/**
 * Folders are layers and imports only go down (STYLE C1):
 *
 *   src/ndarray < src/core < src/transforms < src/ops < src/torch
 *
 * with src/tree and src/check beside them (tree: pytrees over ndarray values, used from the
 * transforms up; check: finite differences over the transforms, used by torch and laws), as
 * each folder's README.md says, src/internal as small helpers anyone may use, and src/index.ts
 * as the functional API
 * (everything but the facade). src/ never imports fast-check (its only runtime dependency is
 * fp-ts) and never imports laws/. Import cycles are allowed only inside src/core/primitives/*
 * with src/core/lax.ts (derivative rules call bound primitives). This test reads the import
 * lines of every file and fails on any import that breaks these rules.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

// -------------------------------------------------------------------------------------
// the rules
// -------------------------------------------------------------------------------------

type Layer =
  'ndarray' | 'internal' | 'core' | 'tree' | 'transforms' | 'ops' | 'check' | 'viz' | 'onnx' | 'torch' | 'index'

/** What each layer may import (besides itself). */
const MAY_IMPORT: { readonly [L in Layer]: ReadonlyArray<Layer> } = {
  internal: ['ndarray'],
  ndarray: ['internal'],
  core: ['ndarray', 'internal'],
  tree: ['ndarray', 'internal'],
  transforms: ['ndarray', 'internal', 'core', 'tree'],
  ops: ['ndarray', 'internal', 'core', 'tree', 'transforms'],
  check: ['ndarray', 'internal', 'core', 'tree', 'transforms'],
  viz: ['ndarray', 'internal', 'core', 'tree', 'transforms'],
  onnx: ['ndarray', 'internal', 'core', 'tree', 'transforms', 'ops'],
  torch: ['ndarray', 'internal', 'core', 'tree', 'transforms', 'ops', 'check', 'viz', 'onnx'],
  index: ['ndarray', 'internal', 'core', 'tree', 'transforms', 'ops', 'check', 'viz'],
}

/** Packages src/ may import at run time (anything else would become a dependency). */
const ALLOWED_PACKAGES = [/^fp-ts(\/|$)/]
/** The ONNX exporter's protobuf runtime: a dependency of the `wengert/onnx` entry point only. */
const ONNX_PACKAGES = [/^@bufbuild\/protobuf(\/|$)/]

/**
 * Optional peer dependencies, each allowed in one file only, which only a sub-path entry point
 * imports (`wengert/viz`: Graphviz in WebAssembly), so `wengert` and `wengert/torch` never load them.
 */
const OPTIONAL_PACKAGES: ReadonlyArray<{ readonly spec: string; readonly file: string }> = [
  { spec: '@viz-js/viz', file: 'src/viz/svg.ts' },
]

/** Files that may form import cycles with each other. */
const MAY_CYCLE = (file: string): boolean =>
  /^src\/core\/primitives\/[^/]+\.ts$/.test(file) || file === 'src/core/lax.ts'

const layerOf = (file: string): Layer | undefined => {
  if (file === 'src/index.ts') return 'index'
  const m = /^src\/([^/]+)\//.exec(file)
  const folder = m?.[1]
  return folder !== undefined && folder in MAY_IMPORT && folder !== 'index' ? (folder as Layer) : undefined
}

// -------------------------------------------------------------------------------------
// reading imports
// -------------------------------------------------------------------------------------

/** One import: its module specifier, and whether it is erased at run time (`import type`). */
interface Import {
  readonly spec: string
  readonly typeOnly: boolean
}

/** Every static import/export-from, side-effect import and dynamic import of a source text. */
const importsIn = (source: string): Import[] => {
  // comments hold example code (`import { array } from 'wengert'` in TSDoc): drop them first
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const out: Import[] = []
  for (const m of code.matchAll(/(?:^|[;\n])\s*(import|export)(\s+type)?\s([^;'"]*?)\sfrom\s*['"]([^'"]+)['"]/g)) {
    out.push({ spec: m[4] as string, typeOnly: m[2] !== undefined })
  }
  for (const m of code.matchAll(/(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]/g))
    out.push({ spec: m[1] as string, typeOnly: false })
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g))
    out.push({ spec: m[1] as string, typeOnly: false })
  return out
}

/** Module specifiers imported by a source text (type-only imports included). */
export const importsOf = (source: string): string[] => importsIn(source).map((i) => i.spec)

const listTs = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`
    if (statSync(join(ROOT, rel)).isDirectory()) return listTs(rel)
    return rel.endsWith('.ts') ? [rel] : []
  })

/** Resolves a relative specifier of `from` to a repository path (`x` -> `x.ts` or `x/index.ts`). */
const resolveSpec = (from: string, spec: string, exists: (f: string) => boolean): string => {
  const base = relative(ROOT, resolve(ROOT, dirname(from), spec)).replace(/\\/g, '/')
  const candidates = [base, `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, '.ts')]
  return candidates.find(exists) ?? base
}

// -------------------------------------------------------------------------------------
// the check
// -------------------------------------------------------------------------------------

/** Every broken rule in a set of files (path relative to the repository -> source text). */
export const violations = (files: ReadonlyMap<string, string>): string[] => {
  const out: string[] = []
  const graph = new Map<string, string[]>()
  for (const [file, source] of files) {
    if (!file.startsWith('src/')) continue
    const layer = layerOf(file)
    if (layer === undefined) {
      out.push(`${file}: not in a known layer; add its folder to MAY_IMPORT in test/layers.test.ts`)
      continue
    }
    const edges: string[] = []
    for (const { spec, typeOnly } of importsIn(source)) {
      if (!spec.startsWith('.')) {
        if (spec === 'fast-check' || spec.startsWith('fast-check/'))
          out.push(`${file}: imports fast-check (src/ must not; laws/ may)`)
        else if (spec.startsWith('node:')) out.push(`${file}: imports ${spec} (src/ runs in browsers too)`)
        else if (layer === 'onnx' && ONNX_PACKAGES.some((re) => re.test(spec))) continue
        else if (
          !ALLOWED_PACKAGES.some((re) => re.test(spec)) &&
          !OPTIONAL_PACKAGES.some((o) => o.spec === spec && o.file === file)
        )
          out.push(`${file}: imports package '${spec}' (only fp-ts is a dependency)`)
        continue
      }
      const target = resolveSpec(file, spec, (f) => files.has(f))
      if (!target.startsWith('src/')) {
        out.push(`${file}: imports ${target} from outside src/`)
        continue
      }
      // type-only imports are erased, so they cannot form a cycle at run time (they still count for layers)
      if (!typeOnly) edges.push(target)
      const to = layerOf(target)
      if (to === undefined || (to !== layer && !MAY_IMPORT[layer].includes(to))) {
        out.push(`${file}: ${layer} may not import ${to ?? 'unknown layer'} (${target})`)
      }
    }
    graph.set(file, edges)
  }
  for (const cycle of cycles(graph)) {
    if (!cycle.every(MAY_CYCLE)) out.push(`import cycle: ${cycle.join(' -> ')}`)
  }
  return out
}

/** Strongly connected components with more than one file (or a self-import), by Tarjan's algorithm. */
const cycles = (graph: ReadonlyMap<string, ReadonlyArray<string>>): string[][] => {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const result: string[][] = []
  let next = 0
  const visit = (v: string): void => {
    index.set(v, next)
    low.set(v, next)
    next++
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number))
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = []
      let w: string
      do {
        w = stack.pop() as string
        onStack.delete(w)
        scc.push(w)
      } while (w !== v)
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) result.push(scc.sort())
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return result
}

// -------------------------------------------------------------------------------------
// tests
// -------------------------------------------------------------------------------------

describe('layers', () => {
  const files = new Map(listTs('src').map((f) => [f, readFileSync(join(ROOT, f), 'utf8')] as const))

  it('reads every file of src/ and finds its imports', () => {
    expect(files.size).toBeGreaterThan(30)
    const edges = [...files.values()].reduce((n, s) => n + importsOf(s).length, 0)
    expect(edges).toBeGreaterThan(100)
  })

  it('src/ imports only go down the layers, never to fast-check, with no cycles outside the primitives', () => {
    expect(violations(files)).toEqual([])
  })
})

describe('the checker itself', () => {
  const ok = `import { NdArray } from '../ndarray/NdArray'\nimport { pipe } from 'fp-ts/function'\n`
  it('accepts downward imports', () => {
    expect(
      violations(
        new Map([
          ['src/core/a.ts', ok],
          ['src/ndarray/NdArray.ts', ''],
        ]),
      ),
    ).toEqual([])
  })

  it('reports an upward import, also when spread over several lines or as export-from', () => {
    const up = `import {\n  grad,\n  vjp,\n} from '../transforms'\n`
    expect(
      violations(
        new Map([
          ['src/core/a.ts', up],
          ['src/transforms/index.ts', ''],
        ]),
      ),
    ).toEqual(['src/core/a.ts: core may not import transforms (src/transforms/index.ts)'])
    const reexport = `export { Tensor } from '../torch/tensor'`
    expect(
      violations(
        new Map([
          ['src/ops/a.ts', reexport],
          ['src/torch/tensor.ts', ''],
        ]),
      ),
    ).toHaveLength(1)
    expect(
      violations(
        new Map([
          ['src/index.ts', reexport],
          ['src/torch/tensor.ts', ''],
        ]),
      ),
    ).toHaveLength(1)
  })

  it('reports fast-check, other packages and laws/', () => {
    const v = violations(
      new Map([
        [
          'src/check/a.ts',
          `import fc from 'fast-check'\nimport type { X } from 'vitest'\nimport { l } from '../../laws/index'`,
        ],
        ['laws/index.ts', ''],
      ]),
    )
    expect(v).toEqual([
      'src/check/a.ts: imports fast-check (src/ must not; laws/ may)',
      "src/check/a.ts: imports package 'vitest' (only fp-ts is a dependency)",
      'src/check/a.ts: imports laws/index.ts from outside src/',
    ])
  })

  it('ignores imports inside comments (TSDoc examples)', () => {
    expect(
      importsOf(
        `/**\n * @example\n * import { grad } from 'wengert'\n */\n// import x from 'fast-check'\nexport const a = 1`,
      ),
    ).toEqual([])
  })

  it('allows the primitives/lax cycle and reports any other cycle', () => {
    const prim = new Map([
      ['src/core/lax.ts', `import * as ew from './primitives/elementwise'`],
      ['src/core/primitives/elementwise.ts', `import * as lax from '../lax'`],
    ])
    expect(violations(prim)).toEqual([])
    const other = new Map([
      ['src/core/a.ts', `import { b } from './b'`],
      ['src/core/b.ts', `import { a } from './a'`],
    ])
    expect(violations(other)).toEqual(['import cycle: src/core/a.ts -> src/core/b.ts'])
  })

  it('reports a facade cycle too (the tensor core must not import the methods it gets installed)', () => {
    const facade = new Map([
      ['src/torch/tensor.ts', `import { mathMethods } from './methods/math'`],
      ['src/torch/methods/math.ts', `import { Tensor } from '../tensor'`],
    ])
    expect(violations(facade)).toEqual(['import cycle: src/torch/methods/math.ts -> src/torch/tensor.ts'])
    const typeOnly = new Map([
      ['src/torch/tensor.ts', `import type { mathMethods } from './methods/math'`],
      ['src/torch/methods/math.ts', `import { Tensor } from '../tensor'`],
    ])
    expect(violations(typeOnly)).toEqual([])
  })

  it('reports a folder that is not a known layer', () => {
    expect(violations(new Map([['src/misc/a.ts', '']]))).toEqual([
      'src/misc/a.ts: not in a known layer; add its folder to MAY_IMPORT in test/layers.test.ts',
    ])
  })
})

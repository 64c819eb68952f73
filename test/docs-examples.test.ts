/**
 * Every `@example` in the TSDoc of src/ and laws/ is a test (STYLE C15): each block is written to
 * its own module under test/.examples/ (gitignored) with its `'wengert'`, `'wengert/torch'` and
 * `'wengert/laws'` imports pointed at the sources and `assert` imported from node:assert, then
 * run, and type-checked with the project's compiler options (less noUnusedLocals/Parameters,
 * noUncheckedIndexedAccess and noImplicitOverride, which judge style). An example that stops
 * compiling or asserting fails here. Skipped: the known failures listed below, and examples in
 * files git does not track yet (work in progress in this shared checkout).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// one folder per run: several people may run the suite in the same checkout at once
const OUT = join(ROOT, 'test', '.examples', `${process.pid}-${Date.now().toString(36)}`)

/**
 * Examples known to fail, found by file and a piece of their code, with the reason. They are
 * skipped so the test keeps guarding every other example; remove an entry once it passes.
 */
const KNOWN_FAILURES: ReadonlyArray<{ readonly file: string; readonly contains: string; readonly reason: string }> = []

/** Examples of the facade cannot run before its entry point exists. */
const TORCH_ENTRY = 'src/torch/index.ts'

/**
 * Files git does not track yet are someone's work in progress in this shared checkout: their
 * examples are skipped until committed (so in CI, where everything is committed, all run).
 */
const untracked = ((): ((file: string) => boolean) => {
  try {
    const tracked = new Set(
      execFileSync('git', ['ls-files', '-z', '--', 'src', 'laws'], { cwd: ROOT, encoding: 'utf8' }).split('\0'),
    )
    return (file) => !tracked.has(file)
  } catch {
    return () => false // no git: check everything
  }
})()

// -------------------------------------------------------------------------------------
// extraction
// -------------------------------------------------------------------------------------

/** One `@example` block. */
export interface Example {
  /** Repository path of the file holding it. */
  readonly file: string
  /** Position among the file's examples, from 0. */
  readonly index: number
  /** 1-based line of the `@example` tag. */
  readonly line: number
  readonly code: string
}

/** The `@example` blocks of a source text: the lines after the tag up to the next tag or the comment's end. */
export const extractExamples = (file: string, source: string): Example[] => {
  const out: Example[] = []
  for (const m of source.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const startLine = source.slice(0, m.index).split('\n').length
    const lines = (m[0] as string)
      .replace(/^\/\*\*/, '')
      .replace(/\*\/$/, '')
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*@example\b/.test(lines[i] as string)) continue
      const body: string[] = []
      let j = i + 1
      for (; j < lines.length && !/^\s*@\w/.test(lines[j] as string); j++) body.push(lines[j] as string)
      const code = body
        .filter((l) => !/^\s*```/.test(l))
        .join('\n')
        .trim()
      out.push({ file, index: out.length, line: startLine + i, code })
      i = j - 1
    }
  }
  return out
}

/** Points the package's own imports at the sources, as seen from `dir`. */
export const rewriteImports = (code: string, dir: string): string => {
  const target = (sub: string | undefined): string => {
    const path =
      sub === '/torch'
        ? 'src/torch/index'
        : sub === '/laws'
          ? 'laws/index'
          : sub === '/viz'
            ? 'src/viz/index'
            : sub === '/onnx'
              ? 'src/onnx/index'
              : 'src/index'
    return relative(dir, join(ROOT, path)).replace(/\\/g, '/')
  }
  return code.replace(
    /(['"])wengert(\/torch|\/laws|\/viz|\/onnx)?\1/g,
    (_, q: string, sub: string | undefined) => `${q}${target(sub)}${q}`,
  )
}

const listTs = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`
    if (statSync(join(ROOT, rel)).isDirectory()) return listTs(rel)
    return rel.endsWith('.ts') ? [rel] : []
  })

// -------------------------------------------------------------------------------------
// writing and type-checking
// -------------------------------------------------------------------------------------

const examples = [...listTs('src'), ...listTs('laws')].flatMap((f) =>
  extractExamples(f, readFileSync(join(ROOT, f), 'utf8')),
)
const pathOf = (e: Example): string => join(OUT, `${e.file.replace(/[/.]/g, '_')}_${e.index}.ts`)

mkdirSync(OUT, { recursive: true })
for (const e of examples) {
  const needsAssert = !/\bimport\s+(\*\s+as\s+)?assert\b/.test(e.code)
  const header = `// ${e.file}:${e.line}\n${needsAssert ? "import assert from 'node:assert'\n" : ''}`
  // `export {}` keeps an example without imports a module (its names stay local)
  writeFileSync(pathOf(e), `${header}${rewriteImports(e.code, OUT)}\nexport {}\n`)
}
afterAll(() => rmSync(OUT, { recursive: true, force: true }))

/**
 * Type errors of each example file, from one program over all of them with the project's
 * options, less those that judge the example's style rather than whether the API compiles for a
 * user (an example may import a name it does not use, index a result without a guard, and
 * override a method without the `override` keyword). NOTE: the check takes seconds, so it runs
 * in a worker thread while the examples run; the 'types' tests collect its result at the end.
 */
const TYPECHECK = `
const { workerData, parentPort } = require('node:worker_threads')
const ts = require(workerData.typescript)
const config = ts.readConfigFile(workerData.tsconfig, (p) => ts.sys.readFile(p))
const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, workerData.root)
const options = { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false,
  noUncheckedIndexedAccess: false, noImplicitOverride: false }
const program = ts.createProgram(workerData.files, options)
const out = {}
for (const f of workerData.files) {
  const sf = program.getSourceFile(f)
  const diags = sf === undefined ? [] : [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]
  out[f] = diags.map((d) => {
    const pos = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined
    return (pos === undefined ? '' : 'line ' + (pos.line + 1) + ': ') + ts.flattenDiagnosticMessageText(d.messageText, '\\n')
  })
}
parentPort.postMessage(out)
`
const typeErrors: Promise<Readonly<Record<string, ReadonlyArray<string>>>> = new Promise((done, fail) => {
  const workerData = {
    typescript: createRequire(import.meta.url).resolve('typescript'),
    tsconfig: join(ROOT, 'tsconfig.json'),
    root: ROOT,
    files: examples.map(pathOf),
  }
  const worker = new Worker(TYPECHECK, { eval: true, workerData })
  worker.once('message', done)
  worker.once('error', fail)
})
typeErrors.catch(() => undefined) // reported by the tests that await it

// -------------------------------------------------------------------------------------
// tests
// -------------------------------------------------------------------------------------

describe('extraction', () => {
  it('finds the examples of src/ and laws/', () => {
    expect(examples.length).toBeGreaterThan(40)
    expect(examples.every((e) => e.code.length > 0)).toBe(true)
  })

  it('takes the lines after @example up to the next tag, without the comment stars', () => {
    const src = [
      '/**',
      ' * Adds.',
      ' * @example',
      " * import { add } from 'wengert'",
      ' * assert.ok(add)',
      ' *   // indented',
      ' * @since 0.1.0',
      ' */',
    ].join('\n')
    const [e] = extractExamples('src/x.ts', src)
    expect(e).toEqual({
      file: 'src/x.ts',
      index: 0,
      line: 3,
      code: "import { add } from 'wengert'\nassert.ok(add)\n  // indented",
    })
  })

  it('rewrites the package imports to the sources', () => {
    const code =
      "import { a } from 'wengert'\nimport * as torch from \"wengert/torch\"\nimport { laws } from 'wengert/laws'\ntype T = import('wengert').NdArray"
    expect(rewriteImports(code, join(ROOT, 'test', '.examples', 'run'))).toBe(
      "import { a } from '../../../src/index'\nimport * as torch from \"../../../src/torch/index\"\nimport { laws } from '../../../laws/index'\ntype T = import('../../../src/index').NdArray",
    )
  })
})

/** Why each example is skipped (undefined: it runs). */
const skipped = new Map<Example, string | undefined>()

describe('examples', () => {
  for (const e of examples) {
    const known =
      KNOWN_FAILURES.find((k) => k.file === e.file && e.code.includes(k.contains))?.reason ??
      (/(['"])wengert\/torch\1/.test(e.code) && !existsSync(join(ROOT, TORCH_ENTRY))
        ? `${TORCH_ENTRY} does not exist yet`
        : undefined) ??
      (untracked(e.file) ? 'not committed yet' : undefined)
    const name = `${e.file}:${e.line}${known === undefined ? '' : ` (skipped: ${known})`}`
    // DOCS_EXAMPLES_ALL=1 runs the skipped ones too, to see whether they still fail
    const test = known === undefined || process.env['DOCS_EXAMPLES_ALL'] === '1' ? it : it.skip
    test(name, async () => {
      await import(pathToFileURL(pathOf(e)).href)
    })
    skipped.set(e, known)
  }
})

describe('types', () => {
  for (const e of examples) {
    const test = skipped.get(e) === undefined || process.env['DOCS_EXAMPLES_ALL'] === '1' ? it : it.skip
    test(`${e.file}:${e.line}`, async () => {
      expect((await typeErrors)[pathOf(e)]).toEqual([])
    })
  }
})

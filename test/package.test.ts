/**
 * The published package works as a new user gets it (issue 16): the build (scripts/build.mjs, run
 * by `prepare`/`prepack`) is packed with `npm pack`, the tarball is installed offline into a
 * consumer project outside the repository, and that project imports it from ES modules, from
 * CommonJS (`require`), and from TypeScript with `nodenext`, `node16` and `bundler` resolution,
 * `skipLibCheck: false` and no DOM or Node types, on the current TypeScript and on 5.0 (when
 * test/compat is installed, as .ci/run does). A browser
 * bundle of `grad` alone tree-shakes the facade and takes fp-ts's ES-module build.
 *
 * The build is skipped when dist/ matches the sources (scripts/build.mjs keeps a hash), so after
 * `npm ci` (whose `prepare` builds) this test only packs, installs and runs.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '..')
const run = promisify(execFile)
const WORK = mkdtempSync(join(tmpdir(), 'wengert-package-'))
const CONSUMER = join(WORK, 'consumer')
/** The oldest TypeScript the declarations support, installed by `npm ci --prefix test/compat`. */
const TS_OLDEST = join(ROOT, 'test/compat/node_modules/typescript')
/** What TypeScript 5.0 checks: every consumer (the facade's kwargs tuples name all their members). */
const TS_OLDEST_FILES: ReadonlyArray<string> = ['core.mts', 'core.cts', 'esm.mts', 'cjs.cts']
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  readonly sideEffects: ReadonlyArray<string>
}

/** Runs a command, failing with its output. */
const sh = async (cmd: string, args: ReadonlyArray<string>, cwd: string): Promise<string> => {
  try {
    const { stdout } = await run(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 24 })
    return stdout
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string }
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${err.stdout ?? ''}\n${err.stderr ?? err.message}`)
  }
}
const node = (args: ReadonlyArray<string>, cwd = CONSUMER): Promise<string> => sh(process.execPath, args, cwd)

let files: ReadonlyArray<string> = []

beforeAll(async () => {
  await node([join(ROOT, 'scripts/build.mjs')], ROOT)
  // --ignore-scripts: the build above is prepack's; npm pack would only find it up to date
  const packed = JSON.parse(
    await sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', WORK], ROOT),
  ) as ReadonlyArray<{ filename: string; files: ReadonlyArray<{ path: string }> }>
  const [pack] = packed
  if (pack === undefined) throw new Error('npm pack reported no package')
  files = pack.files.map((f) => f.path)
  mkdirSync(CONSUMER)
  writeConsumer()
  // offline: the runtime dependencies (fp-ts, @bufbuild/protobuf for wengert/onnx) and fast-check for
  // wengert/laws come from this checkout's node_modules (a fresh machine's npm cache holds their
  // tarballs from `npm ci` but not the registry metadata an install by version range needs)
  const dep = (name: string): string => join(ROOT, 'node_modules', name)
  await sh(
    'npm',
    [
      'install',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--install-links',
      join(WORK, pack.filename),
      dep('fp-ts'),
      dep('@bufbuild/protobuf'),
      dep('fast-check'),
      dep('pure-rand'),
    ],
    CONSUMER,
  )
}, 240_000)

afterAll(() => rmSync(WORK, { recursive: true, force: true }))

// -------------------------------------------------------------------------------------
// the consumer project
// -------------------------------------------------------------------------------------

/** What each consumer prints: d/dx Σx² at [1,2,3] in both APIs, and that the laws loaded. */
const EXPECTED = { g: [2, 4, 6], t: [2, 4, 6], laws: 'function' }

const TS_BODY = `
declare const console: { log(...args: unknown[]): void }
const f = (x: NdArray): NdArray => sum(mul(x, x))
const g = grad(f)(array([1, 2, 3])).toArray()
const a = torch.tensor([1, 2, 3], { requires_grad: true })
a.pow(2).sum().backward()
const info: KernelInfo = kernelInfo()
console.log(JSON.stringify({ g, t: a.grad?.tolist(), laws: typeof lawsFor, codegen: info.codegen }))
`

const writeConsumer = (): void => {
  const w = (name: string, text: string): void => writeFileSync(join(CONSUMER, name), text)
  // as `npm init -y` makes it: a CommonJS package
  w('package.json', JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'commonjs' }))
  w(
    'esm.mts',
    `import { array, grad, kernelInfo, mul, sum, type KernelInfo, type NdArray } from 'wengert'
import * as torch from 'wengert/torch'
import { lawsFor } from 'wengert/laws'
${TS_BODY}`,
  )
  w(
    'cjs.cts',
    `import { array, grad, kernelInfo, mul, sum, type KernelInfo, type NdArray } from 'wengert'
import * as torch from 'wengert/torch'
import { lawsFor } from 'wengert/laws'
${TS_BODY}`,
  )
  w(
    'plain.cjs',
    `const w = require('wengert')
const torch = require('wengert/torch')
const laws = require('wengert/laws')
const g = w.grad((x) => w.sum(w.mul(x, x)))(w.array([1, 2, 3])).toArray()
const a = torch.tensor([1, 2, 3], { requires_grad: true }); a.pow(2).sum().backward()
console.log(JSON.stringify({ g, t: a.grad.tolist(), laws: typeof laws.lawsFor, methods: typeof w.array([1]).sum }))`,
  )
  // a product large enough for the helper threads, once they have booted; the process must still
  // exit by itself (the helpers do not keep it alive), and threads change no bit of a product
  w(
    'threads.mjs',
    `import * as w from 'wengert'
w.setNumThreads(2)
const x = w.reshape(w.sin(w.arange(0, 512 * 512, 1, { dtype: 'float32' })), [512, 512])
let threaded
for (let i = 0; i < 200 && threaded === undefined; i++) {
  w.matmul(x, x)
  await new Promise((r) => setTimeout(r, 25))
  if (i > 4) threaded = w.matmul(x, x).toArray()
}
w.setNumThreads(1)
const same = JSON.stringify(threaded) === JSON.stringify(w.matmul(x, x).toArray())
w.setNumThreads(2)
w.matmul(x, x)
console.log(JSON.stringify({ same }))`,
  )
  // the functional API and the laws alone (TypeScript 5.0 checks these and the facade: TS_OLDEST_FILES)
  const core = (ext: string): string =>
    `import { array, grad, mul, sum, type NdArray } from 'wengert'
import { lawsFor } from 'wengert/laws'
declare const console: { log(...args: unknown[]): void }
console.log(grad((x: NdArray) => sum(mul(x, x)))(array([1, 2, 3])).toArray(), typeof lawsFor, '${ext}')
`
  w('core.mts', core('mts'))
  w('core.cts', core('cts'))
  const strict = { strict: true, skipLibCheck: false, lib: ['ES2022'], types: [], target: 'ES2022' }
  const config = (compilerOptions: object, files: ReadonlyArray<string>): string =>
    JSON.stringify({ compilerOptions: { ...strict, ...compilerOptions }, files })
  const resolutions = {
    nodenext: { module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out' },
    node16: { module: 'node16', moduleResolution: 'node16', noEmit: true },
    bundler: { module: 'esnext', moduleResolution: 'bundler', noEmit: true },
  }
  for (const [name, options] of Object.entries(resolutions)) {
    w(`tsconfig.${name}.json`, config(options, ['esm.mts', 'cjs.cts']))
    w(`tsconfig.${name}.oldest.json`, config({ ...options, noEmit: true }, TS_OLDEST_FILES))
  }
}

// -------------------------------------------------------------------------------------
// tests
// -------------------------------------------------------------------------------------

describe('the packed package', () => {
  it('holds the builds, their declarations and maps, and the license; no sources or build stamps', () => {
    for (const f of [
      'package.json',
      'LICENSE',
      'README.md',
      'dist/esm/src/index.js',
      'dist/esm/src/index.d.ts',
      'dist/esm/src/index.js.map',
      'dist/cjs/package.json',
      'dist/cjs/src/index.js',
      'dist/cjs/src/index.d.ts',
      'dist/esm/src/torch/index.js',
      'dist/esm/src/onnx/index.js',
      'dist/cjs/src/onnx/index.js',
      'dist/esm/src/onnx/index.d.ts',
      'dist/cjs/laws/index.js',
    ])
      expect(files).toContain(f)
    expect(files.filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.includes('.build-hash'))).toEqual([])
  })

  it('ships source maps that carry their sources', () => {
    for (const format of ['esm', 'cjs']) {
      const map = JSON.parse(
        readFileSync(join(CONSUMER, 'node_modules/wengert/dist', format, 'src/ndarray/shape.js.map'), 'utf8'),
      ) as { sources: string[]; sourcesContent: string[] }
      expect(map.sources).toEqual(['../../../../src/ndarray/shape.ts'])
      expect(map.sourcesContent[0]).toBe(readFileSync(join(ROOT, 'src/ndarray/shape.ts'), 'utf8'))
    }
  })

  it('runs from CommonJS (require) and, with helper threads, from an ES module', async () => {
    const [cjs, threads] = await Promise.all([node(['plain.cjs']), node(['threads.mjs'])])
    // methods installed by import (x.sum()) survive the CommonJS bundle
    expect(JSON.parse(cjs)).toEqual({ ...EXPECTED, methods: 'function' })
    expect(JSON.parse(threads)).toEqual({ same: true })
  }, 120_000)

  it('type-checks under nodenext, node16 and bundler (skipLibCheck false, no DOM), and the nodenext output runs', async () => {
    const configs = ['tsconfig.nodenext.json', 'tsconfig.node16.json', 'tsconfig.bundler.json']
    const tsc = (typescript: string, config: string): Promise<string> =>
      node([join(typescript, 'bin/tsc'), '-p', config])
    // Act: the project's TypeScript, two at a time
    await Promise.all(configs.slice(0, 2).map((c) => tsc(join(ROOT, 'node_modules/typescript'), c)))
    await tsc(join(ROOT, 'node_modules/typescript'), configs[2] as string)
    const outs = await Promise.all([node(['out/esm.mjs']), node(['out/cjs.cjs'])])
    // Assert: both compiled consumers run, each through its own build
    for (const out of outs) expect(JSON.parse(out)).toEqual({ ...EXPECTED, codegen: true })
  }, 180_000)

  it.skipIf(!existsSync(TS_OLDEST))(
    'type-checks on TypeScript 5.0 too (test/compat; .ci/run installs it)',
    async () => {
      const configs = ['nodenext', 'node16', 'bundler'].map((r) => `tsconfig.${r}.oldest.json`)
      await Promise.all(configs.slice(0, 2).map((c) => node([join(TS_OLDEST, 'bin/tsc'), '-p', c])))
      await node([join(TS_OLDEST, 'bin/tsc'), '-p', configs[2] as string])
    },
    180_000,
  )

  it('bundles for browsers: grad alone leaves out the facade and takes fp-ts from its ES-module build', async () => {
    const bundle = async (code: string): Promise<{ gzip: number; inputs: string[] }> => {
      const r = await build({
        stdin: { contents: code, resolveDir: CONSUMER, loader: 'js' },
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        metafile: true,
        logLevel: 'silent',
      })
      const [out] = r.outputFiles
      if (out === undefined) throw new Error('esbuild wrote nothing')
      return { gzip: gzipSync(out.contents).length, inputs: Object.keys(r.metafile.inputs) }
    }
    const gradOnly = await bundle(`import { grad } from 'wengert'; globalThis.grad = grad`)
    const facade = await bundle(`import * as torch from 'wengert/torch'; globalThis.torch = torch`)
    expect(gradOnly.inputs.filter((p) => p.includes('/torch/'))).toEqual([])
    // the ONNX exporter's protobuf runtime is reached only through wengert/onnx (and torch.onnx, lazily)
    expect(gradOnly.inputs.filter((p) => p.includes('@bufbuild') || p.includes('/onnx/'))).toEqual([])
    expect(gradOnly.inputs.some((p) => p.includes('fp-ts/es6/'))).toBe(true)
    expect([...gradOnly.inputs, ...facade.inputs].filter((p) => p.includes('fp-ts/lib/'))).toEqual([])
    expect(gradOnly.gzip).toBeLessThan(facade.gzip)
  }, 60_000)
})

describe('package.json sideEffects', () => {
  /** Files under src/ with statements that run at import time beyond declarations (installing methods, registering). */
  const effectful = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) return effectful(p)
      if (!p.endsWith('.ts')) return []
      const top = /^(?:for|if|while|try|do)\b|^import\s+['"]|^[A-Za-z_$][\w$]*(?:\.[\w$]+)*\s*\(/m
      return top.test(readFileSync(p, 'utf8')) ? [relative(ROOT, p).split('\\').join('/')] : []
    })

  it('lists every module with import-time effects, in both builds', () => {
    // these only fill their own tables and flags at load (threads.ts, wasm/helperProgram.ts: the
    // helper's source, a string whose lines look like statements;
    // distributions/kl.ts: register_kl's table, read only by its own kl_divergence;
    // distributions/constraintRegistry.ts: biject_to/transform_to's own tables;
    // distributions/transforms.ts: Transform.prototype's own chain, as nn/module.ts does for Module;
    // autograd/savedHooks.ts: the `name` of its own saved_tensors_hooks class;
    // nn/uninitialized.ts: the members of its own two placeholder classes' prototypes;
    // core/deferred.ts: the `_data` accessor of its own LazyArray class's prototype)
    const own = new Set([
      'src/core/batching.ts',
      'src/core/program.ts',
      'src/ndarray/kernels/wasm/threads.ts',
      'src/ndarray/kernels/wasm/helperProgram.ts',
      'src/torch/distributions/kl.ts',
      'src/torch/distributions/constraintRegistry.ts',
      'src/torch/distributions/transforms.ts',
      'src/torch/autograd/savedHooks.ts',
      'src/torch/nn/uninitialized.ts',
      'src/core/deferred.ts',
    ])
    for (const file of effectful(join(ROOT, 'src')).filter((f) => !own.has(f))) {
      for (const format of ['esm', 'cjs'])
        expect(PKG.sideEffects).toContain(`./dist/${format}/${file.replace(/\.ts$/, '.js')}`)
    }
  })
})

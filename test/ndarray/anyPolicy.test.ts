/**
 * Any policy (issue 16): with code generation from strings disallowed — as under a
 * Content-Security-Policy without 'unsafe-eval' — every kernel, transform and the facade still
 * run, and give the same bits as with it; without WebAssembly too (`--jitless` removes it), on
 * the TypeScript kernels. Each policy runs test/ndarray/scripts/anyPolicy.ts in its own Node.
 */
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../..')
const SCRIPT = resolve(__dirname, 'scripts/anyPolicy.ts')

interface Report {
  readonly info: { readonly codegen: boolean; readonly wasm: boolean; readonly simd: boolean; readonly threads: number }
  /** Digest per value, automatic kernel choice. */
  readonly auto: Readonly<Record<string, string>>
  /** The same with the JavaScript/TypeScript kernels forced. */
  readonly ts: Readonly<Record<string, string>>
}

const runUnder = async (flags: ReadonlyArray<string>): Promise<Report> => {
  const { stdout } = await promisify(execFile)(process.execPath, [...flags, '--import', 'tsx', SCRIPT], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 1 << 24,
  })
  return JSON.parse(stdout) as Report
}

describe('under any policy', () => {
  it('no code generation, and no WebAssembly either: the same bits as the default', async () => {
    // Arrange / Act: three processes at once
    const [plain, noEval, noWasm] = await Promise.all([
      runUnder([]),
      runUnder(['--disallow-code-generation-from-strings']),
      runUnder(['--disallow-code-generation-from-strings', '--jitless']),
    ])
    // Assert: each policy took the path kernelInfo names…
    expect(plain.info).toMatchObject({ codegen: true, wasm: true, simd: true })
    expect(noEval.info).toMatchObject({ codegen: false, wasm: true, simd: true })
    expect(noWasm.info).toEqual({ codegen: false, wasm: false, simd: false, threads: 1 })
    // …and computed every value bit for bit as the default path does
    expect(Object.keys(plain.auto).length).toBeGreaterThan(300)
    expect(noEval.auto).toEqual(plain.auto)
    expect(noEval.ts).toEqual(plain.ts)
    expect(noWasm.auto).toEqual(plain.ts)
    expect(noWasm.ts).toEqual(plain.ts)
  }, 120_000)
})

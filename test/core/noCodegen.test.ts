/**
 * Where code generation is refused (a strict CSP; `node --disallow-code-generation-from-strings`),
 * jit interprets its programs with closures and the kernels evaluate their expressions as
 * closure trees: the same values, bit for bit, and no call of `new Function` on the way.
 */
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { jit } from '../../src'
import { compiles } from '../../src/core/program'
import { runAll } from './fixtures/programs'

const here = dirname(fileURLToPath(import.meta.url))

describe('without code generation', () => {
  it('jit (scalar code, fused loops, array calls, gradients) gives the compiled bits', () => {
    // Arrange: the compiled results here
    expect(compiles()).toBe(true)
    const compiled = runAll(jit)
    // Act: the same programs in a process that refuses code generation
    const out = execFileSync(
      process.execPath,
      ['--disallow-code-generation-from-strings', '--import', 'tsx', join(here, 'fixtures', 'noCodegen.ts')],
      { cwd: here, encoding: 'utf8', timeout: 120_000 },
    )
    const child = JSON.parse(out) as { compiles: boolean; refused: boolean; results: string[][] }
    // Assert
    expect(child.refused).toBe(true)
    expect(child.compiles).toBe(false)
    expect(child.results).toEqual(compiled)
  }, 150_000)
  // the closure trees themselves are checked against generated code in test/ndarray/closures.test.ts
})

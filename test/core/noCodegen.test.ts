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
import { closureOf } from '../../src/ndarray/kernels/exprClosure'
import { BINARY_EXPR, scalarHelpers, UNARY_EXPR, UNARY_EXPR_F32 } from '../../src/ndarray/kernels/expressions'
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

  it('every element-wise expression as a closure tree gives the generated function’s bits', () => {
    const values = [0, -0, 0.5, -0.75, 1, -1, 2.5, -3, 7.9, 20, -20, 1e-300, Infinity, -Infinity, NaN]
    const exprs = [...Object.values(UNARY_EXPR), ...Object.values(UNARY_EXPR_F32), ...Object.values(BINARY_EXPR)]
    for (const expr of exprs) {
      const closure = closureOf(expr)
      const generated = new Function('a', 'b', 'H', `return ${expr}`) as typeof closure
      for (const a of values)
        for (const b of values)
          expect([expr, a, b, +closure(a, b, scalarHelpers)]).toEqual([expr, a, b, +generated(a, b, scalarHelpers)])
    }
  })

  it('closure trees accept only the templates’ grammar', () => {
    expect(() => closureOf('globalThis.process')).toThrow('internal: expression: unknown name globalThis.process')
    expect(() => closureOf('a; b')).toThrow('internal: expression')
    expect(() => closureOf('a b')).toThrow('internal: expression: unexpected b')
    expect(() => closureOf('Math.constructor(a)')).toThrow('internal: expression: unknown function Math.constructor')
  })
})

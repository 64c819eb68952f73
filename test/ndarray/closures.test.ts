/**
 * The closures built from the element-wise expressions (the no-code-generation path) compute what
 * the expressions compute as JavaScript, bit for bit, on ordinary and special values.
 */
import { describe, expect, it } from 'vitest'
import { expressionClosure } from '../../src/ndarray/kernels/closures'
import { BINARY_EXPR, UNARY_EXPR, UNARY_EXPR_F32, scalarHelpers } from '../../src/ndarray/kernels/expressions'
import { InternalError } from '../../src/ndarray/errors'

const SPECIAL = [0, -0, 1, -1, 0.5, -0.5, 2.5, -2.5, 3, 1e-300, 1e300, NaN, Infinity, -Infinity, 0.7, -7.95]

/** The expression as JavaScript, the way the compiled loops evaluate it. */
const reference = (expr: string): ((a: number, b: number) => unknown) => {
  const fn = new Function('a', 'b', 'H', `return ${expr}`) as (a: number, b: number, H: typeof scalarHelpers) => unknown
  return (a, b) => fn(a, b, scalarHelpers)
}

/** What a kernel stores for a value (booleans as 1 and 0). */
const stored = (v: unknown): number => Number(v)

describe('expressionClosure', () => {
  const exprs = [
    ...Object.entries(UNARY_EXPR),
    ...Object.entries(UNARY_EXPR_F32).map(([k, v]) => [`${k}:f32`, v as string] as const),
    ...Object.entries(BINARY_EXPR),
  ]
  it.each(exprs)('%s: the same values as the expression', (_, expr) => {
    // Arrange
    const f = expressionClosure(expr)
    const g = reference(expr)
    // Act / Assert
    for (const a of SPECIAL) for (const b of SPECIAL) expect(Object.is(f(a, b), stored(g(a, b)))).toBe(true)
  })

  it('reads precedence and associativity as JavaScript does', () => {
    const cases = ['a - b - 1', 'a / b / 2', '1 + a * b', 'a - a === 0', '-a * -b', 'a > 0 ? 1 : a < 0 ? -1 : a']
    for (const e of cases) {
      const f = expressionClosure(e)
      const g = reference(e)
      for (const a of SPECIAL) for (const b of SPECIAL) expect(Object.is(f(a, b), stored(g(a, b)))).toBe(true)
    }
  })

  it('rejects what it cannot read with an InternalError', () => {
    expect(() => expressionClosure('a ** b')).toThrow(InternalError)
    expect(() => expressionClosure('Math.nope(a)')).toThrow(/unknown function Math.nope/)
    expect(() => expressionClosure('c + a')).toThrow(/unknown name c/)
  })
})

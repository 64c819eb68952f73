/**
 * The backward sweep's lean path for scalar chains (src/core/scalarSweep.ts, issue 18 W3): every
 * primitive's numeric VJP rule (`scalarVjp`) gives the bits of its `vjp` on one-element operands,
 * special values included, and gradients swept with the lean path are the per-rule sweep's, bit
 * for bit, also where scalar chains meet arrays, broadcasting, constants, fan-out and nested
 * transforms.
 */
import { describe, expect, it } from 'vitest'
import { registry } from '../../src/core/primitives'
import type { AnyPrimitive } from '../../src/core/primitive'
import { setScalarSweep } from '../../src/core/scalarSweep'
import { isZero, type Linear } from '../../src/core/zero'
import type { DType } from '../../src/ndarray/dtype'
import { NdArray } from '../../src/ndarray/NdArray'
import {
  add,
  array,
  div,
  exp,
  grad,
  jvp,
  log,
  mul,
  neg,
  sin,
  sub,
  sum,
  tanh,
  valueAndGrad,
  vjp,
  reshape,
} from '../../src/index'

const VALUES = [0, -0, 1, -1, 0.5, -2.75, 3.1e-8, 7.5e30, 88.5, -104, 1e-310, Infinity, -Infinity, NaN, Math.PI]
const BARS = [1, -0.75, 0, -0, 3e38, -Infinity, NaN]

const one = (v: number, dtype: DType, shape: ReadonlyArray<number> = []): NdArray => {
  const data = dtype === 'float32' ? new Float32Array([v]) : new Float64Array([v])
  return new NdArray(shape, dtype, data)
}
/** The bits of a number (NaNs of any payload compare equal). */
const bitsOf = (v: number): string => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v))
const bits = (x: Linear): string => (isZero(x) ? 'zero' : bitsOf(x._data[0] as number))

const withRules = [...registry.values()].filter((p) => p.scalarVjp !== undefined)
const arity = (p: AnyPrimitive): number => (p.ewise?.kind === 'binary' ? 2 : 1)

describe('numeric VJP rules (scalarVjp)', () => {
  it('exist for the primitives of scalar chains', () => {
    const names = withRules.map((p) => p.name)
    expect(names).toEqual(expect.arrayContaining(['add', 'sub', 'mul', 'div', 'neg', 'exp', 'log', 'tanh', 'sin']))
    for (const p of withRules) expect([p.name, p.ewise !== undefined]).toEqual([p.name, true])
  })

  for (const dtype of ['float32', 'float64'] as const) {
    it(`give the bits of the VJP rules (${dtype})`, () => {
      const f64 = dtype === 'float64'
      for (const p of withRules) {
        const n = arity(p)
        for (const a of VALUES) {
          for (const b of n === 2 ? VALUES : [a]) {
            // Arrange
            const inputs = n === 2 ? [one(a, dtype), one(b, dtype)] : [one(a, dtype)]
            const output = p.impl(inputs, {})
            const ctx = { inputs, output, params: {}, needs: inputs.map(() => true), residuals: undefined }
            const [x0, x1] = inputs.map((x) => x._data[0] as number)
            for (const yBar of BARS) {
              const yb = one(yBar, dtype)
              // Act
              const want = p.vjp(ctx, yb).map(bits)
              const got = inputs.map((_, i) =>
                bitsOf(
                  (p.scalarVjp as NonNullable<AnyPrimitive['scalarVjp']>)(
                    i,
                    yb._data[0] as number,
                    x0 as number,
                    (x1 ?? x0) as number,
                    output._data[0] as number,
                    f64,
                    ctx,
                  ),
                ),
              )
              // Assert
              expect([p.name, a, b, yBar, got]).toEqual([p.name, a, b, yBar, want])
            }
          }
        }
      }
    })
  }
})

/** Gradients of `f` at `args`, swept with the lean path on, then off: as bit strings. */
const both = <A extends NdArray[]>(f: (...a: A) => NdArray, args: A, argnums: number[]): string[][] =>
  [true, false].map((on) => {
    const was = setScalarSweep(on)
    try {
      const [, gs] = valueAndGrad(f, { argnums })(...args) as [NdArray, NdArray[]]
      return gs.map((g) => `${g.dtype}[${g.shape.join(',')}] ${Array.from(g._data, bitsOf).join(' ')}`)
    } finally {
      setScalarSweep(was)
    }
  })

describe('the lean sweep', () => {
  const chain = (x: NdArray): NdArray => {
    let y = x
    for (let i = 0; i < 50; i++) y = add(mul(y, 0.99), exp(mul(y, -0.5)))
    return y
  }

  it('gives the per-rule sweep its bits on W3’s chain, both float dtypes', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const [lean, rules] = both(chain, [array(0.3, { dtype })], [0])
      expect(lean).toEqual(rules)
    }
  })

  it('gives the per-rule sweep its bits where chains fan out and meet constants, -0 and NaN', () => {
    // Arrange: x used several times, a constant operand, a sum of zeros with signs, a NaN branch
    const f = (x: NdArray, y: NdArray): NdArray => {
      const a = sub(mul(x, y), neg(x))
      const b = div(tanh(a), add(log(mul(y, y)), 3))
      const z = mul(x, -0) // a -0 cotangent into x
      return add(add(b, mul(sin(x), a)), z)
    }
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [u, v] of [
        [0.7, -1.3],
        [0, -0],
        [NaN, 2],
        [-0, 1e30],
      ] as const) {
        // Act
        const [lean, rules] = both(f, [array(u, { dtype }), array(v, { dtype })], [0, 1])
        // Assert
        expect([u, v, dtype, lean]).toEqual([u, v, dtype, rules])
      }
    }
  })

  it('gives the per-rule sweep its bits where scalar chains meet arrays and broadcasting', () => {
    // Arrange: a vector summed into a scalar chain, a [1]-shaped value broadcast against a 0-d one
    const f = (v: NdArray, s: NdArray): NdArray => {
      const t = sum(mul(v, v))
      const w = mul(reshape(s, [1]), t) // shape [1]: s's cotangent is summed back to 0-d
      return add(exp(mul(t, 0.01)), sum(tanh(w)))
    }
    // Act
    const [lean, rules] = both(f, [array([0.5, -1, 2]), array(0.25)], [0, 1])
    // Assert
    expect(lean).toEqual(rules)
  })

  it('leaves nested transforms to the rules: grad of grad, jvp of grad, a kept pullback', () => {
    // Arrange: d/dx of W3's step twice, the tangent of its gradient, and vjp's function called twice
    const x = array(0.3, { dtype: 'float64' })
    const step = (y: NdArray): NdArray => add(mul(y, 0.99), exp(mul(y, -0.5)))
    // Act
    const g2 = grad(grad(step))(x).item() as number
    const [, t] = jvp(grad(step), [x], [array(1, { dtype: 'float64' })])
    const [, pull] = vjp(chain, x)
    const [c1] = pull(array(1, { dtype: 'float64' }))
    const [c2] = pull(array(2, { dtype: 'float64' }))
    // Assert: f''(x) = 0.25·exp(−0.5x) for one step
    expect(g2).toBeCloseTo(0.25 * Math.exp(-0.15), 14)
    expect(t.item()).toBe(g2)
    expect((c2 as NdArray).item()).toBe(2 * ((c1 as NdArray).item() as number))
  })
})

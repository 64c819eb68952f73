/**
 * jit: a traced-and-compiled function gives the bits of the function it compiles (on its tracing
 * call and on the compiled replays), retraces exactly when the signature changes, refuses to
 * read traced values, and leaves the level stack clean after a throw.
 */
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ConcretizationTypeError,
  add,
  array,
  exp,
  grad,
  hessian,
  jit,
  matmul,
  mul,
  relu,
  sum,
  tanh,
  valueAndGrad,
  logSoftmax,
  customJvp,
  customVjp,
  div,
  jvp,
  log,
  type NdArray,
} from '../../src'
import { bind, levelDepth } from '../../src/core/trace'
import { registry } from '../../src/core/primitives'
import type { DType } from '../../src/ndarray/dtype'

/** Same dtype, shape and bits (NaN payloads aside; -0 and 0 differ). */
const expectSameBits = (got: NdArray, want: NdArray): void => {
  expect(got.dtype).toBe(want.dtype)
  expect(got.shape).toEqual(want.shape)
  const a = Array.from(got.toTypedArray() as ArrayLike<number>)
  const b = Array.from(want.toTypedArray() as ArrayLike<number>)
  a.forEach((v, i) => expect(Object.is(v, b[i]) || (Number.isNaN(v) && Number.isNaN(b[i] as number))).toBe(true))
}

const chain =
  (steps: number) =>
  (x: NdArray): NdArray => {
    let y = x
    for (let s = 0; s < steps; s++) y = add(mul(y, 0.99), exp(mul(y, -0.5)))
    return y
  }

describe('jit gives the bits of the function it compiles', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`scalar chains and their gradients (${dtype}), on the tracing call and on replays`, () => {
      const f = grad((x: NdArray) => chain(300)(x))
      const fj = jit(f)
      for (const v of [0.3, -1.7, 4, 0]) {
        const x = array(v, { dtype })
        const want = f(x)
        expectSameBits(fj(x), want)
        expectSameBits(fj(x), want)
      }
    })
  }

  it('every element-wise primitive on single values (float32 and float64), the scalar code path', () => {
    const ewise = [...registry.values()].filter((p) => p.ewise !== undefined)
    expect(ewise.length).toBeGreaterThan(15)
    const value = fc.oneof(
      fc.double({ min: -6, max: 6, noNaN: true }),
      fc.constantFrom(0, -0, 1, -1, 0.5, Number.NaN, Infinity, -Infinity, 1e-30, 200),
    )
    fc.assert(
      fc.property(
        fc.constantFrom(...ewise),
        fc.constantFrom<DType>('float32', 'float64'),
        value,
        value,
        fc.constantFrom<ReadonlyArray<number>>([], [1], [1, 1]),
        (prim, dtype, u, v, shape) => {
          const n = prim.ewise?.kind === 'binary' ? 2 : 1
          const xs = [array(u, { dtype }), array(v, { dtype })]
            .slice(0, n)
            .map((x, i) => (i === 0 ? array(x, { shape, dtype }) : x))
          const f = (...ys: NdArray[]): NdArray => bind(prim, ys, {})
          const want = f(...xs)
          const fj = jit(f)
          expectSameBits(fj(...xs), want)
          expectSameBits(fj(...xs), want)
          // a constant operand becomes a literal in the compiled code
          if (n === 2) {
            const g = jit((y: NdArray) => bind(prim, [y, xs[1] as NdArray], {}))
            expectSameBits(g(xs[0] as NdArray), want)
            expectSameBits(g(xs[0] as NdArray), want)
          }
        },
      ),
      { numRuns: 400 },
    )
  })

  it('a training step: loss and gradients of an MLP over pytrees', () => {
    const r = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed))
    const X = array(r(8 * 5, 1), { shape: [8, 5] })
    const params = {
      w1: array(r(5 * 6, 2), { shape: [5, 6] }),
      b1: array(r(6, 3)),
      w2: array(r(6 * 3, 4), { shape: [6, 3] }),
    }
    const loss = (p: typeof params): NdArray =>
      mul(sum(logSoftmax(matmul(relu(add(matmul(X, p.w1), p.b1)), p.w2))), -1 / 8)
    const step = valueAndGrad(loss)
    const stepJ = jit(step)
    const [v0, g0] = step(params)
    for (let round = 0; round < 2; round++) {
      const [v1, g1] = stepJ(params)
      expectSameBits(v1, v0)
      expectSameBits(g1.w1, g0.w1)
      expectSameBits(g1.b1, g0.b1)
      expectSameBits(g1.w2, g0.w2)
    }
  })

  it('second order: a Hessian', () => {
    const f = (x: NdArray): NdArray => sum(mul(tanh(x), mul(x, x)))
    const x = array([0.3, -0.8, 1.4], { dtype: 'float64' })
    const h = hessian(f)
    const hj = jit(h)
    expectSameBits(hj(x), h(x))
    expectSameBits(hj(x), h(x))
  })

  it('custom rules: customVjp and customJvp under grad and jvp inside jit', () => {
    const naive = (x: NdArray): NdArray => log(add(exp(x), 1))
    const softplus = customJvp(naive, ([x], [t]) => [
      naive(x as NdArray),
      mul(t as NdArray, div(1, add(exp(mul(x as NdArray, -1)), 1))),
    ])
    const damped = customVjp(
      (x: NdArray) => x,
      (x: NdArray) => [x, null],
      (_: unknown, g: NdArray) => [div(g, add(mul(g, g), 1))],
    )
    const f = (x: NdArray): NdArray => sum(mul(damped(softplus(x)), 3))
    const x = array([100, 0.5, -2], { dtype: 'float32' })
    for (const g of [grad(f), (y: NdArray) => jvp(softplus, [y], [y])[1]]) {
      const gj = jit(g)
      expectSameBits(gj(x), g(x))
      expectSameBits(gj(x), g(x))
    }
  })

  it('outputs that are constants, numbers and inputs pass through', () => {
    const c = array([1, 2])
    const fj = jit((x: NdArray, n: number) => ({ same: x, c, n, y: mul(x, n) }))
    const x = array([3, 4])
    for (let round = 0; round < 2; round++) {
      const out = fj(x, 2 + round)
      expect(out.same).toBe(x)
      expect(out.c).toBe(c)
      // a number argument is traced (a weak scalar): returned, it comes back as a 0-d array, as in JAX
      expect((out.n as unknown as NdArray).item()).toBe(2 + round)
      expect(out.y.toArray()).toEqual([6 + 3 * round, 8 + 4 * round])
    }
  })
})

describe('jit traces once per signature', () => {
  it('retraces for a new shape, dtype, structure, kind of number or static argument, and only then', () => {
    let traces = 0
    const fj = jit(
      (x: NdArray, k: number, mode: string) => {
        traces++
        return mode === 'double' ? mul(x, mul(k, 2)) : mul(x, k)
      },
      { staticArgnums: 2 },
    )
    const a = array([1, 2, 3])
    expect(fj(a, 1, 'double').toArray()).toEqual([2, 4, 6])
    expect(fj(array([7, 8, 9]), 1, 'double').toArray()).toEqual([14, 16, 18])
    expect(traces).toBe(1)
    fj(array([1, 2]), 1, 'double') // shape
    fj(array([1, 2], { dtype: 'float64' }), 1, 'double') // dtype
    expect(fj(a, 3, 'double').toArray()).toEqual([6, 12, 18]) // another integer: the same trace
    expect(traces).toBe(3)
    expect(fj(a, 0.5, 'double').toArray()).toEqual([1, 2, 3]) // a number with a fraction: weak float
    expect(fj(a, 1, 'single').toArray()).toEqual([1, 2, 3]) // static argument
    expect(traces).toBe(5)
    fj(a, 7, 'double')
    fj(a, 0.25, 'double')
    fj(array([1, 2]), 1, 'double')
    expect(traces).toBe(5)
  })

  it('numbers are weak scalars: they take the array dtype, as untraced numbers do, and keep full precision', () => {
    const f = (x: NdArray, k: number): NdArray => add(mul(x, k), mul(k, 0.5))
    const fj = jit(f)
    for (const [x, k] of [
      [array([1, 2]), 0.1],
      [array([1, 2], { dtype: 'float64' }), 0.1],
      [array([1, 2], { dtype: 'int32' }), 3],
      [array([1, 2], { dtype: 'int32' }), 0.1],
      [array([true, false]), 2],
    ] as const) {
      const [want, got] = [f(x, k), fj(x, k)]
      expect([got.dtype, got.toArray()]).toEqual([want.dtype, want.toArray()])
    }
  })

  it('JavaScript arithmetic on a traced number raises instead of computing NaN; staticArgnums keeps it a number', () => {
    const f = (x: NdArray, k: number): NdArray => mul(x, k * 2)
    expect(() => jit(f)(array([1]), 3)).toThrow(ConcretizationTypeError)
    expect(jit(f, { staticArgnums: 1 })(array([1]), 3).toArray()).toEqual([6])
  })

  it('does not rerun side effects on compiled calls (the function must be pure)', () => {
    const seen: number[] = []
    const fj = jit((x: NdArray) => {
      seen.push(x.size)
      return exp(x)
    })
    fj(array([0, 1]))
    fj(array([2, 3]))
    expect(seen).toEqual([2])
  })
})

describe('jit refuses traced values', () => {
  it('item(), toArray(), toTypedArray() and array(x) throw a ConcretizationTypeError naming the op, and the stack is clean', () => {
    const x = array([1, 2, 3])
    for (const [op, shape, body] of [
      ['item', '[]', (y: NdArray) => (sum(y).item() as number) > 0],
      ['toArray', '[3]', (y: NdArray) => y.toArray()],
      ['toTypedArray', '[3]', (y: NdArray) => y.toTypedArray()],
      ['array', '[3]', (y: NdArray) => array(y)],
    ] as const) {
      const fj = jit((y: NdArray) => {
        body(y)
        return y
      })
      expect(() => fj(x)).toThrow(ConcretizationTypeError)
      expect(() => fj(x)).toThrow(
        `${op}: Abstract tracer value encountered where concrete value is expected: the value of a float32${shape} array traced by jit is not known while tracing`,
      )
      expect(levelDepth()).toBe(0)
    }
    // and the same values work outside jit, and after the throw
    expect(sum(x).item()).toBe(6)
    expect(jit((y: NdArray) => mul(y, 2))(x).toArray()).toEqual([2, 4, 6])
  })

  it('prints traced values by shape and dtype', () => {
    let printed = ''
    jit((y: NdArray) => {
      printed = String(exp(y))
      return y
    })(array([[1, 2]]))
    expect(printed).toBe('Traced<float32[1,2]>')
  })

  it('under another transform runs the function as it is', () => {
    const f = (x: NdArray): NdArray => sum(mul(tanh(x), x))
    const x = array([0.5, -1, 2], { dtype: 'float64' })
    expectSameBits(grad(jit(f))(x), grad(f)(x))
    // value-dependent code works there, as grad allows it
    const g = jit((y: NdArray) => ((sum(y).item() as number) > 0 ? mul(y, y) : y))
    expect(grad((y: NdArray) => sum(g(y)))(x).toArray()).toEqual([1, -2, 4])
  })
})

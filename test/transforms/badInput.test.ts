/**
 * Bad input to the transforms raises a typed error naming the transform and the value (issue 10
 * "Bad input", issue 13 "One calling convention, checked"): options objects are checked at run
 * time (JS callers have no compiler), the function argument must be callable, vmap's axis specs
 * must be integers, `jvp` takes arrays of primals and tangents, and a tracer that escaped its
 * transform (vmap, jit, grad, vjp, jvp) raises JAX's UnexpectedTracerError.
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  grad,
  hessian,
  item,
  jacfwd,
  jacrev,
  jit,
  jvp,
  linearize,
  mul,
  sin,
  sum,
  vjp,
  vmap,
  UnexpectedTracerError,
  ValueError,
  type NdArray,
} from '../../src'

const sq = (x: NdArray): NdArray => sum(mul(x, x))
/** Calls a transform the way a JS caller can: with any value. */
const loose = <F>(f: F): ((...args: unknown[]) => unknown) => f as unknown as (...args: unknown[]) => unknown

describe('options objects are checked at run time', () => {
  it("vmap's snake_case option names the valid keys and suggests the camelCase one", () => {
    expect(() => loose(vmap)(sq, { in_axes: 0 })).toThrow(ValueError)
    expect(() => loose(vmap)(sq, { in_axes: 0 })).toThrow(
      "vmap() got an unexpected keyword argument 'in_axes'; did you mean 'inAxes'? (valid options: inAxes, outAxes, axisSize, axisName)",
    )
  })
  it('grad: argnum → argnums, has_aux → hasAux; jit, jacrev, jacfwd, hessian too', () => {
    expect(() => loose(grad)(sq, { argnum: 1 })).toThrow(
      /unexpected keyword argument 'argnum'; did you mean 'argnums'\?/,
    )
    expect(() => loose(grad)(sq, { has_aux: true })).toThrow(/'has_aux'; did you mean 'hasAux'\?/)
    expect(() => loose(jit)(sq, { static_argnums: 0 })).toThrow(/did you mean 'staticArgnums'\?/)
    for (const t of [jacrev, jacfwd, hessian]) expect(() => loose(t)(sq, { argnum: 0 })).toThrow(/'argnums'/)
  })
  it('a non-object options argument raises', () => {
    expect(() => loose(grad)(sq, 1)).toThrow(/grad\(\) expected an options object/)
    // an array or number is JAX's positional in_axes (test/transforms/vmapPositional.test.ts)
    expect(() => loose(vmap)(sq, 'axes')).toThrow(/vmap\(\) expected an options object/)
  })
})

describe('the function argument must be callable (JAX: Expected a callable value)', () => {
  it.each([
    ['grad', grad],
    ['vmap', vmap],
    ['jit', jit],
    ['jacrev', jacrev],
    ['jacfwd', jacfwd],
  ] as const)('%s(42) raises at once', (name, t) => {
    expect(() => loose(t)(42)).toThrow(new RegExp(`^${name}: expected a callable value .*got 42`))
  })
  it('jvp, vjp and linearize refuse a non-function', () => {
    expect(() => loose(jvp)(42, [array(1)], [array(1)])).toThrow(ValueError)
    expect(() => loose(vjp)('f', array(1))).toThrow(/vjp: expected a callable value/)
    expect(() => loose(linearize)(null, array(1))).toThrow(/linearize: expected a callable value/)
  })
})

describe('jvp takes arrays (tuples) of primals and tangents', () => {
  it('jvp(sin, x, t) raises naming what it found', () => {
    const x = array(0.5)
    expect(() => loose(jvp)(sin, x, x)).toThrow(
      /jvp: primal and tangent arguments to jvp must be arrays .*found an array of shape \[\] and an array of shape \[\]/,
    )
    expect(jvp(sin, [x], [x])[1].item()).toBeCloseTo(Math.cos(0.5) * 0.5, 6)
  })
})

describe('vmap axis specs', () => {
  const xs = array([
    [1, 2, 3],
    [4, 5, 6],
  ])
  it('axisSize must be a non-negative integer', () => {
    for (const bad of [2.5, -1, NaN, '2']) {
      expect(() => vmap(() => array([1, 2, 3]), { axisSize: bad as number })).toThrow(
        /vmap: axisSize must be a non-negative integer/,
      )
    }
    expect(vmap(() => array([1, 2, 3]), { axisSize: 2 })().shape).toEqual([2, 3])
  })
  it('inAxes and outAxes entries must be integers or null', () => {
    expect(() => vmap(sq, { inAxes: 0.5 })).toThrow(/inAxes entries must be integers or null, got 0.5/)
    expect(() => vmap(sq, { inAxes: ['0' as unknown as number] })).toThrow(/inAxes must be an integer, null/)
    expect(() => vmap(sq, { outAxes: 1.5 })).toThrow(/outAxes entries must be integers/)
    expect(vmap(sq, { inAxes: [1] })(xs).toArray()).toEqual([17, 29, 45])
  })
})

describe('a tracer that escaped its transform raises UnexpectedTracerError', () => {
  it('vmap: using the leaked value later raises instead of giving the batch shape', () => {
    let leaked: NdArray | undefined
    vmap((x: NdArray) => {
      leaked = mul(x, 2)
      return x
    })(
      array([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    )
    const l = leaked as NdArray
    expect(() => add(l, 1)).toThrow(UnexpectedTracerError)
    expect(() => add(l, 1)).toThrow(/float32\[3\] value traced by vmap escaped/)
    expect(() => l.toArray()).toThrow(UnexpectedTracerError)
    expect(String(l)).toBe('Traced<float32[3]> (escaped from vmap)')
    expect(() => grad(sq)(l)).toThrow(UnexpectedTracerError)
  })
  it('jit: a traced value stored during tracing raises when used later', () => {
    let leaked: NdArray | undefined
    const f = jit((x: NdArray) => {
      leaked = sin(x)
      return x
    })
    f(array([1, 2]))
    expect(() => add(leaked as NdArray, 1)).toThrow(UnexpectedTracerError)
  })
  it('grad, vjp and jvp: a leaked intermediate raises UnexpectedTracerError naming the transform', () => {
    // JAX raises for any tracer used after its transform returned; here the differentiating
    // transforms also give their intermediates' buffers back to the pool, so the old value is gone
    const leaks: Array<[string, () => NdArray]> = [
      [
        'grad',
        () => {
          let l: NdArray | undefined
          grad((x: NdArray) => sum((l = mul(x, 3))))(array([1, 2]))
          return l as NdArray
        },
      ],
      [
        'vjp',
        () => {
          let l: NdArray | undefined
          vjp((x: NdArray) => (l = sin(x)), array([1, 2]))
          return l as NdArray
        },
      ],
      [
        'jvp',
        () => {
          let l: NdArray | undefined
          jvp((x: NdArray) => (l = sin(x)), [array([1, 2])], [array([1, 1])])
          return l as NdArray
        },
      ],
    ]
    for (const [name, leak] of leaks) {
      const l = leak()
      expect(() => add(l, 1)).toThrow(UnexpectedTracerError)
      expect(() => add(l, 1)).toThrow(`float32[2] value traced by ${name} escaped`)
      expect(() => l.toArray()).toThrow(UnexpectedTracerError)
      expect(() => grad(sq)(l)).toThrow(UnexpectedTracerError)
      expect(String(l)).toBe(`Traced<float32[2]> (escaped from ${name})`)
    }
  })
  it('item() of a scalar leaked from grad raises too (function and method)', () => {
    let l: NdArray | undefined
    grad((x: NdArray) => (l = mul(x, 2)))(array(1))
    expect(() => item(l as NdArray)).toThrow(UnexpectedTracerError)
    expect(() => (l as NdArray).item()).toThrow(UnexpectedTracerError)
  })
  it('a value returned by the transformed function is a plain value, not a leaked tracer', () => {
    const [y, pull] = vjp((x: NdArray) => mul(x, 3), array([1, 2]))
    expect(add(y, 1).toArray()).toEqual([4, 7])
    expect(pull(array([1, 1]))[0].toArray()).toEqual([3, 3])
  })
})

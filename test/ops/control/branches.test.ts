/**
 * lax.foriLoop, lax.whileLoop, lax.cond and lax.switch: eager results against plain JavaScript,
 * derivatives against float64 finite differences, vmap with batched predicates, and errors.
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  checkGrads,
  cos,
  DTypeError,
  grad,
  greater as gt,
  jit,
  jvp,
  lax,
  less as lt,
  mul,
  NotDifferentiableError,
  ShapeError,
  sin,
  sum,
  TreeMismatchError,
  vmap,
  type NdArray,
} from 'wengert'

const f64 = (x: number | number[]): NdArray => array(x, { dtype: 'float64' })

describe('lax.foriLoop', () => {
  it('with static bounds is a scan: eager, jit and grad equal the JavaScript loop', () => {
    const body = (i: NdArray, x: NdArray) => add(mul(x, 0.9), sin(mul(x, i)))
    const fori = (x: NdArray) => lax.foriLoop(2, 7, body, x)
    const js = (x: NdArray) => {
      for (let i = 2; i < 7; i++) x = body(array(i, { dtype: 'int32' }), x)
      return x
    }
    const x = array([0.3, -1.2])
    expect(fori(x).toArray()).toEqual(js(x).toArray())
    expect(jit(fori)(x).toArray()).toEqual(js(x).toArray())
    expect(grad((x: NdArray) => sum(fori(x)))(x).toArray()).toEqual(grad((x: NdArray) => sum(js(x)))(x).toArray())
    checkGrads(fori, [f64([0.3, -1.2])], { modes: ['fwd', 'rev'], order: 2 })
  })

  it('with traced bounds is a while loop: forward mode works, reverse mode raises JAX error', () => {
    const f = (x: NdArray, n: NdArray) =>
      lax.foriLoop(array(0, { dtype: 'int32' }), n, (_i, y: NdArray) => mul(y, x), x)
    const n = array(3, { dtype: 'int32' })
    expect(jit(f)(f64(2), n).item()).toBe(16)
    const [, t] = jvp((x: NdArray) => jit(f)(x, n), [f64(2)], [f64(1)])
    expect(t.item()).toBe(32) // d x⁴ = 4x³
    // concrete bounds under grad are static (a scan); traced ones (under jit) make a while loop
    expect(grad((x: NdArray) => f(x, n))(f64(2)).item()).toBe(32)
    const g = jit((x: NdArray, m: NdArray) => grad((y: NdArray) => f(y, m))(x))
    expect(() => g(f64(2), n)).toThrow(NotDifferentiableError)
    expect(() => g(f64(2), n)).toThrow(
      'Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. Try using lax.scan, or using fori_loop with static start/stop.',
    )
  })
})

describe('lax.whileLoop', () => {
  it('runs until the condition fails; jvp matches finite differences; vmap runs each element its own count', () => {
    const f = (x: NdArray) =>
      lax.whileLoop(
        ([, k]: [NdArray, NdArray]) => lt(k, 4),
        ([y, k]: [NdArray, NdArray]): [NdArray, NdArray] => [sin(add(y, 1)), add(k, 1)],
        [x, f64(0)],
      )[0]
    let y = 0.5
    for (let k = 0; k < 4; k++) y = Math.sin(y + 1)
    expect(f(f64(0.5)).item()).toBe(y)
    checkGrads(f, [f64(0.5)], { modes: ['fwd'], order: 2 })
    // each element doubles until it exceeds 10
    const g = (x: NdArray) =>
      lax.whileLoop(
        (y: NdArray) => lt(y, 10),
        (y: NdArray) => mul(y, 2),
        x,
      )
    expect(vmap(g)(f64([1, 3, 20])).toArray()).toEqual([16, 12, 20])
  })

  it('refuses a non-scalar or non-bool condition and a carry that changes type', () => {
    expect(() =>
      lax.whileLoop(
        (y: NdArray) => y,
        (y: NdArray) => y,
        f64([1, 2]),
      ),
    ).toThrow(ShapeError)
    expect(() =>
      lax.whileLoop(
        (y: NdArray) => y,
        (y: NdArray) => y,
        f64(1),
      ),
    ).toThrow(DTypeError)
    expect(() =>
      lax.whileLoop(
        (y: NdArray) => lt(y, 1),
        (y: NdArray) => [y] as never,
        f64(0),
      ),
    ).toThrow(TreeMismatchError)
  })
})

describe('lax.cond and lax.switch', () => {
  it('run only the chosen branch eagerly, and match the branch under jit, grad and jvp', () => {
    let ran = 0
    const f = (x: NdArray) =>
      lax.cond(
        gt(sum(x), 0),
        (y: NdArray) => sin(y),
        (y: NdArray) => {
          ran++
          return cos(y)
        },
        x,
      )
    expect(f(f64([1])).toArray()).toEqual([Math.sin(1)])
    expect(f(f64([-1])).toArray()).toEqual([Math.cos(-1)])
    expect(jit(f)(f64([-2])).toArray()).toEqual([Math.cos(-2)])
    expect(grad((x: NdArray) => sum(f(x)))(f64([1])).toArray()).toEqual([Math.cos(1)])
    expect(grad((x: NdArray) => sum(f(x)))(f64([-1])).toArray()).toEqual([-Math.sin(-1)])
    checkGrads(f, [f64([0.7, 0.2])], { modes: ['fwd', 'rev'], order: 2 })
    expect(ran).toBeGreaterThan(0)
  })

  it('under vmap with a batched predicate runs both branches and selects', () => {
    const f = (x: NdArray) =>
      lax.cond(
        gt(x, 0),
        (y: NdArray) => mul(y, 2),
        (y: NdArray) => mul(y, -3),
        x,
      )
    expect(vmap(f)(f64([1, -1, 2])).toArray()).toEqual([2, 3, 4])
    const s = (i: NdArray, x: NdArray) =>
      lax.switch(i, [(y: NdArray) => add(y, 1), (y: NdArray) => mul(y, 10), (y: NdArray) => sin(y)], x)
    const idx = array([-5, 0, 1, 2, 9], { dtype: 'int32' })
    expect(vmap(s)(idx, f64([1, 1, 1, 1, 1])).toArray()).toEqual([2, 2, 10, Math.sin(1), Math.sin(1)])
  })

  it('clamps switch indices as JAX does and raises on bad predicates and mismatched branches', () => {
    const branches = [(x: NdArray) => add(x, 1), (x: NdArray) => mul(x, 10)]
    expect(lax.switch(-3, branches, f64(2)).item()).toBe(3)
    expect(lax.switch(5, branches, f64(2)).item()).toBe(20)
    expect(() =>
      lax.cond(
        f64([1, 2]),
        (x: NdArray) => x,
        (x: NdArray) => x,
        f64(1),
      ),
    ).toThrow(/Pred must be a scalar/)
    expect(() =>
      lax.cond(
        true,
        (x: NdArray) => x,
        (x: NdArray) => [x, x] as never,
        f64(1),
      ),
    ).toThrow(TreeMismatchError)
    expect(() =>
      lax.cond(
        true,
        (x: NdArray) => x,
        () => array(1, { dtype: 'int32' }),
        f64(1),
      ),
    ).toThrow(DTypeError)
    expect(() => lax.switch(f64(1), branches, f64(2))).toThrow(/Index type must be an integer/)
  })
})

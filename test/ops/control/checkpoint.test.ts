/**
 * checkpoint/remat: values and derivatives equal those of the function itself, and the policy
 * decides what the forward pass saves (nothing, the matmul outputs, everything).
 */
import { describe, expect, it } from 'vitest'
import {
  array,
  checkGrads,
  checkpoint,
  grad,
  jit,
  lax,
  matmul,
  mul,
  reshape,
  sin,
  sum,
  tanh,
  vmap,
  type NdArray,
} from 'wengert'
import { remat as rematPrimitive } from '../../../src/core/primitives/remat'
import { splitVjp, traceClosed } from '../../../src/core/subprogram'
import { checkpointPolicies } from '../../../src/ops/control/checkpoint'

const f64 = (x: number[] | number[][]): NdArray => array(x, { dtype: 'float64' })
const layer = (w: NdArray, x: NdArray): NdArray => tanh(matmul(sin(matmul(x, w)), w))
const w = f64([
  [0.3, -0.2],
  [0.5, 0.9],
])
const x = f64([[0.1, 0.7]])

describe('checkpoint', () => {
  it('gives the same values and gradients (bit for bit) for every policy, eagerly and under jit', () => {
    const ref = grad((w: NdArray) => sum(layer(w, x)))(w)
    for (const policy of ['nothing_saveable', 'dots_saveable', 'everything_saveable'] as const) {
      const g = checkpoint(layer, { policy })
      expect(g(w, x).toArray()).toEqual(layer(w, x).toArray())
      expect(grad((w: NdArray) => sum(g(w, x)))(w).toArray()).toEqual(ref.toArray())
      expect(jit(grad((w: NdArray) => sum(g(w, x))))(w).toArray()).toEqual(ref.toArray())
      checkGrads((w: NdArray) => g(w, x), [w], { modes: ['fwd', 'rev'], order: 2 })
    }
    expect(
      vmap((x: NdArray) => checkpoint(layer)(w, reshape(x, [1, 2])))(
        f64([
          [0.1, 0.7],
          [0.2, 0.3],
        ]),
      ).shape,
    ).toEqual([2, 1, 2])
  })

  it('saves what the policy allows: nothing, the two matmul outputs, or every intermediate', () => {
    const body = traceClosed(([a, b]) => [layer(a as NdArray, b as NdArray)], [w, x]).tape
    const saved = (p: keyof typeof checkpointPolicies) =>
      splitVjp(body, 2, checkpointPolicies[p], [w, x], false).residuals.length
    expect(saved('nothing_saveable')).toBe(0)
    expect(saved('dots_saveable')).toBe(2)
    expect(saved('everything_saveable')).toBeGreaterThan(2)
    // under nothing_saveable the forward pass saves nothing, so jit(grad)'s program keeps only the
    // backward remat (the forward's value is unused), which recomputes the forward inside it
    const text = jit(grad((w: NdArray) => sum(checkpoint(layer)(w, x))))
      .lower(w)
      .asText()
    expect(text.match(/remat/g)?.length).toBe(1)
    expect(text).toMatch(/remat\[policy=nothing_saveable jaxpr=.*matmul.*sin/)
    expect(rematPrimitive.primitive.name).toBe('remat')
  })

  it('checkpoints a scan body: grad over 50 steps equals the plain scan', () => {
    const step = (c: NdArray, xi: NdArray): [NdArray, NdArray] => [mul(sin(c), xi), c]
    const xs = f64([[0.5, 1.1]].flatMap(() => Array.from({ length: 50 }, (_, i) => [Math.cos(i), 1 + Math.sin(i)])))
    const plain = (c: NdArray) => sum(lax.scan(step, c, xs)[0])
    const ck = (c: NdArray) => sum(lax.scan(checkpoint(step), c, xs)[0])
    expect(grad(ck)(f64([0.3, 0.4])).toArray()).toEqual(grad(plain)(f64([0.3, 0.4])).toArray())
  })

  it('refuses an unknown policy', () => {
    expect(() => checkpoint(layer, { policy: 'dots' as never })).toThrow(/policy must be one of/)
  })
})

/**
 * Rule bugs the laws found, pinned: each as the law's recorded counterexample ({ seed, path })
 * and as a plain value check.
 */
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { array, checkGrads, grad, pow, type NdArray } from 'wengert'
import { domains, laws, registry } from 'wengert/laws'

const f64 = (v: number): NdArray => array(v, { dtype: 'float64' })

describe('pow: ∂²xʸ/∂y∂x at y = 0 (issue 3)', () => {
  it('replays the second-order law counterexample', () => {
    // Arrange
    const prim = registry.get('pow')
    expect(prim).toBeDefined()
    if (prim === undefined) return
    // Act + Assert: the seed and path fast-check printed for the old rule (x=0.5, y=[[0],[0],[0]])
    fc.assert(laws.secondOrder(prim, domains.pow.instances), {
      seed: 163723454,
      path: '165:41:0:0:1:1:1:2:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:2:1:1:3:4:4:4:4:4:4:4:4:4:17:4:4:4:4:5:4:10:4:6:6:6:6:6:6',
      endOnFailure: true,
    })
  })

  it('the mixed second derivative is 1/x, and x = y = 0 still gives no NaN', () => {
    // Arrange
    const dfdx = (x: NdArray, y: NdArray): NdArray => grad(pow)(x, y)
    // Act
    const mixed = grad(dfdx, { argnums: 1 })(f64(0.5), f64(0))
    // Assert
    expect(mixed.item()).toBe(2)
    expect(dfdx(f64(0), f64(0)).item()).toBe(0)
    expect(dfdx(f64(0), f64(2)).item()).toBe(0)
    expect(dfdx(f64(3), f64(0)).item()).toBe(0)
    expect(() => checkGrads(pow, [f64(0.5), f64(0)])).not.toThrow()
  })
})

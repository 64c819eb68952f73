/**
 * Array methods (`x.T`, `x.sum(1)`, `x.reshape(2, 3)`, …): each equals the op it forwards to,
 * takes the op's positional axis and options, and works on traced values under grad, jit and vmap.
 */
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { array, grad, jit, vmap, ValueError, type NdArray } from '../../src'

const x = array([
  [1, -2, 3],
  [4, 5, -6],
])

describe('NdArray methods', () => {
  it('shape methods and properties', () => {
    expect(x.T.toArray()).toEqual([
      [1, 4],
      [-2, 5],
      [3, -6],
    ])
    expect(array([[[1, 2]]]).mT.shape).toEqual([1, 2, 1])
    expect(() => array([1, 2]).mT).toThrow(ValueError)
    expect(x.reshape(3, 2).shape).toEqual([3, 2])
    expect(x.reshape([6]).toArray()).toEqual([1, -2, 3, 4, 5, -6])
    expect(x.reshape(-1, 2).shape).toEqual([3, 2])
    expect(x.transpose().shape).toEqual([3, 2])
    expect(array([[[1, 2, 3]]]).transpose(2, 0, 1).shape).toEqual([3, 1, 1])
    expect(array([[[1, 2, 3]]]).transpose([2, 0, 1]).shape).toEqual([3, 1, 1])
    expect(array([[[1, 2, 3]]]).swapaxes(0, -1).shape).toEqual([3, 1, 1])
    expect(x.flatten().shape).toEqual([6])
    expect(x.ravel().shape).toEqual([6])
    expect(array([[1], [2]]).squeeze().shape).toEqual([2])
    expect(x.take(array([2, 0], { dtype: 'int32' }), 1).toArray()).toEqual([
      [3, 1],
      [-6, 4],
    ])
    expect(array([1, 2]).repeat(2).toArray()).toEqual([1, 1, 2, 2])
    expect(x.astype('int32').dtype).toBe('int32')
    expect(x.tolist()).toEqual(x.toArray())
    expect(x.at(1, '1:').add(10).toArray()).toEqual([
      [1, -2, 3],
      [4, 15, 4],
    ])
    expect(x.at(-1).get().toArray()).toEqual([4, 5, -6])
  })

  it('reductions take a positional axis or options', () => {
    expect(x.sum().item()).toBe(5)
    expect(x.sum(1).toArray()).toEqual([2, 3])
    expect(x.sum({ axis: 0, keepdims: true }).toArray()).toEqual([[5, 3, -3]])
    expect(x.mean(0).toArray()).toEqual([2.5, 1.5, -1.5])
    expect(x.max(1).toArray()).toEqual([3, 5])
    expect(x.min().item()).toBe(-6)
    expect(x.prod(1).toArray()).toEqual([-6, -120])
    expect(x.argmax(1).toArray()).toEqual([2, 1])
    expect(x.argmin().item()).toBe(5)
    expect(array([1, 2, 3, 4]).var().item()).toBe(1.25)
    expect(array([1, 2, 3, 4]).std({ ddof: 1 }).item()).toBeCloseTo(Math.sqrt(5 / 3), 6)
    expect(x.all().item()).toBe(true)
    expect(array([0, 0]).any().item()).toBe(false)
    expect(array([1, 2, 3]).cumsum().toArray()).toEqual([1, 3, 6])
    expect(array([1, 2, 3]).cumprod().toArray()).toEqual([1, 2, 6])
    expect(x.sort().toArray()).toEqual([
      [-2, 1, 3],
      [-6, 4, 5],
    ])
    expect(x.sort(null).toArray()).toEqual([-6, -2, 1, 3, 4, 5])
    expect(x.argsort(0).toArray()).toEqual([
      [0, 0, 1],
      [1, 1, 0],
    ])
    expect(array([0, 0]).logsumexp().item()).toBeCloseTo(Math.log(2), 6)
  })

  it('element-wise methods', () => {
    expect(x.add(1).sub(2).mul(3).div(3).toArray()).toEqual([
      [0, -3, 2],
      [3, 4, -7],
    ])
    expect(array([2, 3]).pow(2).toArray()).toEqual([4, 9])
    expect(x.abs().neg().max().item()).toBe(-1)
    expect(array([-2, 0, 2]).sign().toArray()).toEqual([-1, 0, 1])
    expect(array([4]).sqrt().square().item()).toBe(4)
    expect(array([0]).exp().log().log1p().expm1().item()).toBe(0)
    expect(array([0]).sin().cos().tanh().item()).toBeCloseTo(Math.tanh(1), 6)
    expect(array([0.5, 1.5, -1.2]).round().toArray()).toEqual([0, 2, -1])
    expect(array([1.5]).floor().ceil().item()).toBe(1)
    expect(x.clip(-1, 1).toArray()).toEqual([
      [1, -1, 1],
      [1, 1, -1],
    ])
    expect(x.maximum(0).minimum(4).toArray()).toEqual([
      [1, 0, 3],
      [4, 4, 0],
    ])
    expect(x.matmul(x.T).toArray()).toEqual([
      [14, -24],
      [-24, 77],
    ])
    expect(
      array([1, 2])
        .dot(array([3, 4]))
        .item(),
    ).toBe(11)
  })

  it('trace under grad, jit and vmap', () => {
    const f = (v: NdArray): NdArray => v.mul(v).sum().add(v.T.mean())
    // d/dv (Σ v² + mean v) = 2v + 1/n
    expect(grad(f)(array([1, 2, 3, 4])).toArray()).toEqual([2.25, 4.25, 6.25, 8.25])
    expect(jit(f)(array([1, 2])).item()).toBe(6.5)
    expect(vmap((r: NdArray) => r.reshape(3, 1).sum(0))(x).toArray()).toEqual([[2], [3]])
  })

  it('console.log prints like String(x), traced values too', () => {
    expect(inspect(array([1, 2]))).toBe('array([1., 2.], dtype=float32)')
    let seen = ''
    jit((v: NdArray) => {
      seen = inspect(v)
      return v
    })(array([1, 2]))
    expect(seen).toBe('Traced<float32[2]>')
  })
})

/**
 * JAX names added from docs/jax-coverage.md: nn.identity, nn.initializers.deltaOrthogonal,
 * linalg.vecdot / matrixTranspose, iscomplex / isreal / angle, the tree_util structure helpers and
 * class registrations, and flattenUtil.ravelPytree. Values from the definitions (maths).
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  angle,
  array,
  flattenUtil,
  grad,
  iscomplex,
  isreal,
  linalg,
  matmul,
  nn,
  random,
  sum,
  mul,
  transpose,
  tree,
  DTypeError,
  ShapeError,
  TreeMismatchError,
  ValueError,
  type NdArray,
} from '../../../src/index'

describe('nn', () => {
  it('identity returns its argument, derivative 1', () => {
    expect(nn.identity(array([-2, 0.5])).toArray()).toEqual([-2, 0.5])
    expect(grad((x: NdArray) => sum(nn.identity(x)))(array([3, 4])).toArray()).toEqual([1, 1])
  })

  it('deltaOrthogonal: an orthogonal matrix at the spatial centre, zeros elsewhere', () => {
    const w = nn.initializers.deltaOrthogonal()(random.key(1), [3, 4, 2, 3], 'float64')
    expect(w.shape).toEqual([3, 4, 2, 3])
    const c = w.toArray() as number[][][][]
    // centre (1, 1): rows orthonormal (2 ≤ 3)
    const m = array(c[1]?.[1] as number[][], { dtype: 'float64' })
    const g = matmul(m, transpose(m)).toArray() as number[][]
    g.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 12)))
    let off = 0
    c.forEach((a, i) => a.forEach((b, j) => (i !== 1 || j !== 1) && b.flat().forEach((v) => (off += Math.abs(v)))))
    expect(off).toBe(0)
    expect(() => nn.initializers.deltaOrthogonal()(random.key(1), [2, 2])).toThrow(ValueError)
    expect(() => nn.initializers.deltaOrthogonal()(random.key(1), [3, 3, 2])).toThrow(
      new ValueError('nn.initializers.deltaOrthogonal: `fan_in` must be less or equal than `fan_out`. '),
    )
  })
})

describe('jnp and jnp.linalg', () => {
  it('linalg.vecdot and linalg.matrixTranspose are the jnp functions', () => {
    expect(
      linalg
        .vecdot(
          array([
            [1, 2],
            [3, 4],
          ]),
          array([1, 1]),
        )
        .toArray(),
    ).toEqual([3, 7])
    expect(linalg.matrixTranspose(array([[[1, 2]]])).shape).toEqual([1, 2, 1])
  })

  it('iscomplex / isreal on real arrays; angle is atan2(0, x)', () => {
    expect(iscomplex(array([[1, 2]])).toArray()).toEqual([[false, false]])
    expect(isreal(array([1.5])).toArray()).toEqual([true])
    const a = angle(array([2, -1, 0, -0], { dtype: 'float64' })).toArray()
    expect(a).toEqual([0, Math.PI, 0, Math.PI])
    expect(angle(array([1, -3]), true).toArray()).toEqual([0, 180])
    expect(angle(array([1], { dtype: 'int32' })).dtype).toBe('float32')
    expect(() => angle(array([1]), { deg: 1 as unknown as boolean })).toThrow(ValueError)
  })
})

describe('tree_util helpers', () => {
  it('allLeaves, treedefIsLeaf, treedefChildren, treedefTuple', () => {
    expect(tree.allLeaves([1, array([2])])).toBe(true)
    expect(tree.allLeaves([1, null])).toBe(false)
    expect(tree.allLeaves([[1, 2]], (x) => Array.isArray(x))).toBe(true)
    expect(tree.treedefIsLeaf(tree.structure(null))).toBe(false)
    expect(tree.treedefChildren(tree.structure(1))).toEqual([])
    const def = tree.treedefTuple(tree.treedefChildren(tree.structure({ a: 1, b: [2, 3] })))
    expect(tree.unflatten(def, [7, 8, 9])).toEqual([7, [8, 9]])
  })

  it('buildTree fills a structure from a mirroring nested list', () => {
    const def = tree.structure({ a: 0, b: [0, null, 0] })
    expect(tree.buildTree(def, [1, [2, 'ignored', 3]])).toEqual({ a: 1, b: [2, null, 3] })
    expect(() => tree.buildTree(def, [1, [2]])).toThrow(TreeMismatchError)
  })

  it('registerPytreeNodeClass registers through the class methods and returns the class', () => {
    class Scaled {
      constructor(
        readonly v: NdArray,
        readonly k: number,
      ) {}
      treeFlatten(): [[NdArray], number] {
        return [[this.v], this.k]
      }
      static treeUnflatten(k: number, [v]: unknown[]): Scaled {
        return new Scaled(v as NdArray, k)
      }
    }
    expect(tree.registerPytreeNodeClass(Scaled)).toBe(Scaled)
    const g = grad((s: Scaled) => sum(mul(s.v, s.k)))(new Scaled(array([1, 2]), 3))
    expect(g).toBeInstanceOf(Scaled)
    expect(g.v.toArray()).toEqual([3, 3])
    class NoMethods {}
    expect(() => tree.registerPytreeNodeClass(NoMethods as never)).toThrow(
      new ValueError('tree.registerPytreeNodeClass: class NoMethods has no treeFlatten method'),
    )
  })
})

describe('flattenUtil.ravelPytree', () => {
  it('flattens in tree order with the promoted dtype and unravels to shapes and dtypes', () => {
    const p = {
      w: array(
        [
          [1, 2],
          [3, 4],
        ],
        { dtype: 'float32' },
      ),
      b: [array([5], { dtype: 'int32' })],
    }
    const [flat, unravel] = flattenUtil.ravelPytree(p)
    expect(flat.toArray()).toEqual([1, 2, 3, 4, 5])
    expect(flat.dtype).toBe('float32')
    const back = unravel(flat)
    expect(back.w.shape).toEqual([2, 2])
    expect(back.b[0]?.dtype).toBe('int32')
    expect(() => unravel(array([1, 2]))).toThrow(ShapeError)
    expect(() => unravel(array([1, 2, 3, 4, 5], { dtype: 'float64' }))).toThrow(DTypeError)
  })

  it('is differentiable through unravel, and an empty tree gives an empty float32 array', () => {
    const [flat, unravel] = flattenUtil.ravelPytree({ a: array([1, 2]), b: array(3) })
    const loss = (v: NdArray): NdArray => {
      const t = unravel(v)
      return add(sum(mul(t.a, t.a)), t.b)
    }
    expect(grad(loss)(flat).toArray()).toEqual([2, 4, 1])
    const [e, un] = flattenUtil.ravelPytree({})
    expect([e.shape, e.dtype]).toEqual([[0], 'float32'])
    expect(un(e)).toEqual({})
  })
})

/**
 * `jnp.linalg.multi_dot`: the product of a chain of matrices in the cheapest order. The order
 * comes from the classic matrix-chain dynamic programme over the shapes (Cormen, Leiserson,
 * Rivest & Stein, "Introduction to Algorithms", §15.2), the same one NumPy's `multi_dot` runs
 * (on ties the first minimal split wins, as there). A composite of `matmul`, so it
 * differentiates and batches where matmul does.
 *
 * @category ops
 * @since 0.2.0
 */
import { ShapeError, ValueError, fmtShape } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../../core/lax'
import { asArray, type ArrayLike } from '../convert'
import { matmul } from '../linalg'

/** A parenthesisation of a chain: the index of one operand, or the product of two sub-chains. */
export type ChainOrder = number | readonly [ChainOrder, ChainOrder]

/**
 * The cheapest parenthesisation of the product of matrices `i` of shape `dims[i] × dims[i+1]`
 * (internal), and its cost in scalar multiply-adds.
 */
export const chainOrder = (dims: ReadonlyArray<number>): { readonly order: ChainOrder; readonly cost: number } => {
  const n = dims.length - 1
  const p = (i: number): number => dims[i] as number
  // cost[i][j]: cheapest product of operands i..j; split[i][j]: where its last multiplication splits
  const cost = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  const split = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  for (let len = 1; len < n; len++)
    for (let i = 0; i + len < n; i++) {
      const j = i + len
      const row = cost[i] as number[]
      row[j] = Infinity
      for (let k = i; k < j; k++) {
        const c = (row[k] as number) + ((cost[k + 1] as number[])[j] as number) + p(i) * p(k + 1) * p(j + 1)
        if (c < (row[j] as number)) {
          row[j] = c
          ;(split[i] as number[])[j] = k
        }
      }
    }
  const build = (i: number, j: number): ChainOrder => {
    if (i === j) return i
    const k = (split[i] as number[])[j] as number
    return [build(i, k), build(k + 1, j)]
  }
  return { order: build(0, n - 1), cost: (cost[0] as number[])[n - 1] as number }
}

/**
 * The product of a chain of arrays, multiplied in the order that needs the fewest scalar
 * multiplications (`jnp.linalg.multi_dot`). The first and last arrays may be 1-D (a row and a
 * column vector, squeezed from the result); the others must be 2-D.
 * @example
 * import { linalg, array } from 'wengert'
 * const m = linalg.multiDot([array([1, 2]), array([[1, 0], [0, 2]]), array([1, 1])])
 * assert.strictEqual(m.item(), 5)
 * const p = linalg.multiDot([array([[1, 2]]), array([[3], [4]]), array([[1, 1]])])
 * assert.deepStrictEqual(p.toArray(), [[11, 11]])
 * @category ops @since 0.2.0
 */
export const multiDot = (arrays: ReadonlyArray<ArrayLike>): NdArray => {
  if (arrays.length < 2) throw new ValueError(`multiDot: expected at least two arrays, got ${arrays.length}`)
  const xs = arrays.map((x) => asArray('multiDot', x))
  const last = xs.length - 1
  xs.forEach((x, i) => {
    const ok = x.ndim === 2 || (x.ndim === 1 && (i === 0 || i === last))
    if (!ok)
      throw new ShapeError(
        `multiDot: array ${i} must be ${i === 0 || i === last ? '1-D or 2-D' : '2-D'}, got shape ${fmtShape(x.shape)}`,
      )
  })
  const mats = xs.map((x, i) => (x.ndim === 2 ? x : lax.reshape(x, i === 0 ? [1, x.size] : [x.size, 1])))
  for (let i = 1; i <= last; i++) {
    const [a, b] = [mats[i - 1] as NdArray, mats[i] as NdArray]
    if (a.shape[1] !== b.shape[0])
      throw new ShapeError(
        `multiDot: arrays ${i - 1} and ${i} of shapes ${fmtShape((xs[i - 1] as NdArray).shape)} and ${fmtShape((xs[i] as NdArray).shape)} cannot be multiplied`,
      )
  }
  const dims = [(mats[0] as NdArray).shape[0] as number, ...mats.map((m) => m.shape[1] as number)]
  const run = (o: ChainOrder): NdArray => (typeof o === 'number' ? (mats[o] as NdArray) : matmul(run(o[0]), run(o[1])))
  const out = run(chainOrder(dims).order)
  const shape = [
    ...((xs[0] as NdArray).ndim === 2 ? [dims[0] as number] : []),
    ...((xs[last] as NdArray).ndim === 2 ? [dims[dims.length - 1] as number] : []),
  ]
  return lax.reshape(out, shape)
}

/**
 * `lax.map`: `f` applied to each row of a pytree of arrays, as a {@link scan} without carry —
 * or, with `batchSize`, a scan over chunks of rows with `vmap(f)` inside and the rows left over
 * mapped by one `vmap(f)` (JAX's `batch_size`).
 *
 * @category ops
 * @since 0.2.0
 */
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { flatten, unflatten } from '../../tree'
import { checkOptions, describeValue } from '../../internal/options'
import { checkFn } from '../../transforms/common'
import { vmap } from '../../transforms/vmap'
import { concat, reshape, slice } from '../layout'
import { leafArray, scan } from './scan'

/** Options of {@link map}. */
export interface MapOptions {
  /**
   * JAX's `batch_size`: map `vmap(f)` over chunks of this many rows in a scan (fewer, larger
   * steps), and the remaining `length % batchSize` rows with one more `vmap(f)`. The results are
   * those of the unbatched map. 0 maps every row in one `vmap(f)`.
   */
  readonly batchSize?: number
}

/**
 * Applies `f` to each row of `xs` (the leading axis of every leaf) and stacks the results (JAX:
 * `lax.map`): a {@link scan} without carry, so the body is traced once. With `batchSize`, the
 * scan runs over chunks of rows with `vmap(f)` inside, as JAX's `batch_size` does.
 *
 * @example
 * import { lax, array, mul, type NdArray } from 'wengert'
 * const ys = lax.map((x: NdArray) => mul(x, x), array([1, 2, 3]))
 * assert.deepStrictEqual(ys.toArray(), [1, 4, 9])
 * const chunked = lax.map((x: NdArray) => mul(x, x), array([1, 2, 3, 4, 5]), { batchSize: 2 })
 * assert.deepStrictEqual(chunked.toArray(), [1, 4, 9, 16, 25])
 * @category ops
 * @since 0.2.0
 */
export const map = <X, Y>(f: (x: X) => Y, xs: X, options: MapOptions = {}): Y => {
  checkFn('map', f)
  const { batchSize } = checkOptions('map', options, ['batchSize'])
  const rowwise = (): Y => scan((c: null, x: X) => [c, f(x)] as const, null, xs)[1]
  if (batchSize === undefined) return rowwise()
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 0)
    throw new ValueError(`map: batch_size must be a non-negative integer, got ${describeValue(batchSize)}`)
  const [leaves, def] = flatten(xs)
  const arrs = leaves.map((l, i) => leafArray('map', l, `xs leaf ${i}`))
  const n = arrs[0]?.shape[0]
  // no leaves, a 0-d leaf or unequal leading axes: the unbatched scan raises its error
  if (n === undefined || arrs.some((a) => a.ndim === 0 || a.shape[0] !== n)) return rowwise()
  const nb = batchSize === 0 ? 0 : Math.floor(n / batchSize)
  const cut = nb * batchSize
  if (n === 0) return rowwise()
  const vf = vmap((x: X) => f(x))
  const tail =
    cut < n
      ? vf(
          unflatten(
            def,
            arrs.map((a) => slice(a, [[cut, n]])),
          ) as X,
        )
      : undefined
  if (nb === 0) return tail as Y
  const chunks = arrs.map((a) => reshape(slice(a, [[0, cut]]), [nb, batchSize, ...a.shape.slice(1)]))
  const stacked = scan((c: null, x: X) => [c, vf(x)] as const, null, unflatten(def, chunks) as X)[1]
  const [ys, yDef] = flatten(stacked)
  const tails = tail === undefined ? [] : flatten(tail)[0]
  const out = (ys as NdArray[]).map((y, j) => {
    const rows = reshape(y, [cut, ...y.shape.slice(2)])
    return tail === undefined ? rows : concat([rows, tails[j] as NdArray], 0)
  })
  return unflatten(yDef, out) as Y
}

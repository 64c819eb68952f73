/**
 * More of `jax.numpy`'s array-editing names: ravel, append, delete, insert, the split helpers
 * (array_split, hsplit, vsplit, dsplit), isin, fliplr/flipud, tri, ediff1d and the NaN-skipping
 * argmax/argmin. Each is built on differentiable operations (slices, gathers, concatenation).
 *
 * @category ops
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import { checkOptions, describeValue } from '../../internal/options'
import { array } from '../../ndarray/create'
import type { DType } from '../../ndarray/dtype'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { normalizeAxis } from '../../ndarray/shape'
import { asArray, type ArrayLike } from '../convert'
import { equal, logicalNot, where } from '../elementwise'
import { broadcastTo, concat, flatten, flip, split, take } from '../layout'
import { all, any, argmax, argmin } from '../reduce'
import { isnan } from '../unary'

/** Options with one optional axis; `null` (the default) means the flattened array. @category ops @since 0.3.0 */
export interface FlatAxisOption {
  /** The axis, or `null` for the flattened array. @defaultValue null */
  readonly axis?: number | null
}

/** `a` and the axis to work on: the flattened array for a null axis. */
const onAxis = (op: string, x: ArrayLike, options?: FlatAxisOption): [NdArray, number] => {
  const { axis = null } = checkOptions(op, options, ['axis'])
  const a = asArray(op, x)
  return axis === null ? [flatten(a), 0] : [a, normalizeAxis(op, axis, a.ndim)]
}

/**
 * The flattened array in row-major order (jnp.ravel; only `order: 'C'` is supported).
 * @example
 * import { ravel, array } from 'wengert'
 * assert.deepStrictEqual(ravel(array([[1, 2], [3, 4]])).toArray(), [1, 2, 3, 4])
 * @category ops
 * @since 0.3.0
 */
export const ravel = (a: ArrayLike, order: 'C' = 'C'): NdArray => {
  if (order !== 'C') throw new ValueError(`ravel: only order='C' is supported, got order='${String(order)}'`)
  return flatten(a)
}

/**
 * `values` appended to `arr` (jnp.append): along `axis` (shapes must match off it), or both
 * flattened when `axis` is null.
 * @example
 * import { append, array } from 'wengert'
 * assert.deepStrictEqual(append(array([1, 2]), array([[3], [4]])).toArray(), [1, 2, 3, 4])
 * assert.deepStrictEqual(append(array([[1, 2]]), array([[3, 4]]), { axis: 0 }).toArray(), [[1, 2], [3, 4]])
 * @category ops
 * @since 0.3.0
 */
export const append = (arr: ArrayLike, values: ArrayLike, options?: FlatAxisOption): NdArray => {
  const { axis = null } = checkOptions('append', options, ['axis'])
  if (axis === null) return concat([flatten(asArray('append', arr)), flatten(asArray('append', values))])
  return concat([arr, values], axis)
}

/** The indices named by `obj` along an axis of size `n`, checked and made non-negative. */
const indicesOf = (op: string, obj: number | ReadonlyArray<number>, n: number, allowEnd: boolean): number[] => {
  if (typeof obj !== 'number' && !(Array.isArray(obj) && obj.every((i) => typeof i === 'number')))
    throw new ValueError(`${op}: obj must be an integer or a list of integers, got ${describeValue(obj)}`)
  return (typeof obj === 'number' ? [obj] : [...obj]).map((i) => {
    const hi = allowEnd ? n : n - 1
    if (!Number.isInteger(i) || i < -n || i > hi)
      throw new ValueError(`${op}: index ${i} is out of bounds for axis with size ${n}`)
    return i < 0 ? i + n : i
  })
}

/**
 * `arr` without the entries at `obj` along `axis` (jnp.delete; NumPy's `delete`, a reserved
 * word in JavaScript, so it is exported both as `delete` and `delete_`): `obj` is an index or a
 * list of indices (negative ones count from the end; repeats are allowed).
 * @example
 * import { delete_, array } from 'wengert'
 * assert.deepStrictEqual(delete_(array([1, 2, 3, 4]), [0, -1]).toArray(), [2, 3])
 * assert.deepStrictEqual(delete_(array([[1, 2], [3, 4]]), 0, { axis: 1 }).toArray(), [[2], [4]])
 * @category ops
 * @since 0.3.0
 */
export const delete_ = (arr: ArrayLike, obj: number | ReadonlyArray<number>, options?: FlatAxisOption): NdArray => {
  const [a, ax] = onAxis('delete', arr, options)
  const n = a.shape[ax] as number
  const drop = new Set(indicesOf('delete', obj, n, false))
  const keep = Array.from({ length: n }, (_, i) => i).filter((i) => !drop.has(i))
  return take(a, keep, { axis: ax })
}

/**
 * `values` inserted into `arr` before the index or indices `obj` along `axis` (jnp.insert; a null
 * axis flattens `arr`). With one index, `values` (broadcast to `arr`'s shape off `axis`) goes in
 * as one block; with a list, one slice per index, the indices referring to the original array.
 * @example
 * import { insert, array } from 'wengert'
 * assert.deepStrictEqual(insert(array([1, 2, 3]), 1, array([8, 9])).toArray(), [1, 8, 9, 2, 3])
 * assert.deepStrictEqual(insert(array([1, 2, 3]), [0, 3], array([8, 9])).toArray(), [8, 1, 2, 3, 9])
 * assert.deepStrictEqual(insert(array([[1, 2], [3, 4]]), 1, 0, { axis: 1 }).toArray(), [[1, 0, 2], [3, 0, 4]])
 * @category ops
 * @since 0.3.0
 */
export const insert = (
  arr: ArrayLike,
  obj: number | ReadonlyArray<number>,
  values: ArrayLike,
  options?: FlatAxisOption,
): NdArray => {
  const [a, ax] = onAxis('insert', arr, options)
  const n = a.shape[ax] as number
  const at = indicesOf('insert', obj, n, true)
  let v = asArray('insert', values, a.dtype)
  if (v.dtype !== a.dtype) v = lax.convertElementType(v, a.dtype)
  if (typeof obj === 'number') {
    // one block: values gets arr's rank, its leading axis moved to `axis`
    let block = v
    while (block.ndim < a.ndim) block = lax.reshape(block, [1, ...block.shape])
    const perm = block.shape.map((_, i) => i)
    perm.splice(0, 1)
    perm.splice(ax, 0, 0)
    block = lax.transpose(block, perm)
    const want = a.shape.map((d, i) => (i === ax ? (block.shape[ax] as number) : d))
    block = broadcastTo(block, want)
    const [head, tail] = split(a, [at[0] as number], { axis: ax }) as [NdArray, NdArray]
    return concat([head, block, tail], ax)
  }
  // one slice per index, broadcast to arr's shape with `at.length` along axis
  const want = a.shape.map((d, i) => (i === ax ? at.length : d))
  const moved =
    v.ndim === 1 && a.ndim > 1
      ? lax.reshape(
          v,
          want.map((d, i) => (i === ax ? d : 1)),
        )
      : v
  const block = broadcastTo(moved, want)
  const order = at.map((p, k) => [p, k] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1])
  // source of every output position: old entries are 0…n−1, new ones n + k
  const src: number[] = []
  let next = 0
  for (const [p, k] of order) {
    while (next < p) src.push(next++)
    src.push(n + k)
  }
  while (next < n) src.push(next++)
  return take(concat([a, block], ax), src, { axis: ax })
}

/**
 * Splits into `sections` parts along `axis` (jnp.array_split): unlike `split`, the sizes need
 * not divide evenly (the first `n mod sections` parts are one longer); a list gives the cut points.
 * @example
 * import { arraySplit, array } from 'wengert'
 * assert.deepStrictEqual(arraySplit(array([1, 2, 3, 4, 5]), 3).map((p) => p.toArray()), [[1, 2], [3, 4], [5]])
 * @category ops
 * @since 0.3.0
 */
export const arraySplit = (x: ArrayLike, sections: number | ReadonlyArray<number>, axis = 0): NdArray[] => {
  const a = asArray('arraySplit', x)
  const ax = normalizeAxis('arraySplit', axis, a.ndim)
  if (typeof sections !== 'number') return split(a, sections, { axis: ax })
  if (!Number.isInteger(sections) || sections <= 0)
    throw new ValueError(`arraySplit: number sections must be larger than 0, got ${sections}`)
  const n = a.shape[ax] as number
  const [q, r] = [Math.floor(n / sections), n % sections]
  const cuts = Array.from({ length: sections - 1 }, (_, i) => (i + 1) * q + Math.min(i + 1, r))
  return split(a, cuts, { axis: ax })
}

const splitAlong =
  (op: string, axis: (ndim: number) => number, minRank: number) =>
  (x: ArrayLike, sections: number | ReadonlyArray<number>): NdArray[] => {
    const a = asArray(op, x)
    if (a.ndim < minRank)
      throw new ValueError(`${op} only works on arrays of ${minRank} or more dimensions, got rank ${a.ndim}`)
    return split(a, sections, { axis: axis(a.ndim) })
  }

/**
 * Splits along the second axis, the first for 1-D arrays (jnp.hsplit).
 * @example
 * import { hsplit, array } from 'wengert'
 * assert.deepStrictEqual(hsplit(array([[1, 2], [3, 4]]), 2).map((p) => p.toArray()), [[[1], [3]], [[2], [4]]])
 * @category ops
 * @since 0.3.0
 */
export const hsplit = splitAlong('hsplit', (r) => (r === 1 ? 0 : 1), 1)
/**
 * Splits along the first axis (jnp.vsplit; rank ≥ 2).
 * @example
 * import { vsplit, array } from 'wengert'
 * assert.deepStrictEqual(vsplit(array([[1, 2], [3, 4]]), [1]).map((p) => p.toArray()), [[[1, 2]], [[3, 4]]])
 * @category ops
 * @since 0.3.0
 */
export const vsplit = splitAlong('vsplit', () => 0, 2)
/**
 * Splits along the third axis (jnp.dsplit; rank ≥ 3).
 * @example
 * import { dsplit, zeros } from 'wengert'
 * assert.deepStrictEqual(dsplit(zeros([1, 1, 4]), 2)[1]?.shape, [1, 1, 2])
 * @category ops
 * @since 0.3.0
 */
export const dsplit = splitAlong('dsplit', () => 2, 3)

/** Options of {@link isin}. @category ops @since 0.3.0 */
export interface IsinOptions {
  /** Return whether each element is NOT in `testElements`. @defaultValue false */
  readonly invert?: boolean
}

/**
 * Whether each element of `element` occurs in `testElements` (jnp.isin), as a bool array of
 * `element`'s shape.
 * @example
 * import { isin, array } from 'wengert'
 * assert.deepStrictEqual(isin(array([1, 2, 3]), array([3, 1])).toArray(), [true, false, true])
 * assert.deepStrictEqual(isin(array([1, 2]), [2], { invert: true }).toArray(), [true, false])
 * @category ops
 * @since 0.3.0
 */
export const isin = (
  element: ArrayLike,
  testElements: ArrayLike | ReadonlyArray<number>,
  options?: IsinOptions,
): NdArray => {
  const { invert = false } = checkOptions('isin', options, ['invert'])
  const e = asArray('isin', element)
  const t = flatten(
    Array.isArray(testElements) ? array(testElements as number[], { dtype: e.dtype }) : (testElements as ArrayLike),
  )
  const hit = any(equal(lax.reshape(e, [...e.shape, 1]), t), { axis: -1 })
  return invert ? logicalNot(hit) : hit
}

/**
 * Reverses the second axis (jnp.fliplr; rank ≥ 2).
 * @example
 * import { fliplr, array } from 'wengert'
 * assert.deepStrictEqual(fliplr(array([[1, 2], [3, 4]])).toArray(), [[2, 1], [4, 3]])
 * @category ops
 * @since 0.3.0
 */
export const fliplr = (m: ArrayLike): NdArray => {
  const a = asArray('fliplr', m)
  if (a.ndim < 2) throw new ValueError(`fliplr: input must be >= 2-d, got rank ${a.ndim}`)
  return flip(a, 1)
}

/**
 * Reverses the first axis (jnp.flipud; rank ≥ 1).
 * @example
 * import { flipud, array } from 'wengert'
 * assert.deepStrictEqual(flipud(array([[1, 2], [3, 4]])).toArray(), [[3, 4], [1, 2]])
 * @category ops
 * @since 0.3.0
 */
export const flipud = (m: ArrayLike): NdArray => {
  const a = asArray('flipud', m)
  if (a.ndim < 1) throw new ValueError(`flipud: input must be >= 1-d, got rank ${a.ndim}`)
  return flip(a, 0)
}

/** Options of {@link tri}. @category ops @since 0.3.0 */
export interface TriOptions {
  /** Number of columns. @defaultValue N */
  readonly M?: number | null
  /** Diagonal offset: ones where `j ≤ i + k`. @defaultValue 0 */
  readonly k?: number
  /** @defaultValue 'float32' */
  readonly dtype?: DType
}

/**
 * An `N × M` array with ones at and below the `k`-th diagonal (jnp.tri).
 * @example
 * import { tri } from 'wengert'
 * assert.deepStrictEqual(tri(2, { M: 3, k: 1 }).toArray(), [[1, 1, 0], [1, 1, 1]])
 * @category ops
 * @since 0.3.0
 */
export const tri = (N: number, options?: TriOptions): NdArray => {
  const { M = null, k = 0, dtype = 'float32' } = checkOptions('tri', options, ['M', 'k', 'dtype'])
  const m = M ?? N
  for (const [name, v] of [
    ['N', N],
    ['M', m],
    ['k', k],
  ] as const)
    if (!Number.isInteger(v) || (name !== 'k' && v < 0))
      throw new ValueError(`tri: ${name} must be ${name === 'k' ? 'an integer' : 'a non-negative integer'}, got ${v}`)
  const rows = Array.from({ length: N }, (_, i) => Array.from({ length: m }, (_, j) => (j <= i + k ? 1 : 0)))
  return array(rows.length === 0 ? [] : rows, { dtype }).reshape([N, m])
}

/** Options of {@link ediff1d}. @category ops @since 0.3.0 */
export interface Ediff1dOptions {
  /** Values put after the differences (flattened). */
  readonly toEnd?: ArrayLike | null
  /** Values put before the differences (flattened). */
  readonly toBegin?: ArrayLike | null
}

/**
 * The differences of consecutive elements of the flattened array (jnp.ediff1d), with optional
 * values before and after.
 * @example
 * import { ediff1d, array } from 'wengert'
 * assert.deepStrictEqual(ediff1d(array([1, 4, 9]), { toBegin: array([0]) }).toArray(), [0, 3, 5])
 * @category ops
 * @since 0.3.0
 */
export const ediff1d = (ary: ArrayLike, options?: Ediff1dOptions): NdArray => {
  const { toEnd = null, toBegin = null } = checkOptions('ediff1d', options, ['toEnd', 'toBegin'])
  const a = flatten(asArray('ediff1d', ary))
  const n = a.shape[0] as number
  const d = n < 2 ? lax.slice(a, [0], [0], [1]) : lax.sub(lax.slice(a, [1], [n], [1]), lax.slice(a, [0], [n - 1], [1]))
  const part = (v: ArrayLike): NdArray => {
    const p = flatten(asArray('ediff1d', v, d.dtype))
    return p.dtype === d.dtype ? p : lax.convertElementType(p, d.dtype)
  }
  const parts = [...(toBegin === null ? [] : [part(toBegin)]), d, ...(toEnd === null ? [] : [part(toEnd)])]
  return parts.length === 1 ? d : concat(parts)
}

const nanArg =
  (op: 'nanargmax' | 'nanargmin', pick: typeof argmax, fill: number) =>
  (a: ArrayLike, options?: { readonly axis?: number | null; readonly keepdims?: boolean }): NdArray => {
    const { axis = null, keepdims = false } = checkOptions(op, options, ['axis', 'keepdims'])
    const x = asArray(op, a)
    const nan = isnan(x)
    const o = axis === null ? { keepdims } : { axis, keepdims }
    const idx = pick(where(nan, fill, x), o)
    return where(all(nan, o), -1, idx)
  }

/**
 * Index of the largest non-NaN entry (jnp.nanargmax): over the flattened array or along `axis`;
 * an all-NaN slice gives −1, as in JAX.
 * @example
 * import { nanargmax, array } from 'wengert'
 * assert.strictEqual(nanargmax(array([1, NaN, 3, 2])).item(), 2)
 * @category ops
 * @since 0.3.0
 */
export const nanargmax = nanArg('nanargmax', argmax, -Infinity)
/**
 * Index of the smallest non-NaN entry (jnp.nanargmin); an all-NaN slice gives −1, as in JAX.
 * @example
 * import { nanargmin, array } from 'wengert'
 * assert.deepStrictEqual(nanargmin(array([[NaN, 2], [NaN, NaN]]), { axis: 1 }).toArray(), [1, -1])
 * @category ops
 * @since 0.3.0
 */
export const nanargmin = nanArg('nanargmin', argmin, Infinity)

/**
 * JAX `jax.lax` structural operations with explicit, canonical arguments: `dot_general`, `pad`
 * (with interior and negative padding), `rev`, `concatenate` and the multi-operand `sort`. Each
 * is built on the core primitives (matmul, pad, slice, flip, concatenate, sort), so JVP, VJP
 * and vmap come from their rules. As elsewhere in `lax`, operands are not promoted: they must
 * share one dtype.
 *
 * @category ops
 * @since 0.3.0
 */
import { checkPrecision, type PrecisionLike } from './laxPrecision'
import * as lax from '../core/lax'
import type { DType } from '../ndarray/dtype'
import { DTypeError, ShapeError, ValueError } from '../ndarray/errors'
import { isNdArray, type NdArray } from '../ndarray/NdArray'
import { asArray, type ArrayLike } from './convert'

const tuple = (s: ReadonlyArray<number>): string => (s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`)

/** An array as is; a JS number takes `dtype` (it is weakly typed). */
const operandLike = (op: string, x: ArrayLike, dtype: DType): NdArray =>
  isNdArray(x) ? asArray(op, x) : asArray(op, x, dtype)

const sameDtypes = (op: string, xs: ReadonlyArray<NdArray>): void => {
  const dts = xs.map((x) => x.dtype)
  if (dts.some((d) => d !== dts[0]))
    throw new DTypeError(`lax.${op} requires arguments to have the same dtypes, got ${dts.join(', ')}`)
}

/** Shapes as JAX lists them in its messages: `(2, 3), (3,)`. */
const shapesText = (xs: ReadonlyArray<NdArray>): string => xs.map((x) => tuple(x.shape)).join(', ')

/** A padding config as a Python tuple of triples: `((1, 1, 0),)`. */
const configText = (c: PaddingConfig): string => {
  const items = c.map((t) => `(${t.join(', ')})`)
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`
}

/** JAX's checks of dot_general's dimension numbers, in its order and words (TypeError: ShapeError). */
const checkDotDims = (dn: DotDimensionNumbers, lhsRank: number, rhsRank: number): void => {
  const [[ca, cb], [ba, bb]] = dn
  const side = (name: string, c: ReadonlyArray<number>, b: ReadonlyArray<number>, rank: number): void => {
    if (![...c, ...b].every((d) => Number.isInteger(d) && d >= 0 && d < rank))
      throw new ShapeError(
        `lax.dot_general: dot_general requires ${name} dimension numbers to be nonnegative and less than the number of axes of the ${name} value, got ${name}_batch of ${tuple(b)} and ${name}_contracting of ${tuple(c)} for ${name} of rank ${rank}`,
      )
  }
  side('lhs', ca, ba, lhsRank)
  side('rhs', cb, bb, rhsRank)
  if (ba.length !== bb.length)
    throw new ShapeError(
      `lax.dot_general: dot_general requires equal numbers of lhs_batch and rhs_batch dimensions, got lhs_batch ${tuple(ba)} and rhs_batch ${tuple(bb)}.`,
    )
  const distinct = (name: string, kind: string, d: ReadonlyArray<number>): void => {
    if (new Set(d).size !== d.length)
      throw new ShapeError(
        `lax.dot_general: dot_general requires ${name} ${kind} dimensions to be distinct, got ${name}_${kind} ${tuple(d)}.`,
      )
  }
  distinct('lhs', 'batch', ba)
  distinct('rhs', 'batch', bb)
  distinct('lhs', 'contracting', ca)
  distinct('rhs', 'contracting', cb)
  const overlap = (name: string, c: ReadonlyArray<number>, b: ReadonlyArray<number>): void => {
    if (c.some((d) => b.includes(d)))
      throw new ShapeError(
        `lax.dot_general: dot_general requires ${name} batch dimensions to be disjoint from contracting dimensions, got ${name}_batch ${tuple(b)} and ${name}_contracting ${tuple(c)}.`,
      )
  }
  overlap('lhs', ca, ba)
  overlap('rhs', cb, bb)
}

/**
 * The dimension numbers of {@link dotGeneral}: `[[lhsContract, rhsContract], [lhsBatch, rhsBatch]]`,
 * as JAX's `((lhs_contracting_dims, rhs_contracting_dims), (lhs_batch_dims, rhs_batch_dims))`.
 * @category ops
 * @since 0.3.0
 */
export type DotDimensionNumbers = readonly [
  readonly [ReadonlyArray<number>, ReadonlyArray<number>],
  readonly [ReadonlyArray<number>, ReadonlyArray<number>],
]

/** Options of {@link dotGeneral}. @category ops @since 0.3.0 */
export interface DotGeneralOptions {
  /** The dtype of the result (JAX's `preferred_element_type`); both operands are converted to it. @defaultValue the operands' dtype */
  readonly preferredElementType?: DType | null
  /** JAX's `precision` (see {@link PrecisionLike}): accepted; this backend computes every product in the result dtype, as JAX's CPU backend for all of them. */
  readonly precision?: PrecisionLike
}

const prod = (s: ReadonlyArray<number>, ix: ReadonlyArray<number>): number =>
  ix.reduce((p, i) => p * (s[i] as number), 1)

/**
 * General tensor contraction (JAX's `lax.dot_general(lhs, rhs, dimension_numbers,
 * precision=None, preferred_element_type=None)`). The result's axes are the batch axes, then
 * the free axes of `lhs`, then the free axes of `rhs`, each in their original order.
 * @example
 * import { lax, array } from 'wengert'
 * const a = array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]) // (2, 2, 2)
 * const b = array([[1, 0], [0, 1]])
 * // batch a's axis 0 with b's axis 0; contract a's axis 2 with b's axis 1: c[i, j] = Σₖ a[i, j, k]·b[i, k]
 * const c = lax.dotGeneral(a, b, [[[2], [1]], [[0], [0]]])
 * assert.deepStrictEqual(c.toArray(), [[1, 3], [6, 8]])
 * assert.deepStrictEqual(lax.dotGeneral(array([1, 2]), array([3, 4]), [[[0], [0]], [[], []]]).item(), 11)
 * @category ops
 * @since 0.3.0
 */
export const dotGeneral = (
  lhs: ArrayLike,
  rhs: ArrayLike,
  dimensionNumbers: DotDimensionNumbers,
  options: DotGeneralOptions = {},
): NdArray => {
  let a = asArray('lax.dot_general', lhs)
  let b = operandLike('lax.dot_general', rhs, a.dtype)
  checkPrecision('lax.dot_general', options.precision)
  const pref = options.preferredElementType ?? null
  if (pref !== null) {
    if (a.dtype !== pref) a = lax.convertElementType(a, pref)
    if (b.dtype !== pref) b = lax.convertElementType(b, pref)
  } else sameDtypes('dot_general', [a, b])
  const [[ca, cb], [ba, bb]] = dimensionNumbers
  checkDotDims(dimensionNumbers, a.ndim, b.ndim)
  const dimsOf = (x: NdArray, ix: ReadonlyArray<number>): number[] => ix.map((i) => x.shape[i] as number)
  if (ca.length !== cb.length || dimsOf(a, ca).join() !== dimsOf(b, cb).join())
    throw new ShapeError(
      `dot_general requires contracting dimensions to have the same shape, got ${tuple(dimsOf(a, ca))} and ${tuple(dimsOf(b, cb))}.`,
    )
  if (ba.length !== bb.length || dimsOf(a, ba).join() !== dimsOf(b, bb).join())
    throw new ShapeError(
      `dot_general requires lhs batch dimensions and rhs batch dimensions to have the same shape, got ${tuple(dimsOf(a, ba))} and ${tuple(dimsOf(b, bb))}.`,
    )
  const freeA = a.shape.map((_, i) => i).filter((i) => !ca.includes(i) && !ba.includes(i))
  const freeB = b.shape.map((_, i) => i).filter((i) => !cb.includes(i) && !bb.includes(i))
  const batch = dimsOf(a, ba)
  const k = prod(a.shape, ca)
  const a3 = lax.reshape(lax.transpose(a, [...ba, ...freeA, ...ca]), [...batch, prod(a.shape, freeA), k])
  const b3 = lax.reshape(lax.transpose(b, [...bb, ...cb, ...freeB]), [...batch, k, prod(b.shape, freeB)])
  return lax.reshape(lax.matmul(a3, b3), [...batch, ...dimsOf(a, freeA), ...dimsOf(b, freeB)])
}

/**
 * One `[low, high, interior]` triple per axis of {@link pad}: `low`/`high` elements before/after
 * (negative values remove elements), `interior` elements between neighbours (non-negative).
 * @category ops
 * @since 0.3.0
 */
export type PaddingConfig = ReadonlyArray<readonly [number, number, number]>

/**
 * Pads with a scalar (JAX's `lax.pad(operand, padding_value, padding_config)`): per axis,
 * `low` and `high` edge elements, which crop when negative, and `interior` elements between
 * every two neighbours. Differentiable in `operand` and, when it is an array, in `paddingValue`.
 * @example
 * import { lax, array } from 'wengert'
 * const x = array([1, 2, 3])
 * assert.deepStrictEqual(lax.pad(x, 0, [[1, 2, 1]]).toArray(), [0, 1, 0, 2, 0, 3, 0, 0])
 * assert.deepStrictEqual(lax.pad(x, 9, [[-1, 1, 0]]).toArray(), [2, 3, 9])
 * @category ops
 * @since 0.3.0
 */
export const pad = (operand: ArrayLike, paddingValue: ArrayLike, paddingConfig: PaddingConfig): NdArray => {
  const x = asArray('lax.pad', operand)
  const v = operandLike('lax.pad', paddingValue, x.dtype)
  if (v.ndim !== 0) throw new ShapeError(`lax.pad: padding_value must be a scalar, got shape ${tuple(v.shape)}`)
  sameDtypes('pad', [x, v])
  if (paddingConfig.length !== x.ndim)
    throw new ShapeError(
      `lax.pad: length of padding_config must equal the number of axes of operand, got padding_config ${configText(paddingConfig)} for operand shape ${tuple(x.shape)}`,
    )
  const out: number[] = []
  paddingConfig.forEach(([lo, hi, it], k) => {
    const n = x.shape[k] as number
    if (![lo, hi, it].every(Number.isInteger) || it < 0)
      throw new ValueError(`lax.pad: axis ${k}: need integer low, high and interior ≥ 0, got (${lo}, ${hi}, ${it})`)
    const size = lo + hi + n + Math.max(n - 1, 0) * it
    if (size < 0)
      throw new ValueError(
        `lax.pad: dimension size after padding is negative: axis ${k} of size ${n} with (${lo}, ${hi}, ${it})`,
      )
    out.push(size)
  })
  const lo = paddingConfig.map((c) => Math.max(c[0], 0))
  const hi = paddingConfig.map((c) => Math.max(c[1], 0))
  const it = paddingConfig.map((c) => c[2])
  const crop = (y: NdArray): NdArray => {
    if (paddingConfig.every((c) => c[0] >= 0 && c[1] >= 0)) return y
    const starts = paddingConfig.map((c) => Math.max(-c[0], 0))
    return lax.slice(
      y,
      starts,
      starts.map((s, k) => s + (out[k] as number)),
      starts.map(() => 1),
    )
  }
  if (!isNdArray(paddingValue)) return crop(lax.pad(x, lo, hi, it, v.item() as number))
  // an array value is traced: y = pad(x, 0) + pad(0·x, 1) · v, so v receives the padded cells' cotangents
  const mask = lax.pad(lax.zerosLike(x), lo, hi, it, 1)
  return crop(lax.add(lax.pad(x, lo, hi, it, 0), lax.mul(mask, lax.broadcastTo(v, mask.shape))))
}

/**
 * Reverses the given axes (JAX's `lax.rev(operand, dimensions)`); the axes must be distinct and
 * non-negative.
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.rev(array([[1, 2], [3, 4]]), [1]).toArray(), [[2, 1], [4, 3]])
 * @category ops
 * @since 0.3.0
 */
export const rev = (operand: ArrayLike, dimensions: ReadonlyArray<number>): NdArray => {
  const x = asArray('lax.rev', operand)
  if (!dimensions.every((d) => Number.isInteger(d) && d >= 0))
    throw new ShapeError(`lax.rev: rev dimensions must be non-negative integers, got ${tuple(dimensions)}.`)
  if (new Set(dimensions).size !== dimensions.length)
    throw new ShapeError(`lax.rev: rev dimensions must be unique, got ${tuple(dimensions)}.`)
  if (dimensions.some((d) => d >= x.ndim))
    throw new ShapeError(
      `lax.rev: rev dimensions must all be less than operand ndim, got dimensions ${tuple(dimensions)} for operand ndim ${x.ndim}.`,
    )
  return lax.flip(x, dimensions)
}

/**
 * Joins arrays along an existing axis (JAX's `lax.concatenate(operands, dimension)`): every
 * operand has one rank and dtype, and equal sizes off `dimension` (which must be non-negative).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.concatenate([array([[1], [2]]), array([[3, 4], [5, 6]])], 1).toArray(), [[1, 3, 4], [2, 5, 6]])
 * @category ops
 * @since 0.3.0
 */
export const concatenate = (operands: ReadonlyArray<ArrayLike>, dimension: number): NdArray => {
  if (operands.length === 0) throw new ValueError('lax.concatenate: need at least one operand, got none')
  const first = asArray('lax.concatenate', operands[0] as ArrayLike)
  const xs = operands.map((o) => operandLike('lax.concatenate', o, first.dtype))
  sameDtypes('concatenate', xs)
  if (xs.some((x) => x.ndim !== first.ndim))
    throw new ShapeError(
      `lax.concatenate: Cannot concatenate arrays with different numbers of dimensions: got ${shapesText(xs)}.`,
    )
  if (!Number.isInteger(dimension) || dimension < 0 || dimension >= first.ndim)
    throw new ShapeError(
      `lax.concatenate: concatenate dimension out of bounds: dimension ${dimension} for shapes ${shapesText(xs)}.`,
    )
  const off = (s: ReadonlyArray<number>): string => s.filter((_, k) => k !== dimension).join()
  if (xs.some((x) => off(x.shape) !== off(first.shape)))
    throw new ShapeError(
      `lax.concatenate: Cannot concatenate arrays with shapes that differ in dimensions other than the one being concatenated: concatenating along dimension ${dimension} for shapes ${shapesText(xs)}.`,
    )
  return xs.length === 1 ? first : lax.concatenate(xs, dimension)
}

const sortMany = (
  op: string,
  operands: ReadonlyArray<ArrayLike>,
  dimension: number,
  isStable: boolean,
  numKeys: number,
): NdArray[] => {
  if (operands.length === 0) throw new ValueError(`lax.${op}: need at least one operand, got none`)
  const xs = operands.map((o) => asArray(`lax.${op}`, o))
  const shape = (xs[0] as NdArray).shape
  if (xs.some((x) => x.shape.join() !== shape.join()))
    throw new ShapeError(
      `lax.${op}: operands must have the same shape, got ${xs.map((x) => tuple(x.shape)).join(', ')}`,
    )
  if (!Number.isInteger(numKeys) || numKeys < 1 || numKeys > xs.length)
    throw new ValueError(`lax.${op}: num_keys=${numKeys} must be >= 1 and <= the number of operands (${xs.length})`)
  if (shape.length === 0) throw new ValueError(`lax.${op}: operands must have rank ≥ 1, got scalars`)
  const r = shape.length
  if (!Number.isInteger(dimension) || dimension < -r || dimension >= r)
    throw new ValueError(`lax.${op}: dimension ${dimension} is out of range for operands of rank ${r}`)
  return [...lax.sort(xs, dimension < 0 ? dimension + r : dimension, isStable, numKeys)]
}

/**
 * Sorts along `dimension` (JAX's `lax.sort(operand, dimension=-1, is_stable=True,
 * num_keys=1)`). Given one array, returns the sorted array; given a list, sorts every operand
 * by the lexicographic order of the first `numKeys` and returns the list. NaN sorts last; the
 * sort is always stable (a stable order is one valid result of an unstable sort).
 * @example
 * import { lax, array } from 'wengert'
 * assert.deepStrictEqual(lax.sort(array([3, 1, 2])).toArray(), [1, 2, 3])
 * const [k, v] = lax.sort([array([2, 1, 2]), array([10, 20, 30])])
 * assert.deepStrictEqual([k.toArray(), v.toArray()], [[1, 2, 2], [20, 10, 30]])
 * @category ops
 * @since 0.3.0
 */
export function sort(operand: ArrayLike, dimension?: number, isStable?: boolean, numKeys?: number): NdArray
export function sort(
  operand: ReadonlyArray<NdArray>,
  dimension?: number,
  isStable?: boolean,
  numKeys?: number,
): NdArray[]
export function sort(
  operand: ArrayLike | ReadonlyArray<NdArray>,
  dimension = -1,
  isStable = true,
  numKeys = 1,
): NdArray | NdArray[] {
  const many = Array.isArray(operand) && operand.length > 0 && operand.every(isNdArray)
  if (many) return sortMany('sort', operand as ReadonlyArray<NdArray>, dimension, isStable, numKeys)
  return sortMany('sort', [operand as ArrayLike], dimension, isStable, numKeys)[0] as NdArray
}

/**
 * Sorts `keys` along `dimension` and applies the same permutation to `values` (JAX's
 * `lax.sort_key_val(keys, values, dimension=-1, is_stable=True)`).
 * @example
 * import { lax, array } from 'wengert'
 * const [k, v] = lax.sortKeyVal(array([3, 1, 2]), array([30, 10, 20]))
 * assert.deepStrictEqual(v.toArray(), [10, 20, 30])
 * @category ops
 * @since 0.3.0
 */
export const sortKeyVal = (keys: ArrayLike, values: ArrayLike, dimension = -1, isStable = true): [NdArray, NdArray] => {
  const [k, v] = sortMany('sort_key_val', [keys, values], dimension, isStable, 1)
  return [k as NdArray, v as NdArray]
}

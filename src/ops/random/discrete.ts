/**
 * The discrete samplers of `jax.random`: `randint`, `categorical`, `permutation`, `choice`,
 * with JAX's algorithms (randint's two 32-bit draws, the Gumbel-max trick, sorting by random
 * keys), so their results depend only on the key, under `jit` and `vmap` too.
 *
 * @category random
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { DTypeError, ShapeError, ValueError, fmtShape } from '../../ndarray/errors'
import { NdArray } from '../../ndarray/NdArray'
import { isInteger } from '../../ndarray/dtype'
import { normalizeAxis, sizeOf } from '../../ndarray/shape'
import { asArray, type ArrayLike } from '../convert'
import { add, less, where } from '../elementwise'
import { broadcastTo, expandDims, reshape, take } from '../layout'
import { argmax, cumsum, sum } from '../reduce'
import { log } from '../unary'
import { checkSingleKey, type KeyArray } from './keys'
import { shapeOf, unit, type FloatDType } from './common'
import { gumbel } from './samplers'

/** Options of {@link randint}. @category random @since 0.2.0 */
export interface RandintOptions {
  /** int32 (default, as JAX) or int64. */
  readonly dtype?: 'int32' | 'int64'
}

/**
 * Uniform integers in [minval, maxval) (JAX: `jax.random.randint`, the same algorithm: two
 * 32-bit draws combined modulo the span, so the bias is below 2⁻³²). Bounds may be arrays
 * broadcasting against the shape; where maxval ≤ minval the result is minval, as in JAX.
 * @example
 * import { random } from 'wengert'
 * const r = random.randint(random.key(0), [50], 0, 3).toArray() as number[]
 * assert.ok(r.every((v) => v === 0 || v === 1 || v === 2))
 * @category random @since 0.2.0
 */
export const randint = (
  key: KeyArray,
  shape: ReadonlyArray<number>,
  minval: ArrayLike,
  maxval: ArrayLike,
  opts?: RandintOptions,
): NdArray => {
  const o = checkOptions('random.randint', opts, ['dtype'])
  const dtype = o.dtype ?? 'int32'
  if (!isInteger(dtype))
    throw new DTypeError(`random.randint: dtype argument to \`randint\` must be an int dtype, got ${String(dtype)}`)
  const s = shapeOf('randint', shape)
  const [lo, hi] = [minval, maxval].map((b) => {
    const a = asArray('random.randint', b, typeof b === 'number' ? 'int64' : undefined)
    if (a.dtype !== 'int32' && a.dtype !== 'int64' && a.dtype !== 'bool')
      throw new ValueError(`random.randint: minval and maxval must be integers, got ${a.dtype}`)
    return broadcastTo(lax.cast(a, 'int64'), s)
  }) as [NdArray, NdArray]
  return lax.randomRandint(checkSingleKey('randint', key), lo, hi, s, dtype)
}

/** Options of {@link categorical}. @category random @since 0.2.0 */
export interface CategoricalOptions {
  /** The axis of the categories in logits (default −1). */
  readonly axis?: number
  /** The output shape: batch shape of logits, optionally with leading axes (default: the batch shape). */
  readonly shape?: ReadonlyArray<number>
}

/**
 * Draws category indices from unnormalised log-probabilities (JAX: `jax.random.categorical`):
 * argmax(logits + Gumbel noise) along the axis (the Gumbel-max trick).
 * @example
 * import { random, array } from 'wengert'
 * const logits = array([Math.log(0.999), Math.log(0.001)])
 * const draws = random.categorical(random.key(0), logits, { shape: [50] }).toArray() as number[]
 * assert.ok(draws.filter((d) => d === 0).length > 40)
 * @category random @since 0.2.0
 */
export const categorical = (key: KeyArray, logits: ArrayLike, opts?: CategoricalOptions): NdArray => {
  const o = checkOptions('random.categorical', opts, ['axis', 'shape'])
  const l = asArray('random.categorical', logits)
  if (l.ndim === 0) throw new ShapeError('random.categorical: logits must have at least one axis')
  const axis = normalizeAxis('random.categorical', o.axis ?? -1, l.ndim) - l.ndim // negative, as JAX
  const batch = l.shape.filter((_, i) => i !== l.ndim + axis)
  const shape = o.shape === undefined ? batch : shapeOf('categorical', o.shape)
  const prefix = shape.slice(0, shape.length - batch.length)
  if (shape.slice(prefix.length).join() !== batch.join())
    throw new ShapeError(
      `random.categorical: shape [${shape.join(',')}] is not compatible with the batch shape of logits [${batch.join(',')}]`,
    )
  const full = [...prefix, ...l.shape]
  const g = gumbel(key, full, { dtype: l.dtype === 'float64' ? 'float64' : 'float32' })
  return argmax(add(g, l), axis)
}

/** Options of {@link permutation}. @category random @since 0.2.0 */
export interface PermutationOptions {
  /** The axis to shuffle (default 0). */
  readonly axis?: number
  /** Shuffle every slice along the axis on its own (default false: one permutation of the slices). */
  readonly independent?: boolean
}

/** take_along_axis(x, idx, axis) for idx of x's shape, as one gather on the flattened x. */
const takeAlong = (x: NdArray, idx: NdArray, axis: number): NdArray => {
  const n = x.shape[axis] as number
  const inner = sizeOf(x.shape.slice(axis + 1))
  const offsets = new Int32Array(x.size)
  for (let i = 0; i < x.size; i++) offsets[i] = i - (Math.floor(i / inner) % n) * inner
  const flat = lax.add(lax.mulScalar(idx, inner), new NdArray(x.shape, 'int32', offsets))
  return lax.reshape(lax.gather(lax.reshape(x, [x.size]), lax.reshape(flat, [x.size]), 0), x.shape)
}

/**
 * A random permutation of `arange(x)` for an integer x, or of an array along an axis (JAX:
 * `jax.random.permutation`: rounds of sorting by random 32-bit keys); `independent` shuffles
 * every slice along the axis on its own.
 * @example
 * import { random, array } from 'wengert'
 * const p = random.permutation(random.key(0), 5).toArray() as number[]
 * assert.deepStrictEqual([...p].sort(), [0, 1, 2, 3, 4])
 * const x = random.permutation(random.key(0), array([[1, 2], [3, 4], [5, 6]]))
 * assert.deepStrictEqual(x.shape, [3, 2])
 * @category random @since 0.2.0
 */
export const permutation = (key: KeyArray, x: ArrayLike, opts?: PermutationOptions): NdArray => {
  const o = checkOptions('random.permutation', opts, ['axis', 'independent'])
  const k = checkSingleKey('permutation', key)
  if (typeof x === 'number') {
    if (!Number.isInteger(x) || x < 0)
      throw new ValueError(`random.permutation: x must be a non-negative integer or an array, got ${x}`)
    return lax.randomShuffle(k, [x], 0)
  }
  if (x.ndim === 0) throw new ValueError('random.permutation: x must be an integer or at least 1-dimensional')
  const axis = normalizeAxis('random.permutation', o.axis ?? 0, x.ndim)
  if (o.independent === true || x.ndim === 1) return takeAlong(x, lax.randomShuffle(k, x.shape, axis), axis)
  return take(x, lax.randomShuffle(k, [x.shape[axis] as number], 0), axis)
}

/** Options of {@link choice}. @category random @since 0.2.0 */
export interface ChoiceOptions {
  /** Draw with replacement (default true). */
  readonly replace?: boolean
  /** Probabilities of the entries (default uniform); a 1-d array as long as the population. */
  readonly p?: NdArray
  /** The axis of a to draw along (default 0). */
  readonly axis?: number
}

/** The indices of the k largest entries of a 1-d g, by repeated argmax (top_k's indices). */
const topK = (g: NdArray, k: number): NdArray => {
  const n = g.shape[0] as number
  const iota = new NdArray(
    [n],
    'int32',
    Int32Array.from({ length: n }, (_, i) => i),
  )
  const picks: NdArray[] = []
  let rest = g
  for (let i = 0; i < k; i++) {
    const j = argmax(rest)
    picks.push(lax.reshape(j, [1]))
    rest = where(lax.eq(iota, j), lax.scalarLike(-Infinity, rest), rest)
  }
  return lax.concatenate(picks, 0)
}

/** The sampled indices of {@link choice}. */
const choiceIndices = (k: NdArray, n: number, shape: ReadonlyArray<number>, replace: boolean, p?: NdArray): NdArray => {
  const draws = sizeOf(shape)
  if (p === undefined) {
    if (replace) return randint(k, shape, 0, n)
    return lax.reshape(lax.slice(lax.randomShuffle(k, [n], 0), [0], [draws], [1]), shape)
  }
  if (p.ndim !== 1 || p.shape[0] !== n) throw new ShapeError('random.choice: p must be None or match the shape of a')
  if (replace) {
    const cum = cumsum(p)
    const total = lax.slice(cum, [n - 1], [n], [1])
    const r = lax.mul(lax.reshape(total, []), lax.sub(lax.scalarLike(1, cum), unit(k, shape, p.dtype as FloatDType)))
    // searchsorted(cum, r) (side 'left'): how many cumulative sums lie below r
    return lax.cast(sum(less(cum, expandDims(r, -1)), -1), 'int32')
  }
  const g = add(gumbel(k, [n], { dtype: p.dtype === 'float64' ? 'float64' : 'float32' }), log(p))
  return reshape(topK(g, draws), shape)
}

/**
 * Draws from an integer range or along an axis of an array (JAX: `jax.random.choice`), with or
 * without replacement, uniformly or with probabilities `p`.
 * @example
 * import { random, array } from 'wengert'
 * const d = random.choice(random.key(0), 5, [3], { replace: false }).toArray() as number[]
 * assert.strictEqual(new Set(d).size, 3)
 * const w = random.choice(random.key(1), array([10, 20, 30]), [4], { p: array([0, 0, 1]) })
 * assert.deepStrictEqual(w.toArray(), [30, 30, 30, 30])
 * @category random @since 0.2.0
 */
export const choice = (
  key: KeyArray,
  a: ArrayLike,
  shape: ReadonlyArray<number> = [],
  opts?: ChoiceOptions,
): NdArray => {
  const o = checkOptions('random.choice', opts, ['replace', 'p', 'axis'])
  const k = checkSingleKey('choice', key)
  const s = shapeOf('choice', shape)
  const arr = typeof a === 'number' ? undefined : a
  if (arr !== undefined && arr.ndim === 0)
    throw new ValueError('random.choice: a must be an integer or at least 1-dimensional')
  if (typeof a === 'number' && (!Number.isInteger(a) || a < 0))
    throw new ValueError(`random.choice: a must be a non-negative integer, got ${a}`)
  const axis = arr === undefined ? 0 : normalizeAxis('random.choice', o.axis ?? 0, arr.ndim)
  const n = arr === undefined ? (a as number) : (arr.shape[axis] as number)
  const replace = o.replace ?? true
  if (n === 0 && sizeOf(s) > 0)
    throw new ValueError(
      `random.choice: a must be greater than 0 unless no samples are taken, got a population of 0 for shape ${fmtShape(s)}`,
    )
  if (!replace && sizeOf(s) > n)
    throw new ValueError(
      `random.choice: Cannot take a larger sample than population when replace=False: ${sizeOf(s)} samples from ${n}`,
    )
  const ind = choiceIndices(k, n, s, replace, o.p)
  return arr === undefined ? ind : take(arr, ind, axis)
}

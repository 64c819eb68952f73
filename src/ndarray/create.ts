/**
 * Array creation: from nested JS arrays, typed arrays and numbers, and the usual constant and
 * range constructors. Floats made from JS numbers default to float32; `{ dtype: 'float64' }`
 * everywhere.
 *
 * @category ndarray
 * @since 0.1.0
 */
import { allocate, checkDType, DTYPES, isFloat, truncInt64, type DType, type TypedArray } from './dtype'
import { DTypeError, ShapeError, ValueError, fmtShape } from './errors'
import { intRange, saturate, storeChecked } from './intRange'
import { NdArray } from './NdArray'
import { checkShape, sizeOf } from './shape'
import { requireNdArray } from '../internal/args'
import { checkOptions, describeValue, isPlainObject } from '../internal/options'

/** A JS typed array of any element type: what `array` accepts besides numbers and nested lists. */
export type AnyTypedArray =
  TypedArray | Int8Array | Uint8ClampedArray | Int16Array | Uint16Array | Uint32Array | BigInt64Array | BigUint64Array

/** Nested JS input: numbers, booleans, arrays of them, or arrays of NdArrays. */
export type ArrayInput = number | boolean | NdArray | AnyTypedArray | ReadonlyArray<ArrayInput>

/** Options of {@link array}. */
export interface ArrayOptions {
  /** Element type; default: float32 for numbers, bool for booleans, the buffer's for typed arrays. */
  readonly dtype?: DType
  /** Shape, for flat typed-array or flat JS-array input. */
  readonly shape?: ReadonlyArray<number>
}

/**
 * The dtype each kind of typed array becomes when no dtype is given: one row per buffer type
 * (adding a dtype is adding or changing its row). Int8/Int16 arrays keep their width and a
 * Uint8ClampedArray (canvas image data) is uint8; a Uint8Array is bool (pass `{ dtype: 'uint8' }`
 * for bytes); unsigned 16/32-bit integers widen to int32 (checked: Uint32Array values past
 * 2^31 − 1 raise); `undefined` rows have no dtype yet and raise.
 */
const BUFFER_DTYPES: ReadonlyArray<readonly [new (n: number) => AnyTypedArray, DType | undefined]> = [
  [Float32Array, 'float32'],
  [Float64Array, 'float64'],
  [Int32Array, 'int32'],
  [Uint8Array, 'bool'],
  [Int8Array, 'int8'],
  [Uint8ClampedArray, 'uint8'],
  [Int16Array, 'int16'],
  [Uint16Array, 'int32'],
  [Uint32Array, 'int32'],
  [BigInt64Array, undefined],
  [BigUint64Array, undefined],
]

/** The default dtype of a typed array (see BUFFER_DTYPES); raises for buffers with none. */
const dtypeOfView = (op: string, x: ArrayBufferView): DType => {
  const row = BUFFER_DTYPES.find(([ctor]) => x instanceof ctor)
  if (row === undefined || row[1] === undefined) {
    throw new DTypeError(
      `${op}: a ${x.constructor.name} has no matching dtype; pass { dtype } (one of ${DTYPES.join(', ')}) or convert it to a Float64Array or Int32Array`,
    )
  }
  return row[1]
}

const isTypedArray = (x: unknown): x is AnyTypedArray => ArrayBuffer.isView(x) && !(x instanceof DataView)

const inferShape = (x: ArrayInput, path: string): { shape: number[]; bool: boolean } => {
  if (typeof x === 'number') return { shape: [], bool: false }
  if (typeof x === 'boolean') return { shape: [], bool: true }
  if (x instanceof NdArray) return { shape: [...x.shape], bool: x.dtype === 'bool' }
  if (isTypedArray(x)) return { shape: [x.length], bool: false }
  if (!Array.isArray(x))
    throw new ValueError(
      `array: unsupported element ${String(x)} at ${path || 'top level'}; expected numbers, booleans or arrays`,
    )
  if (x.length === 0) return { shape: [0], bool: false }
  const first = inferShape(x[0] as ArrayInput, `${path}[0]`)
  for (let i = 1; i < x.length; i++) {
    const s = inferShape(x[i] as ArrayInput, `${path}[${i}]`)
    if (s.shape.length !== first.shape.length || s.shape.some((d, j) => d !== first.shape[j])) {
      throw new ValueError(
        `array: ragged nested input: element ${path}[${i}] has shape ${fmtShape(s.shape)} but ${path}[0] has shape ${fmtShape(first.shape)}`,
      )
    }
  }
  // bool only when every leaf is a boolean: [true, 2] is numeric (NumPy makes it int)
  let bool = first.bool
  for (let i = 1; i < x.length && bool; i++) bool = inferLeafBool(x[i] as ArrayInput)
  return { shape: [x.length, ...first.shape], bool }
}

const inferLeafBool = (x: ArrayInput): boolean =>
  typeof x === 'boolean' ||
  (x instanceof NdArray && x.dtype === 'bool') ||
  (Array.isArray(x) && x.every((e) => inferLeafBool(e as ArrayInput)))

/** Writes the leaves of `x` into `out` from index `k`, each checked for `dtype`; returns the next index. */
const fill = (x: ArrayInput, out: TypedArray, k: number, dtype: DType): number => {
  if (typeof x === 'number' || typeof x === 'boolean') {
    out[k] = storeChecked('array', dtype, typeof x === 'boolean' ? (x ? 1 : 0) : x, k)
    return k + 1
  }
  if (x instanceof NdArray) {
    out.set(x.dtype === dtype ? x._values('array') : convert(x, dtype), k)
    return k + x.size
  }
  if (isTypedArray(x)) {
    if (x.constructor === out.constructor && dtype !== 'bool') out.set(x as TypedArray, k)
    else for (let i = 0; i < x.length; i++) out[k + i] = storeChecked('array', dtype, Number(x[i]), k + i)
    return k + x.length
  }
  let j = k
  for (const e of x as ReadonlyArray<ArrayInput>) j = fill(e, out, j, dtype)
  return j
}

/** The values of `x` converted to `dtype` as `astype` converts them (integers saturate, NaN → 0). */
const convert = (x: NdArray, dtype: DType): TypedArray => {
  const out = allocate(dtype, x.size)
  const src = x._values('array')
  const r = intRange(dtype)
  if (dtype === 'bool') for (let i = 0; i < x.size; i++) out[i] = (src[i] as number) !== 0 ? 1 : 0
  else if (r !== undefined && isFloat(x.dtype))
    for (let i = 0; i < x.size; i++) out[i] = saturate(src[i] as number, r[0], r[1])
  else out.set(src)
  if (dtype === 'int64') truncInt64('array', out) // exact integers only: NaN, ±Infinity, |x| > 2⁵³ − 1 raise
  return out
}

/** The dtype `array` gives `data` without a `dtype` option. */
const defaultDType = (data: ArrayInput, bool: boolean): DType =>
  isTypedArray(data) ? dtypeOfView('array', data) : data instanceof NdArray ? data.dtype : bool ? 'bool' : 'float32'

/**
 * Makes an array from nested JS arrays, a typed array (copied) or a number. Values must be
 * representable in the dtype: integer dtypes truncate fractions but raise on NaN, ±Infinity and
 * values out of range (NumPy's rule; `astype` saturates instead, as JAX's does). Typed arrays
 * keep their type where a dtype matches (Int8/Int16/Uint16/Uint8Clamped/Uint32 become int32,
 * Uint8Array holding 0/1 becomes bool); BigInt64Array needs an explicit `dtype`.
 *
 * @example
 * import { array } from 'wengert'
 * assert.deepStrictEqual(array([[1, 2], [3, 4]]).shape, [2, 2])
 * assert.strictEqual(array(3, { dtype: 'float64' }).dtype, 'float64')
 * assert.deepStrictEqual(array(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }).toArray(), [[1, 2], [3, 4]])
 * assert.deepStrictEqual(array(new Int16Array([300, -5])).toArray(), [300, -5])
 * assert.throws(() => array([1, NaN], { dtype: 'int32' }), /NaN/)
 * @category ndarray
 * @since 0.1.0
 */
export const array = (data: ArrayInput, options?: ArrayOptions): NdArray => {
  const opts = checkOptions('array', options, ['dtype', 'shape'])
  if (data instanceof NdArray && opts.shape === undefined) {
    const dt = opts.dtype === undefined ? data.dtype : checkDType('array', opts.dtype)
    return new NdArray(data.shape, dt, convert(data, dt))
  }
  const { shape, bool } = inferShape(data, '')
  const dtype: DType = opts.dtype !== undefined ? checkDType('array', opts.dtype) : defaultDType(data, bool)
  const n = sizeOf(shape)
  const out = allocateFor('array', dtype, shape)
  if (opts.dtype === undefined && data instanceof Uint8Array) checkBoolBytes(data)
  fill(data, out, 0, dtype)
  if (dtype === 'int64') truncInt64('array', out)
  let finalShape: ReadonlyArray<number> = shape
  if (opts.shape !== undefined) {
    const s = checkShape('array', opts.shape)
    if (sizeOf(s) !== n) throw new ShapeError(`array: data of size ${n} cannot take shape ${fmtShape(s)}`)
    finalShape = [...s]
  }
  return new NdArray(finalShape, dtype, out)
}

/** A Uint8Array read as bool must hold only 0 and 1 (other bytes need `{ dtype: 'uint8' }`). */
const checkBoolBytes = (x: Uint8Array): void => {
  const i = x.findIndex((v) => v > 1)
  if (i >= 0)
    throw new ValueError(
      `array: a Uint8Array is read as dtype bool, but element ${i} is ${x[i]}; pass { dtype: 'uint8' } to keep byte values`,
    )
}

/** Options holding a dtype. */
export interface DTypeOptions {
  readonly dtype?: DType
}

/** Options of {@link eye}. */
export interface EyeOptions extends DTypeOptions {
  /** The diagonal: 0 the main one, positive above, negative below. */
  readonly k?: number
}

/** A shape: a list of sizes, or one size for a 1-d array (as JAX's `zeros(3)`). */
export type ShapeLike = number | ReadonlyArray<number>

/** Storage for an array of `shape`, or a ValueError naming `op` and the size when it cannot exist. */
const allocateFor = (op: string, dtype: DType, shape: ReadonlyArray<number>): TypedArray => {
  const n = sizeOf(shape)
  try {
    return allocate(dtype, n)
  } catch (e) {
    if (!(e instanceof RangeError)) throw e
    throw new ValueError(
      `${op}: an array of shape ${fmtShape(shape)} has ${n.toExponential(3)} elements of ${dtype}, more than this JavaScript engine can allocate (${e.message})`,
    )
  }
}

/** A checked shape from a shape list or a single size. */
const toShape = (op: string, shape: unknown): ReadonlyArray<number> =>
  typeof shape === 'number'
    ? checkShape(op, [shape])
    : Array.isArray(shape)
      ? checkShape(op, shape)
      : (() => {
          throw new ValueError(`${op}: shape must be a list of sizes or one size, got ${describeValue(shape)}`)
        })()

/**
 * An array of `shape` filled with `value`.
 * @example
 * import { full, array } from 'wengert'
 * assert.deepStrictEqual(full([2], 7).toArray(), [7, 7])
 * assert.strictEqual(full([2], true).dtype, 'bool')
 * // an array fill value is broadcast to the shape, as JAX's full does
 * assert.deepStrictEqual(full([2, 2], array([1, 2])).toArray(), [[1, 2], [1, 2]])
 * @category ndarray @since 0.1.0
 */
export const full = (shape: ShapeLike, value: number | boolean | NdArray, opts?: DTypeOptions): NdArray => {
  if (!(value instanceof NdArray)) return filled('full', shape, value, opts)
  const s = toShape('full', shape)
  const dtype = checkOptions('full', opts, ['dtype']).dtype
  if (arrayFill === undefined) throw new ValueError('full: an array fill value needs the ops layer (import wengert)')
  return arrayFill([...s], value, dtype === undefined ? undefined : checkDType('full', dtype))
}

/** How `full` broadcasts an array fill value (set by src/ops, which may differentiate and stage it). */
type ArrayFill = (shape: ReadonlyArray<number>, value: NdArray, dtype: DType | undefined) => NdArray
let arrayFill: ArrayFill | undefined
/** @internal Installs `full`'s broadcast of an array fill value (JAX: `broadcast_to(asarray(fill), shape)`). */
export const setArrayFill = (f: ArrayFill): void => {
  arrayFill = f
}

/** `full` under the name of the calling op, for its error messages. */
const filled = (op: string, shape: ShapeLike, value: number | boolean, options: DTypeOptions | undefined): NdArray => {
  const opts = checkOptions(op, options, ['dtype'])
  const s = toShape(op, shape)
  if (typeof value !== 'number' && typeof value !== 'boolean')
    throw new ValueError(`${op}: the fill value must be a number or a boolean, got ${describeValue(value)}`)
  const dtype =
    opts.dtype === undefined ? (typeof value === 'boolean' ? 'bool' : 'float32') : checkDType(op, opts.dtype)
  const out = allocateFor(op, dtype, s)
  const v = typeof value === 'boolean' ? (value ? 1 : 0) : dtype === 'bool' ? (value !== 0 ? 1 : 0) : value
  // a −0 fill is written too (the fresh buffer holds +0)
  if (!Object.is(v, 0)) out.fill(v)
  return new NdArray([...s], dtype, out)
}

/**
 * Zeros of `shape`.
 * @example
 * import { zeros } from 'wengert'
 * assert.deepStrictEqual(zeros([2, 2]).toArray(), [[0, 0], [0, 0]])
 * assert.strictEqual(zeros([2]).dtype, 'float32')
 * @category ndarray @since 0.1.0
 */
export const zeros = (shape: ShapeLike, opts?: DTypeOptions): NdArray => filled('zeros', shape, 0, opts)
/**
 * Ones of `shape`.
 * @example
 * import { ones } from 'wengert'
 * assert.deepStrictEqual(ones([2], { dtype: 'int32' }).toArray(), [1, 1])
 * @category ndarray @since 0.1.0
 */
export const ones = (shape: ShapeLike, opts?: DTypeOptions): NdArray => filled('ones', shape, 1, opts)
/**
 * Zeros with the shape (and, by default, dtype) of `x`.
 * @example
 * import { zerosLike, array } from 'wengert'
 * const z = zerosLike(array([[1, 2]], { dtype: 'float64' }))
 * assert.deepStrictEqual([z.shape, z.dtype, z.toArray()], [[1, 2], 'float64', [[0, 0]]])
 * @category ndarray @since 0.1.0
 */
export const zerosLike = (x: NdArray, opts?: DTypeOptions): NdArray => {
  const a = requireNdArray('zerosLike', 'x', x)
  return filled('zerosLike', a.shape, 0, { dtype: checkOptions('zerosLike', opts, ['dtype']).dtype ?? a.dtype })
}
/**
 * Ones with the shape (and, by default, dtype) of `x`.
 * @example
 * import { onesLike, array } from 'wengert'
 * assert.deepStrictEqual(onesLike(array([[1, 2]])).toArray(), [[1, 1]])
 * @category ndarray @since 0.1.0
 */
export const onesLike = (x: NdArray, opts?: DTypeOptions): NdArray => {
  const a = requireNdArray('onesLike', 'x', x)
  return filled('onesLike', a.shape, 1, { dtype: checkOptions('onesLike', opts, ['dtype']).dtype ?? a.dtype })
}

/**
 * Evenly spaced values in [start, stop) with `step`. `arange(n)` counts from 0. The default dtype
 * is int32 when start, stop and step are all integers, else float32 (as NumPy/JAX). The options
 * object may follow any of the numbers (`arange(5, { dtype: 'float64' })`).
 * @example
 * import { arange } from 'wengert'
 * assert.deepStrictEqual(arange(4).toArray(), [0, 1, 2, 3])
 * assert.strictEqual(arange(4).dtype, 'int32')
 * assert.deepStrictEqual(arange(0, 1, 0.25).toArray(), [0, 0.25, 0.5, 0.75])
 * assert.strictEqual(arange(3, { dtype: 'float64' }).dtype, 'float64')
 * @category ndarray @since 0.1.0
 */
export function arange(start: number, opts?: DTypeOptions): NdArray
export function arange(start: number, stop: number | undefined, opts?: DTypeOptions): NdArray
export function arange(start: number, stop?: number, step?: number, opts?: DTypeOptions): NdArray
export function arange(
  start: number,
  stopOrOpts?: number | DTypeOptions,
  stepOrOpts?: number | DTypeOptions,
  options?: DTypeOptions,
): NdArray {
  // a size-1 array bound counts by its value (JAX's concrete arrays); one staged by jit has none,
  // and its number conversion raises ConcretizationTypeError
  const num = (u: unknown): unknown => (u instanceof NdArray ? Number(u) : u)
  const trailing = [stopOrOpts, stepOrOpts, options].find((u) => isPlainObject(u))
  const opts = checkOptions('arange', trailing as DTypeOptions | undefined, ['dtype'])
  const stop = typeof num(stopOrOpts) === 'number' ? (num(stopOrOpts) as number) : undefined
  const step = typeof num(stepOrOpts) === 'number' ? (num(stepOrOpts) as number) : 1
  const [lo, hi] = stop === undefined ? [0, num(start) as number] : [num(start) as number, stop]
  if (![lo, hi, step].every(Number.isFinite))
    throw new ValueError(`arange: start, stop and step must be finite, got ${lo}, ${hi}, ${step}`)
  if (step === 0) throw new ValueError('arange: step must not be zero')
  const n = Math.max(0, Math.ceil((hi - lo) / step))
  if (n > 2 ** 31 - 1) throw new ValueError(`arange: ${n} elements are too many (at most 2^31 − 1)`)
  const dtype = opts.dtype ?? ([lo, hi, step].every(Number.isInteger) ? 'int32' : 'float32')
  const out = allocateFor('arange', checkDType('arange', dtype), [n])
  for (let i = 0; i < n; i++) out[i] = lo + i * step
  return new NdArray([n], dtype, out)
}

/**
 * `num` evenly spaced values from start to stop (inclusive by default).
 * @example
 * import { linspace } from 'wengert'
 * assert.deepStrictEqual(linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1])
 * assert.deepStrictEqual(linspace(0, 1, 4, { endpoint: false }).toArray(), [0, 0.25, 0.5, 0.75])
 * @category ndarray @since 0.1.0
 */
export const linspace = (
  start: number,
  stop: number,
  num = 50,
  options?: DTypeOptions & { readonly endpoint?: boolean },
): NdArray => {
  const opts = checkOptions('linspace', options, ['dtype', 'endpoint'])
  if (!Number.isInteger(num) || num < 0)
    throw new ValueError(
      `linspace: Number of samples, ${num}, must be non-negative (num must be a non-negative integer)`,
    )
  const endpoint = opts.endpoint ?? true
  const dtype = checkDType('linspace', opts.dtype ?? 'float32')
  const out = allocateFor('linspace', dtype, [num])
  const div = endpoint ? num - 1 : num
  const step = div > 0 ? (stop - start) / div : 0
  for (let i = 0; i < num; i++) out[i] = start + i * step
  if (endpoint && num > 1) out[num - 1] = stop
  return new NdArray([num], dtype, out)
}

/**
 * The n×m identity (ones on diagonal `k`). As JAX's `eye(N, M=None, k=0, dtype=None)`, the
 * options may come second (`eye(n, { dtype })`) or third (`eye(n, m, { k })`).
 * @example
 * import { eye } from 'wengert'
 * assert.deepStrictEqual(eye(2).toArray(), [[1, 0], [0, 1]])
 * assert.deepStrictEqual(eye(2, 3, { k: 1 }).toArray(), [[0, 1, 0], [0, 0, 1]])
 * assert.strictEqual(eye(2, { dtype: 'float64' }).dtype, 'float64')
 * @category ndarray @since 0.1.0
 */
export const eye = (n: number, mOrOpts?: number | null | EyeOptions, options?: EyeOptions): NdArray => {
  const m = typeof mOrOpts === 'number' ? mOrOpts : n
  const given = mOrOpts !== null && typeof mOrOpts === 'object' ? mOrOpts : options
  const opts = checkOptions('eye', given, ['dtype', 'k'])
  checkShape('eye', [n, m])
  const k = opts.k ?? 0
  if (!Number.isInteger(k)) throw new ValueError(`eye: k must be an integer, got ${String(k)}`)
  const dtype = checkDType('eye', opts.dtype ?? 'float32')
  const out = allocateFor('eye', dtype, [n, m])
  for (let i = 0; i < n; i++) {
    const j = i + k
    if (j >= 0 && j < m) out[i * m + j] = 1
  }
  return new NdArray([n, m], dtype, out)
}

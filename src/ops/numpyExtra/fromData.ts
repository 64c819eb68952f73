/**
 * Arrays from raw data (JAX: `jnp.frombuffer`, `jnp.fromstring`, `jnp.fromiter`,
 * `jnp.iterable`): bytes read little-endian as a dtype, numbers parsed from text, and JAX's
 * deliberate refusal of `fromiter` (an iterator is consumed: not pure).
 *
 * @category ops
 * @since 0.7.0
 */
import { array } from '../../ndarray/create'
import { checkDType, type DType } from '../../ndarray/dtype'
import { ValueError } from '../../ndarray/errors'
import { ITEMSIZE, bitcast } from '../../ndarray/kernels/bitcast'
import { NdArray } from '../../ndarray/NdArray'

/** What `frombuffer` reads: an ArrayBuffer or a view of one (a typed array, DataView, Node Buffer). */
export type BufferLike = ArrayBuffer | ArrayBufferView

/** The dtype the array gets: NumPy's float (float64) becomes wengert's default float32, as JAX's without x64. */
const resultDtype = (d: DType): DType =>
  d === 'float64' || d === 'int64' ? (d === 'float64' ? 'float32' : 'int32') : d

/**
 * An array read from the bytes of `buffer` (JAX: `jnp.frombuffer(buffer, dtype=float, count=-1,
 * offset=0)`): `count` items (−1: all that follow `offset`) of `dtype`, little-endian. As JAX
 * without 64-bit mode, float64 items give a float32 array and int64 items an int32 one.
 * @example
 * import { frombuffer } from 'wengert'
 * const x = frombuffer(new Float32Array([1.5, -2]), 'float32')
 * assert.deepStrictEqual([x.dtype, x.toArray()], ['float32', [1.5, -2]])
 * assert.deepStrictEqual(frombuffer(new Uint8Array([1, 0, 2, 0]), 'int16').toArray(), [1, 2])
 * @category ops
 * @since 0.7.0
 */
export const frombuffer = (buffer: BufferLike, dtype: DType = 'float64', count = -1, offset = 0): NdArray => {
  const op = 'frombuffer'
  const dt = checkDType(op, dtype)
  const bytes =
    buffer instanceof ArrayBuffer
      ? new Uint8Array(buffer)
      : ArrayBuffer.isView(buffer)
        ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
        : undefined
  if (bytes === undefined) throw new ValueError(`${op}: expected an ArrayBuffer or a typed array, got ${typeof buffer}`)
  const size = ITEMSIZE[dt]
  if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length)
    throw new ValueError(
      `${op}: offset must be a non-negative integer no larger than the buffer (${bytes.length} bytes), got ${offset}`,
    )
  const avail = bytes.length - offset
  if (count === -1 && avail % size !== 0) throw new ValueError(`${op}: buffer size must be a multiple of element size`)
  const n = count === -1 ? avail / size : count
  if (!Number.isInteger(n) || n < 0 || n * size > avail)
    throw new ValueError(
      `${op}: buffer is smaller than requested size (${count} items of ${size} bytes after offset ${offset}; ${avail} bytes)`,
    )
  const raw = array(Array.from(bytes.subarray(offset, offset + n * size)), {
    dtype: 'uint8',
    shape: size === 1 ? [n] : [n, size],
  })
  const out = dt === 'uint8' ? raw : bitcast(raw, dt)
  const to = resultDtype(dt)
  return to === dt
    ? out
    : new NdArray(
        out.shape,
        to,
        to === 'float32' ? Float32Array.from(out._data as Float64Array) : Int32Array.from(out._data as Float64Array),
      )
}

/**
 * Numbers parsed from text (JAX: `jnp.fromstring(string, dtype=float, count=-1, *, sep)`): the
 * items of `string` split at `sep` (a separator of whitespace matches any whitespace run), at
 * most `count` (−1: all). `sep` is required; NumPy's removed binary mode (`sep: ''`) raises.
 * @example
 * import { fromstring } from 'wengert'
 * assert.deepStrictEqual(fromstring('1, 2.5, 3', 'float64', -1, { sep: ',' }).toArray(), [1, 2.5, 3])
 * assert.deepStrictEqual(fromstring('1 2  3', 'int32', 2, { sep: ' ' }).toArray(), [1, 2])
 * @category ops
 * @since 0.7.0
 */
export const fromstring = (
  string: string,
  dtype: DType = 'float64',
  count = -1,
  options: { readonly sep: string },
): NdArray => {
  const op = 'fromstring'
  const dt = checkDType(op, dtype)
  const sep = options?.sep
  if (typeof string !== 'string') throw new ValueError(`${op}: expected a string, got ${typeof string}`)
  if (typeof sep !== 'string') throw new ValueError(`${op}: the keyword sep (a string) is required`)
  if (sep === '')
    throw new ValueError(
      `${op}: The binary mode of fromstring is removed, use frombuffer instead (sep must not be empty)`,
    )
  const trimmed = string.trim()
  const parts = trimmed === '' ? [] : sep.trim() === '' ? trimmed.split(/\s+/) : trimmed.split(sep).map((p) => p.trim())
  const n = count === -1 ? parts.length : count
  if (!Number.isInteger(n) || n < 0 || n > parts.length)
    throw new ValueError(`${op}: string is smaller than requested size (${count} items, ${parts.length} found)`)
  const values = parts.slice(0, n).map((p) => {
    const v = Number(p)
    if (p === '' || (Number.isNaN(v) && !/^[+-]?nan$/i.test(p)))
      throw new ValueError(`${op}: could not convert string to ${dt}: '${p}'`)
    return v
  })
  return array(values, { dtype: resultDtype(dt) })
}

/**
 * Not implemented, as JAX's `jnp.fromiter` (it consumes an iterator: not a pure function, so
 * unsafe under `jit` and the other transforms); use `array(Array.from(iterable))`.
 * @example
 * import { fromiter } from 'wengert'
 * assert.throws(() => fromiter([1, 2], 'float32'), /not implemented/)
 * @category ops
 * @since 0.7.0
 */
export const fromiter = (_iterable: Iterable<number>, _dtype?: DType, _count = -1): never => {
  throw new ValueError(
    'jnp.fromiter() is not implemented because it may be non-pure and thus unsafe for use with JIT and other JAX transformations. Consider using array(Array.from(iterable)) instead.',
  )
}

/**
 * Whether `y` can be iterated (JAX: `jnp.iterable`, NumPy's): strings, JS arrays, other
 * iterables, and arrays of rank ≥ 1; a 0-d array or a number is not.
 * @example
 * import { iterable, array } from 'wengert'
 * assert.deepStrictEqual([iterable([1, 2]), iterable(array([1])), iterable(array(1)), iterable(3)], [true, true, false, false])
 * @category ops
 * @since 0.7.0
 */
export const iterable = (y: unknown): boolean => {
  if (y instanceof NdArray) return y.ndim > 0
  if (typeof y === 'string') return true
  return (
    y !== null && typeof y === 'object' && typeof (y as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  )
}

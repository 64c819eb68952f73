/**
 * The immutable n-dimensional array.
 *
 * @category ndarray
 * @since 0.1.0
 */
import type { DType, TypedArray } from './dtype'
import { ValueError, fmtShape } from './errors'
import { formatArray } from './format'
import { sizeOf, type Shape } from './shape'
import { at } from '../internal/at'

/** Nested JavaScript arrays of numbers or booleans, as `toArray()` returns them. */
export type NestedArray = number | boolean | ReadonlyArray<NestedArray>

/**
 * An immutable n-d array: a shape, a dtype and row-major data. Nothing changes it after it is
 * made; `toTypedArray()` hands out a copy. Values traced by a transform are NdArrays too (they
 * carry their concrete value), so `item()`, `toArray()` and printing work inside `grad`.
 *
 * @example
 * import { array } from 'wengert'
 * const x = array([[1, 2], [3, 4]])
 * assert.deepStrictEqual(x.shape, [2, 2])
 * assert.strictEqual(x.dtype, 'float32')
 * assert.deepStrictEqual(x.toArray(), [[1, 2], [3, 4]])
 * @category ndarray
 * @since 0.1.0
 */
export class NdArray {
  // NOTE: the fields are `declare`d and set by the constructor, not defined as class fields: V8
  // builds the objects of a subclass (the tracers: one per traced op) ~1.5-2x faster when the base
  // class defines none (W3's per-op cost, issue 18). Subclasses keep their class fields: with
  // those, construction stays fast where a loader redefines each class's `name` (tsx), where
  // subclasses with declared fields only would be ~2x slower (bench/micro/classFields.mjs).
  /** Size of each axis. */
  declare readonly shape: Shape
  /** Element type. */
  declare readonly dtype: DType
  /** Number of elements. */
  declare readonly size: number
  /**
   * Row-major storage. Never write into it: arrays are values and may share buffers.
   * @internal
   */
  declare readonly _data: TypedArray

  /** @internal Use `array`, `zeros`, … to make arrays. */
  constructor(shape: Shape, dtype: DType, data: TypedArray) {
    this.shape = shape
    this.dtype = dtype
    this.size = data.length
    this._data = data
  }

  /** Number of axes. */
  get ndim(): number {
    return this.shape.length
  }

  /** The single element of a size-1 array, as a JS number (bool gives a boolean). */
  item(): number | boolean {
    if (this.size !== 1) {
      throw new ValueError(
        `item: can only convert an array of size 1 to a scalar, got shape ${fmtShape(this.shape)} (size ${this.size})`,
      )
    }
    const v = at(this._values('item'), 0)
    return this.dtype === 'bool' ? v !== 0 : v
  }

  /**
   * This array, once computed (JAX: `x.block_until_ready()`). wengert computes synchronously,
   * so there is nothing to wait for: timing code written for JAX runs unchanged.
   */
  blockUntilReady(): this {
    return this
  }

  /** Nested JS arrays (numbers, or booleans for bool). A 0-d array gives a scalar. */
  toArray(): NestedArray {
    const d = this._values('toArray')
    const isBool = this.dtype === 'bool'
    const shape = this.shape
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === shape.length) {
        const v = d[offset] as number
        return isBool ? v !== 0 : v
      }
      const n = at(shape, axis)
      const step = sizeOf(shape.slice(axis + 1))
      const out = new Array<NestedArray>(n)
      for (let i = 0; i < n; i++) out[i] = build(axis + 1, offset + i * step)
      return out
    }
    return build(0, 0)
  }

  /**
   * The data, for functions outside the primitives that read it (`array(x)`, printing); a value
   * staged by `jit` refuses (its data is the trace-time example only).
   * @internal
   */
  _values(_op: string): TypedArray {
    return this._data
  }

  /** A copy of the data in a typed array of the array's dtype (bool: Uint8Array of 0/1). */
  toTypedArray(): TypedArray {
    const d = this._values('toTypedArray')
    // NOTE: float storage is copied by the constructor, not `slice`: V8 then skips clearing the new
    // buffer that the copy overwrites (a 4 MB copy: CPU-time minimum 0.35 → 0.21 ms, Node 20)
    return d instanceof Float32Array ? new Float32Array(d) : d instanceof Float64Array ? new Float64Array(d) : d.slice()
  }

  /** Prints like NumPy: `array([1., 2.], dtype=float32)`. */
  toString(): string {
    return formatArray(this.shape, this.dtype, this._data)
  }

  /**
   * JS conversion. To a number (`Number(x)`, `+x`, `x > 0`): the element of a size-1 array, as
   * NumPy's `float(x)`, so a value staged by `jit` raises ConcretizationTypeError (as JAX's
   * `float(tracer)` does) and a larger array raises, instead of giving NaN. Otherwise (`${x}`,
   * `x + ''`) the printed form.
   */
  [Symbol.toPrimitive](hint: string): number | string {
    if (hint !== 'number') return this.toString()
    const v = this.item()
    return typeof v === 'boolean' ? Number(v) : v
  }

  /** `console.log(x)` and Node's `util.inspect` print what `String(x)` does (tracers included). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}

/** True for NdArray values (including traced ones). */
export const isNdArray = (u: unknown): u is NdArray => u instanceof NdArray

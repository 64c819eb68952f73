/**
 * The meta device: tensors with a shape, a dtype and strides but no data (PyTorch's
 * `device='meta'`), for building big models without memory. A meta tensor's value is a
 * {@link MetaTracer} of one permanent level, below every transform: `bind` hands each primitive
 * applied to it to that level, which runs only the primitive's shape and dtype rule (the abstract
 * evaluation `jit` staging uses) and returns a new meta value. Nothing is computed and no buffer
 * of the tensor's size is allocated; reading the data raises PyTorch's errors.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.empty(3, 4, { device: 'meta' })
 * const y = x.matmul(torch.empty(4, 2, { device: 'meta' })).relu()
 * assert.strictEqual(String(y), "tensor(..., device='meta', size=(3, 2))")
 * assert.strictEqual(y.is_meta, true)
 * assert.throws(() => y.tolist(), /Cannot copy out of meta tensor; no data!/)
 * @category torch
 * @since 0.3.0
 */
import { isAbstract, newLevelId, Tracer, type Level } from '../core/trace'
import type { AnyMultiPrimitive, AnyPrimitive } from '../core/primitive'
import type { Aval } from '../core/equation'
import { allocate, type DType, type TypedArray } from '../ndarray/dtype'
import { NdArray } from '../ndarray/NdArray'
import { sizeOf, type Shape } from '../ndarray/shape'
import { NotImplementedError } from './errors'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** PyTorch's text for reading a meta tensor's data (`tolist`, `.cpu()`, `.to('cpu')`, `numpy`). */
export const ERR_META_COPY = 'Cannot copy out of meta tensor; no data!'

/** An empty buffer per dtype: the `_data` of every meta value (they hold none). */
const EMPTY = new Map<DType, TypedArray>()
const emptyOf = (dtype: DType): TypedArray => {
  let e = EMPTY.get(dtype)
  if (e === undefined) EMPTY.set(dtype, (e = allocate(dtype, 0)))
  return e
}

/** Sets the element count of a value whose buffer is empty (NdArray counts its buffer). */
const setSize = (a: NdArray, shape: Shape): void => {
  Object.defineProperty(a, 'size', { value: sizeOf(shape), enumerable: true })
}

/** The primal below a meta value: its aval with no data; reading it raises. */
class HollowArray extends NdArray {
  constructor(shape: Shape, dtype: DType) {
    super(shape, dtype, emptyOf(dtype))
    setSize(this, shape)
  }
  override _values(_op: string): TypedArray {
    throw new NotImplementedError(ERR_META_COPY)
  }
  override toString(): string {
    return `Meta<${this.dtype}[${this.shape.join(',')}]>`
  }
}

/** The one meta level: the lowest level, never closed, computing avals only. */
class MetaLevel implements Level {
  readonly id = newLevelId()
  active = true

  process(prim: AnyPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): NdArray {
    return metaOf(prim.shape(inputs.map(avalOf), params))
  }

  processMulti(prim: AnyMultiPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): ReadonlyArray<NdArray> {
    return prim.shape(inputs.map(avalOf), params).map(metaOf)
  }
}

const avalOf = (x: NdArray): Aval => ({ shape: x.shape, dtype: x.dtype })

const LEVEL = new MetaLevel()

/** Set once the first meta value is made: until then ops skip the device checks (see `./metaOps.ts`). */
let made = false

/** True once any meta value was made (ops then check that their tensors share one device). */
export const metaInUse = (): boolean => made

/** A meta value: shape and dtype, no data. */
export class MetaTracer extends Tracer {
  readonly primal: NdArray
  constructor(shape: Shape, dtype: DType) {
    const hollow = new HollowArray(shape, dtype)
    super(LEVEL, hollow)
    this.primal = hollow
    setSize(this, shape)
    made = true
  }
  override _values(_op: string): TypedArray {
    throw new NotImplementedError(ERR_META_COPY)
  }
  override toString(): string {
    return `Meta<${this.dtype}[${this.shape.join(',')}]>`
  }
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** A meta value of `shape` and `dtype`. */
export const metaArray = (shape: Shape, dtype: DType): NdArray => new MetaTracer(shape, dtype)

/** A meta value of an aval. */
export const metaOf = (a: Aval): NdArray => new MetaTracer(a.shape, a.dtype)

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** True when `x` is a meta value, or a tracer (autograd, create_graph) standing for one. */
export const isMeta = (x: NdArray): boolean => {
  let v: NdArray = x
  while (v instanceof Tracer) {
    if (v instanceof MetaTracer) return true
    v = v.primal
  }
  return false
}

/**
 * True when `x`'s data cannot be read: a meta value, or one staged by jit or vmap. Ops that read
 * index data (gather, embedding, losses with class targets) then build their selection from
 * primitives, so that on meta they run the shape rules alone, as PyTorch's meta kernels do.
 */
export const unreadable = (x: NdArray): boolean => isMeta(x) || isAbstract(x)

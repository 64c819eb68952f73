/**
 * The sparse methods of tensors: on dense tensors `to_sparse`, `to_dense` (itself), `is_sparse`
 * (false), `sparse_dim` (0), `dense_dim` (dim()) and the sparse accessors' layout errors; on
 * sparse COO tensors the sparse forms of those and of `mm`/`matmul`/`t`/`transpose`/`mul`/`add`.
 * Every other tensor method of a sparse tensor raises `NotImplementedError` naming the op, so
 * no op silently reads a sparse tensor as dense.
 *
 * @category torch
 * @since 0.3.0
 */
import { Tensor } from '../tensor'
import { CPU, type device } from '../device'
import { NotImplementedError, RuntimeError } from '../errors'
import type { Layout } from '../methods/tensorMisc'
import { SparseCooTensor, requireSparse, sparse_coo, unsupportedText } from './coo'
import { coalesce, toSparse } from './construct'
import { addSparse, castSparse, denseLayoutMm, mulScalar, t, toDense, transpose } from './ops'
import { float32, float64 } from '../dtype'
import { defineKindMethods, refuseOtherMethods } from '../tensorKindMethods'
import { denseSparseAdd } from './denseAdd'
import { sparseMask } from './product'

declare module '../tensor.js' {
  interface Tensor {
    /** True for a sparse COO tensor. */
    readonly is_sparse: boolean
    /** A sparse COO copy: the nonzero entries (or nonzero blocks past `sparse_dim`), coalesced. */
    to_sparse(sparse_dim?: number | { readonly sparse_dim?: number; readonly layout?: Layout }): Tensor
    /** The dense tensor (a dense tensor returns itself). */
    to_dense(): Tensor
    /** Number of sparse dimensions (0 for a dense tensor). */
    sparse_dim(): number
    /** Number of dense dimensions (dim() for a dense tensor). */
    dense_dim(): number
    /** A coalesced sparse tensor's indices (sparse_dim × nnz, int64). */
    indices(): Tensor
    /** A coalesced sparse tensor's values (nnz × dense sizes). */
    values(): Tensor
    /** A sparse tensor's indices, coalesced or not. */
    _indices(): Tensor
    /** A sparse tensor's values, coalesced or not. */
    _values(): Tensor
    /** A sparse tensor's number of stored entries. */
    _nnz(): number
    /** Sorted unique indices, duplicates summed. */
    coalesce(): Tensor
    /** The entries of this dense tensor at a coalesced sparse `mask`'s pattern (a sparse tensor). */
    sparse_mask(mask: Tensor): Tensor
    /** Whether a sparse tensor's indices are known sorted and unique. */
    is_coalesced(): boolean
  }
}

const denseMethods: Record<string, (this: Tensor, ...a: never[]) => unknown> = {
  to_sparse(this: Tensor, ...args: unknown[]) {
    return toSparse(this, ...args)
  },
  to_dense(this: Tensor) {
    return this
  },
  sparse_dim: () => 0,
  dense_dim(this: Tensor) {
    return this.dim()
  },
  indices(this: Tensor) {
    return requireSparse('indices', this)
  },
  values(this: Tensor) {
    return requireSparse('values', this, 'sparse tensor layout')
  },
  _indices(this: Tensor) {
    throw new NotImplementedError(
      `Could not run 'aten::_indices' with arguments from the 'CPU' backend (a dense tensor)`,
    )
  },
  _values(this: Tensor) {
    throw new NotImplementedError(
      `Could not run 'aten::_values' with arguments from the 'CPU' backend (a dense tensor)`,
    )
  },
  _nnz(this: Tensor) {
    throw new NotImplementedError(`Could not run 'aten::_nnz' with arguments from the 'CPU' backend (a dense tensor)`)
  },
  sparse_mask(this: Tensor, mask: Tensor) {
    return sparseMask(this, mask)
  },
  coalesce(this: Tensor) {
    return requireSparse('coalesce', this)
  },
  is_coalesced(this: Tensor) {
    return requireSparse('is_coalesced', this)
  },
}

type S = SparseCooTensor

const uncoalesced = (what: string): RuntimeError =>
  new RuntimeError(`Cannot get ${what} on an uncoalesced tensor, please call .coalesce() first`)

const sparseMethods: Record<string, (this: S, ...a: never[]) => unknown> = {
  to_sparse: () => {
    throw new NotImplementedError(unsupportedText('to_sparse'))
  },
  to_dense(this: S) {
    return toDense(this)
  },
  sparse_dim(this: S) {
    return this._idx.size(0)
  },
  dense_dim(this: S) {
    return this._vals.dim() - 1
  },
  indices(this: S) {
    if (!this._coalesced) throw uncoalesced('indices')
    return this._idx
  },
  values(this: S) {
    if (!this._coalesced) throw uncoalesced('values')
    return this._vals
  },
  _indices(this: S) {
    return this._idx
  },
  _values(this: S) {
    return this._vals
  },
  _nnz(this: S) {
    return this._idx.size(1)
  },
  coalesce(this: S) {
    return coalesce(this)
  },
  is_coalesced(this: S) {
    return this._coalesced
  },
  mm(this: S, other: Tensor) {
    return denseLayoutMm(this, other)
  },
  matmul(this: S, other: Tensor) {
    return denseLayoutMm(this, other)
  },
  t(this: S) {
    return t(this)
  },
  transpose(this: S, d0: number, d1: number) {
    return transpose(this, d0, d1)
  },
  mul(this: S, other: unknown) {
    return mulScalar(this, other)
  },
  add(this: S, other: unknown, kw?: { readonly alpha?: number }) {
    return addSparse(this, other, kw)
  },
  float(this: S) {
    return castSparse(this, float32)
  },
  double(this: S) {
    return castSparse(this, float64)
  },
  is_floating_point(this: S) {
    return this.dtype.is_floating_point
  },
  element_size(this: S) {
    return this._vals.element_size()
  },
}

const sparseGetters: Record<string, (this: S) => unknown> = {
  is_sparse: () => true,
  layout: () => sparse_coo,
  device: (): device => CPU,
  is_cuda: () => false,
  is_meta: () => false,
}

/** Dense `add`/`sub` (and in-place forms) with a sparse `other`: the dense-sparse sum; other operands go to the dense method. */
const routeSparseOther = (): void => {
  const proto = Tensor.prototype as unknown as Record<string, (...a: unknown[]) => unknown>
  for (const [k, name, inplace] of [
    ['add', 'add', false],
    ['sub', 'sub', false],
    ['add_', 'add', true],
    ['sub_', 'sub', true],
  ] as const) {
    const dense = proto[k] as (...a: unknown[]) => unknown
    // NOTE: `arguments` forwarded as it is (no rest list per call: issue 18, W3's add)
    const routed = function (this: Tensor, other: unknown): unknown {
      if (other instanceof SparseCooTensor && !(this instanceof SparseCooTensor) && arguments.length <= 2)
        return denseSparseAdd(name, this, other, arguments[1], inplace)
      // eslint-disable-next-line prefer-rest-params -- forwarding `arguments` keeps the call allocation-free
      return arguments.length === 1 ? dense.call(this, other) : Reflect.apply(dense, this, arguments)
    }
    Object.defineProperty(proto, k, { value: routed, writable: true, configurable: true, enumerable: false })
  }
}

let installed = false
/** Installs the sparse methods (once; after the facade's tensor methods, which the refusals cover). */
export const installSparseMethods = (): void => {
  if (installed) return
  installed = true
  defineKindMethods(Tensor.prototype, denseMethods)
  routeSparseOther()
  Object.defineProperty(Tensor.prototype, 'is_sparse', { get: () => false, configurable: true })
  defineKindMethods(SparseCooTensor.prototype, sparseMethods)
  for (const [k, g] of Object.entries(sparseGetters))
    Object.defineProperty(SparseCooTensor.prototype, k, { get: g, configurable: true })
  refuseOtherMethods(SparseCooTensor.prototype, unsupportedText)
}

/**
 * Making sparse COO tensors: `torch.sparse_coo_tensor`, `Tensor.to_sparse` and the legacy
 * constructors `torch.sparse.FloatTensor` / `DoubleTensor` (PyTorch 2.x warns that they are
 * deprecated, once).
 *
 * @category torch
 * @since 0.3.0
 */
import { Tensor, type TensorData } from '../tensor'
import { float32, float64, int64, type TorchDType } from '../dtype'
import { RuntimeError, TorchTypeError } from '../errors'
import { tensor } from '../creation'
import { warn } from '../warnings'
import {
  SparseCooTensor,
  groupsOf,
  indexTensor,
  isSparse,
  linearIndex,
  longVector,
  rowsOf,
  unravel,
  unsupportedText,
} from './coo'
import { NotImplementedError } from '../errors'
import { sparse_coo } from './coo'
import { strided, type Layout } from '../methods/tensorMisc'
import { op } from '../autograd/op'
import { scatterRows } from './kernels'

/** Keywords of `torch.sparse_coo_tensor`. @category torch @since 0.3.0 */
export interface SparseCooKw {
  readonly dtype?: TorchDType | null
  readonly device?: unknown
  readonly requires_grad?: boolean
  /** Checks the indices against the size (and `is_coalesced`) when true. */
  readonly check_invariants?: boolean | null
  /** Declares the indices sorted and unique (checked only with `check_invariants`). */
  readonly is_coalesced?: boolean | null
  readonly pin_memory?: boolean
}

const asTensor = (x: TensorData, dtype?: TorchDType): Tensor =>
  x instanceof Tensor ? x : tensor(x, dtype === undefined ? {} : { dtype })

/** The size PyTorch infers without one: each sparse dim's largest index + 1, then the values' sizes. */
const inferSize = (rows: ReadonlyArray<ReadonlyArray<number>>, vals: Tensor): number[] => [
  ...rows.map((r) => r.reduce((m, v) => Math.max(m, v + 1), 0)),
  ...vals.shape.slice(1),
]

const checkShape = (idx: Tensor, vals: Tensor, size: ReadonlyArray<number>): void => {
  if (idx.dim() !== 2) throw new RuntimeError(`indices must be sparse_dim x nnz, but got: [${idx.shape.join(', ')}]`)
  const nnz = idx.size(1)
  if (vals.dim() === 0 || vals.size(0) !== nnz)
    throw new RuntimeError(
      `indices and values must have same nnz, but got nnz from indices: ${nnz}, nnz from values: ${vals.dim() === 0 ? 1 : vals.size(0)}`,
    )
  const sd = idx.size(0)
  const dd = vals.dim() - 1
  if (size.length !== sd + dd)
    throw new RuntimeError(
      `number of dimensions must be sparse_dim (${sd}) + dense_dim (${dd}), but got ${size.length}`,
    )
  const want = size.slice(sd)
  const got = vals.shape.slice(1)
  if (want.some((d, i) => d !== got[i]))
    throw new RuntimeError(
      `values has incorrect size, expected [${[nnz, ...want].join(', ')}], got [${vals.shape.join(', ')}]`,
    )
}

const checkRange = (rows: ReadonlyArray<ReadonlyArray<number>>, size: ReadonlyArray<number>): void =>
  rows.forEach((r, d) => {
    for (const v of r) {
      if (v < 0) throw new RuntimeError(`found negative index ${v} for dim ${d}`)
      if (v >= (size[d] as number))
        throw new RuntimeError(
          `size is inconsistent with indices: for dim ${d}, size is ${size[d]} but found index ${v}`,
        )
    }
  })

/** The values a new sparse tensor holds: an alias in the graph of `v` when it requires grad, else a detached alias (or a fresh leaf). */
const valuesFor = (v: Tensor, requiresGrad: boolean): Tensor => {
  if (requiresGrad) return v.detach().requires_grad_(true)
  return v.requires_grad ? v.view(v.shape) : v.detach()
}

/**
 * `torch.sparse_coo_tensor(indices, values, size=None, *, dtype, device, requires_grad,
 * check_invariants, is_coalesced)`: a sparse COO tensor. Indices out of the size's range always
 * raise (PyTorch 2.x checks them only with `check_invariants`).
 * @example
 * import * as torch from 'wengert/torch'
 * const s = torch.sparse_coo_tensor([[0, 1], [2, 0]], [3.0, 4.0], [2, 3])
 * assert.deepStrictEqual(s.to_dense().tolist(), [[0, 0, 3], [4, 0, 0]])
 * @category torch @since 0.3.0
 */
export const sparse_coo_tensor = (
  indices: TensorData,
  values: TensorData,
  size?: ReadonlyArray<number> | SparseCooKw | null,
  kw: SparseCooKw = {},
): SparseCooTensor => {
  if (size !== null && size !== undefined && !Array.isArray(size))
    return sparse_coo_tensor(indices, values, null, size as SparseCooKw)
  if (kw.pin_memory === true) throw new RuntimeError('sparse_coo_tensor: pin_memory=True is not supported (no CUDA)')
  if (kw.device !== undefined && kw.device !== null && !String(kw.device).startsWith('cpu'))
    throw new RuntimeError(
      `sparse_coo_tensor: device ${String(kw.device)} is not supported (wengert tensors live on the CPU)`,
    )
  const idx = asTensor(indices, int64)
  const i64 = idx.dtype === int64 ? idx : idx.to(int64)
  let v = asTensor(values)
  if (kw.dtype !== undefined && kw.dtype !== null && kw.dtype !== v.dtype) v = v.to(kw.dtype)
  const rows = i64.dim() === 2 ? rowsOf(i64) : []
  const sz = size === null || size === undefined ? inferSize(rows, v) : [...(size as ReadonlyArray<number>)]
  checkShape(i64, v, sz)
  checkRange(rows, sz)
  const declared = kw.is_coalesced === true
  if (declared && kw.check_invariants === true) {
    const lin = linearIndex(rows, sz.slice(0, rows.length), i64.size(1))
    if (lin.some((l, k) => k > 0 && l <= (lin[k - 1] as number)))
      throw new RuntimeError('`coalesced` argument is True but the indices are not sorted and unique')
  }
  // one entry or none is coalesced whatever is declared (PyTorch marks it so)
  return new SparseCooTensor(i64.detach(), valuesFor(v, kw.requires_grad === true), sz, declared || i64.size(1) < 2)
}

/** `dense.to_sparse(sparse_dim?)`: the nonzero entries (or nonzero blocks of the first `sparse_dim` dims), coalesced. */
export const toSparse = (t: Tensor, ...args: ReadonlyArray<unknown>): SparseCooTensor => {
  if (isSparse(t)) throw new NotImplementedError(unsupportedText('to_sparse'))
  const a0 = args[0]
  const kw =
    a0 !== null && typeof a0 === 'object' ? (a0 as { layout?: Layout; sparse_dim?: number; blocksize?: unknown }) : {}
  const sparseDim = typeof a0 === 'number' ? a0 : (kw.sparse_dim ?? t.dim())
  if (kw.layout !== undefined && kw.layout !== null && kw.layout !== sparse_coo && kw.layout !== strided)
    throw new NotImplementedError(`to_sparse: layout ${String(kw.layout)} is not supported (only torch.sparse_coo)`)
  if (kw.blocksize !== undefined && kw.blocksize !== null)
    throw new RuntimeError('to_sparse: blocksize is only for the block layouts, which wengert does not have')
  if (!Number.isInteger(sparseDim) || sparseDim < 0 || sparseDim > t.dim())
    throw new RuntimeError(`sparse_dim must be in [0, ${t.dim()}], got ${sparseDim}`)
  const sizes = [...t.shape]
  const sparseSizes = sizes.slice(0, sparseDim)
  const blocks = sparseSizes.reduce((a, b) => a * b, 1)
  const flat = t.reshape(blocks, ...sizes.slice(sparseDim))
  const nz = flat.detach().ne(0)
  const any = (nz.dim() > 1 ? nz.reshape(blocks, -1).any(1) : nz).tolist() as boolean[]
  const lin = any.flatMap((b, k) => (b ? [k] : []))
  const rows = unravel(lin, sparseSizes)
  const vals = flat.index_select(0, longVector(lin))
  return new SparseCooTensor(indexTensor(rows, lin.length), vals, sizes, true)
}

/** `sparse.coalesce()`: sorted unique indices, duplicates' values summed (differentiable in the values). */
export const coalesce = (s: SparseCooTensor): SparseCooTensor => {
  if (s._coalesced) return s
  const sd = s._idx.size(0)
  const nnz = s._idx.size(1)
  const sparseSizes = s._size.slice(0, sd)
  const { unique, group } = groupsOf(linearIndex(rowsOf(s._idx), sparseSizes, nnz))
  const rows = unravel(unique, sparseSizes)
  const vals = op('CoalesceBackward0', [s._vals], (v) => scatterRows(v, group, unique.length))
  return new SparseCooTensor(indexTensor(rows, unique.length), vals, s._size, true)
}

const LEGACY_WARNING =
  'torch.sparse.SparseTensor(indices, values, shape, *, device=) is deprecated.  Please use torch.sparse_coo_tensor(indices, values, shape, dtype=, device=).'
const LEGACY_WARNING_NO_SHAPE =
  'torch.sparse.SparseTensor(indices, values, *, device=) is deprecated.  Please use torch.sparse_coo_tensor(indices, values, dtype=, device=).'

/** A legacy sparse constructor: `(indices, values, size?)` (the values' dtype is kept, as PyTorch does) or `(...sizes)` (empty, of its dtype). */
const legacy = (name: string, dtype: TorchDType) =>
  function legacyCtor(...args: ReadonlyArray<unknown>): SparseCooTensor {
    if (args[0] instanceof Tensor) {
      const [i, v, size] = args as [Tensor, Tensor, ReadonlyArray<number> | undefined]
      if (!(v instanceof Tensor)) throw new TorchTypeError(`${name}(): values must be a Tensor`)
      if (v.dtype !== dtype)
        throw new TorchTypeError(
          `expected ${dtype.toString().replace('torch.', '')} values for ${name} (got ${v.dtype})`,
        )
      warn(size === undefined ? LEGACY_WARNING_NO_SHAPE : LEGACY_WARNING)
      return sparse_coo_tensor(i, v, size ?? null)
    }
    const sizes = (Array.isArray(args[0]) ? args[0] : args) as ReadonlyArray<number>
    if (sizes.some((d) => typeof d !== 'number'))
      throw new TorchTypeError(`${name}(): expected (indices, values, size) or integer sizes`)
    return new SparseCooTensor(
      indexTensor(
        sizes.map(() => []),
        0,
      ),
      tensor([], { dtype }),
      sizes,
      false,
    )
  }

/** `torch.sparse.FloatTensor(indices, values, size)`: the legacy float32 sparse constructor. @category torch @since 0.3.0 */
export const FloatTensor = legacy('torch.sparse.FloatTensor', float32)
/** `torch.sparse.DoubleTensor(indices, values, size)`: the legacy float64 sparse constructor. @category torch @since 0.3.0 */
export const DoubleTensor = legacy('torch.sparse.DoubleTensor', float64)

/**
 * PyTorch's fused "scaled input plus scaled product" family as Tensor methods: `addmm`,
 * `addmv`, `addr`, `baddbmm`, `addbmm` — `beta·self + alpha·(product)`, with `self` broadcast to
 * the product's shape (never grown beyond it) and PyTorch's node names (AddmmBackward0,
 * AddmvBackward0, AddrBackward0, BaddbmmBackward0, AddbmmBackward0). With `beta = 0`, `self` is
 * ignored (NaN and inf in it do not propagate), as in PyTorch.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.tensor([[1, 2], [3, 4]])
 * assert.strictEqual(String(torch.ones(2).addmm(m, m, { beta: 2, alpha: 0.5 })), 'tensor([[ 5.5000,  7.0000],\n        [ 9.5000, 13.0000]])')
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { checkOptions } from '../../internal/options'
import { isColumnMajor, markColumnMajor } from '../autograd/gradLayout'
import { fwdState } from '../autograd/forwardAdState'
import { dimsOf, heldMatrixOf } from '../autograd/swapped'
import { isMeta } from '../meta'
import { op, type OpOptions } from '../autograd/op'
import { addmmFormula, addmmGrads } from './addmmGrad'
import { productIgnoringSelf, scaledProduct } from './gradKernels'
import { mvKernel } from './reduceZeros'
import { RuntimeError } from '../errors'
import { asTensor } from '../pyTypeName'
import { expandedSizes } from './shape'
import type { Tensor } from '../tensor'

type T = Tensor

/** The keyword arguments `beta` (scale of `self`) and `alpha` (scale of the product). */
export interface AddmmKw {
  readonly beta?: number
  readonly alpha?: number
}

// NOTE: shapes and dtypes are read without computing a held t() view's value (autograd/swapped.ts)
const dims = (t: T): ReadonlyArray<number> => dimsOf(asTensor(t))

/** A tensor's storage dtype (a held view's: its matrix's). */
const dtypeOf = (t: T): string => (heldMatrixOf(t) ?? t._value()).dtype

const sameDtypes = (self: T, a: T, b: T): void => {
  if (dtypeOf(a) !== dtypeOf(b) || dtypeOf(self) !== dtypeOf(a))
    throw new RuntimeError('self and mat2 must have the same dtype')
}

/**
 * Which of addmm's matrices (bit 1: mat1, bit 2: mat2) are held t() views its product reads as
 * the matrices they transpose (not under forward AD, whose tangents are the views', nor meta).
 */
const heldOperands = (mat1: T, mat2: T): number => {
  if (fwdState.level >= 0) return 0
  const h = (t: T, bit: number): number => {
    const m = heldMatrixOf(t)
    return m !== undefined && !isMeta(m) ? bit : 0
  }
  return h(mat1, 2) | h(mat2, 4)
}

/** Records `beta·self + alpha·prod(a, b)` under `name`, checking `self` expands to `outShape`. */
/** Inputs [self, a, b] of a fused product: a is saved when b needs a gradient, and b when a does. */
const productSaves = (needs: ReadonlyArray<boolean>): number[] => [
  ...(needs[2] === true ? [1] : []),
  ...(needs[1] === true ? [2] : []),
]

const fused = (
  name: string,
  self: T,
  a: T,
  b: T,
  kw: AddmmKw,
  outShape: ReadonlyArray<number>,
  prod: (x: NdArray, y: NdArray) => NdArray,
  options?: (alpha: number, beta: number) => OpOptions,
  held = 0,
): T => {
  const { beta = 1, alpha = 1 } = checkOptions(name, kw, ['beta', 'alpha'])
  sameDtypes(self, a, b)
  // PyTorch's expand error when self does not broadcast to the result (the sizes checked only: an
  // expand op here recorded a view node and broadcast self's values, for nothing, on every call)
  expandedSizes(self.dtype.typeName, dims(self), outShape)
  // the node saves each product operand when the other needs a gradient (mm_mat1_backward(grad,
  // mat2, …), grad.bmm(batch2.transpose(1, 2)), grad.ger(vec), …)
  const opts = { saves: productSaves, ...options?.(alpha, beta), ...(held === 0 ? {} : { held }) }
  return op(
    name,
    [self, a, b],
    (x, y, z) => {
      const scaledP = alpha === 1 ? prod(y, z) : scaledProduct(prod, alpha)(y, z)
      if (beta === 0) return productIgnoringSelf(x, scaledP)
      const sx = beta === 1 ? x : lax.mulScalar(x, beta)
      // NOTE: an op with its own gradients (addmm) adds self broadcasting in the kernel, with no
      // expanded copy of it (self was checked to expand to outShape, so the sum has that shape);
      // the others keep the broadcast, whose rule their create_graph gradients run through
      return opts?.grads !== undefined ? lax.add(sx, scaledP) : lax.add(lax.broadcastTo(sx, outShape), scaledP)
    },
    opts,
  )
}

const needMatrix = (t: T, what: string): void => {
  const n = dims(t).length
  if (n !== 2) throw new RuntimeError(`${what} must be a matrix, got ${n}-D tensor`)
}

const need3d = (t: T, what: string): void => {
  if (dims(t).length !== 3) throw new RuntimeError(`${what} must be a 3D tensor`)
}

/** The fused products installed on Tensor (their torch.* forms take `input` first). */
export const addmmMethods = {
  /** `beta·self + alpha·(mat1 @ mat2)` for matrices (AddmmBackward0). */
  addmm(this: T, mat1: T, mat2: T, kw: AddmmKw = {}): T {
    needMatrix(mat1, 'mat1')
    needMatrix(mat2, 'mat2')
    const [n, k] = dims(mat1) as [number, number]
    const [k2, m] = dims(mat2) as [number, number]
    if (k !== k2) throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${n}x${k} and ${k2}x${m})`)
    const col = [isColumnMajor(mat1), isColumnMajor(mat2)] as const
    // a held operand is its matrix, stored transposed: the product reads it with the flag flipped
    const held = heldOperands(mat1, mat2)
    const ht = [(held & 2) !== 0, (held & 4) !== 0] as const
    const out = fused(
      'AddmmBackward0',
      this,
      mat1,
      mat2,
      kw,
      [n, m],
      (x, y) => lax.matmul(x, y, ht[0], ht[1]),
      (alpha, beta) => ({ grads: addmmGrads(alpha, beta, col, ht), formula: addmmFormula(alpha, beta, col) }),
      held,
    )
    markColumnMajor(out._gradFn, [null, mat1, mat2])
    return out
  },
  /** `beta·self + alpha·(mat @ vec)` (AddmvBackward0). */
  addmv(this: T, mat: T, vec: T, kw: AddmmKw = {}): T {
    const [a, v] = [dims(mat), dims(vec)]
    if (a.length !== 2 || v.length !== 1)
      throw new RuntimeError(`vector + matrix @ vector expected, got ${dims(this).length}, ${a.length}, ${v.length}`)
    const [n, k] = a as [number, number]
    if (k !== v[0] || (dims(this).length > 0 && dims(this)[0] !== n && dims(this)[0] !== 1))
      throw new RuntimeError(`size mismatch, got input (${dims(this)[0] ?? 1}), mat (${n}x${k}), vec (${v[0]})`)
    // mv's gradients: grad.ger(vec) (products, no sum: a zero gradient keeps its sign) and mat.t().mv(grad)
    return fused('AddmvBackward0', this, mat, vec, kw, [n], mvKernel)
  },
  /** `beta·self + alpha·outer(vec1, vec2)` (AddrBackward0). */
  addr(this: T, vec1: T, vec2: T, kw: AddmmKw = {}): T {
    for (const [t, w] of [
      [vec1, 'vec1'],
      [vec2, 'vec2'],
    ] as const)
      if (dims(t).length !== 1) throw new RuntimeError(`addr: Expected 1-D argument ${w}, but got ${dims(t).length}-D`)
    const [n, m] = [dims(vec1)[0] as number, dims(vec2)[0] as number]
    return fused('AddrBackward0', this, vec1, vec2, kw, [n, m], (x, y) =>
      lax.matmul(lax.reshape(x, [n, 1]), lax.reshape(y, [1, m])),
    )
  },
  /** `beta·self + alpha·bmm(batch1, batch2)` (BaddbmmBackward0). */
  baddbmm(this: T, batch1: T, batch2: T, kw: AddmmKw = {}): T {
    const [b, n, m] = batchShape(batch1, batch2)
    return fused('BaddbmmBackward0', this, batch1, batch2, kw, [b, n, m], (x, y) => lax.matmul(x, y))
  },
  /** `beta·self + alpha·Σ_b batch1[b] @ batch2[b]` (AddbmmBackward0). */
  addbmm(this: T, batch1: T, batch2: T, kw: AddmmKw = {}): T {
    need3d(batch1, 'batch1')
    need3d(batch2, 'batch2')
    const [, n, k] = dims(batch1) as [number, number, number]
    const [, k2, m] = dims(batch2) as [number, number, number]
    if (k !== k2 || dims(batch1)[0] !== dims(batch2)[0])
      throw new RuntimeError(`Incompatible matrix sizes for bmm (${n}x${k} and ${k2}x${m})`)
    return fused('AddbmmBackward0', this, batch1, batch2, kw, [n, m], (x, y) => lax.reduceSum(lax.matmul(x, y), [0]))
  },
}

/** Checks `bmm`'s operands; returns the result's shape. */
const batchShape = (batch1: T, batch2: T): [number, number, number] => {
  need3d(batch1, 'batch1')
  need3d(batch2, 'batch2')
  const [b, n, k] = dims(batch1) as [number, number, number]
  const [b2, k2, m] = dims(batch2) as [number, number, number]
  if (b !== b2 || k !== k2)
    throw new RuntimeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${b}, ${k}] but got: [${b2}, ${k2}].`,
    )
  return [b, n, m]
}

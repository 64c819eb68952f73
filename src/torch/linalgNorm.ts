/**
 * Norms of the facade: `torch.linalg.vector_norm` (`LinalgVectorNormBackward0`),
 * `torch.linalg.matrix_norm` (PyTorch's composition: `abs → sum → amax/amin` for ±1/±∞,
 * `svdvals → amax/amin/sum` for ±2/'nuc', a vector norm for 'fro') and `torch.linalg.norm`,
 * with PyTorch's argument rules and error texts. NOTE: unlike
 * `wengert`'s `linalg.norm` (JAX: NaN), the gradient of a norm at a zero vector is 0 here, as
 * PyTorch's `linalg_vector_norm_backward` masks it.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { normalizeAxis } from '../ndarray/shape'
import type { NdArray } from '../ndarray/NdArray'
import * as L from '../ops/linalg/index'
import { NO_GRADIENT, op } from './autograd/op'
import { withReductionLayout } from './autograd/iterLayout'
import type { TorchDType } from './dtype'
import { RuntimeError, TorchTypeError } from './errors'
import type { Tensor } from './install'
import { parseArgs, type PyArgs } from './kwargs'
import { svdvals } from './linalg'
import { checkFloatInput } from './linalgDecompositions'
import { linalgEntry } from './namespaceSignatures'

/** A dim argument of the norms: one dim, several, or null (all). @category torch @since 0.2.0 */
export type Dims = number | ReadonlyArray<number> | null

/** Keyword arguments of the norms. @category torch @since 0.2.0 */
export interface NormKw {
  readonly ord?: number | 'fro' | 'nuc' | null
  readonly dim?: Dims
  readonly keepdim?: boolean
  /** The input is cast to this floating dtype first (a narrowing cast is refused, as in PyTorch). */
  readonly dtype?: TorchDType | null
}

const dimList = (fn: string, dim: Dims | undefined, ndim: number): number[] | null =>
  dim === undefined || dim === null
    ? null
    : (typeof dim === 'number' ? [dim] : [...dim]).map((d) => normalizeAxis(fn, d, Math.max(ndim, 1)))

const dtypeWord = (d: TorchDType): string => d.typeName.replace(/^torch\./, '').replace(/Tensor$/, '')
/** Widening order of the real floating dtypes (float16 and bfloat16 do not widen into each other). */
const FLOAT_RANK: Readonly<Record<string, number>> = { Half: 1, BFloat16: 1, Float: 2, Double: 3 }

/**
 * The input cast to the norm's `dtype=` as PyTorch allows it: a floating input, a floating dtype,
 * and no narrowing (float64 → float32 is refused, float32 → float64 taken).
 */
const withDtype = (op: string, x: Tensor, dtype: TorchDType | null | undefined): Tensor => {
  if (dtype === undefined || dtype === null) return x
  checkFloatInput(op, x)
  const [from, to] = [dtypeWord(x.dtype), dtypeWord(dtype)]
  if (!dtype.is_floating_point)
    throw new RuntimeError(`${op}: dtype should be floating point or complex, but got ${to}`)
  const [rf, rt] = [FLOAT_RANK[from], FLOAT_RANK[to]]
  if (rf !== undefined && rt !== undefined && (rt < rf || (rt === rf && from !== to)))
    throw new RuntimeError(
      `${op}: the dtype of the input (${from}) should be convertible without narrowing to the specified dtype (${to})`,
    )
  return dtype === x.dtype ? x : x.to(dtype)
}

/**
 * The vector norm with PyTorch's gradient at a zero vector (0): where every |x| of a reduced
 * group is 0, the norm is computed on ones and replaced by 0, so no 0/0 reaches the gradient.
 */
export const maskedVectorNorm = (x: NdArray, ord: number, axes: number[] | null, keepdims: boolean): NdArray => {
  const axis = axes ?? null
  if (ord === 0) return L.vectorNorm(x, { ord, axis, keepdims })
  // |x| as x·sign(x): the gradient at x = 0 is sign(0) = 0, as PyTorch's
  if (ord === 1) return L.vectorNorm(lax.mul(x, lax.sign(x)), { ord, axis, keepdims })
  const zero = lax.eq(L.vectorNorm(lax.stopGradient(x), { ord: Infinity, axis, keepdims: true }), lax.scalarLike(0, x))
  const safe = lax.select(lax.broadcastTo(zero, x.shape), lax.broadcastTo(lax.scalarLike(1, x), x.shape), x)
  const n = L.vectorNorm(safe, { ord, axis, keepdims: true })
  const r = lax.select(zero, lax.broadcastTo(lax.scalarLike(0, n), n.shape), n)
  return keepdims
    ? r
    : lax.reshape(
        r,
        r.shape.filter((_, i) => !(axes ?? r.shape.map((__, j) => j)).includes(i)),
      )
}

/** A vector norm under the node `name` (`fn` names the op in errors). */
export const vectorNormOp = (
  name: string,
  fn: string,
  x: Tensor,
  ord: unknown,
  dim: Dims | undefined,
  keepdim: boolean,
): Tensor => {
  if (typeof ord !== 'number')
    throw new TorchTypeError(
      `${fn}(): argument 'ord' must be Number, not ${typeof ord === 'string' ? 'str' : typeof ord}`,
    )
  checkFloatInput('linalg.vector_norm', x)
  const axes = dimList(fn, dim, x.dim())
  return withReductionLayout(
    // the node saves self and result (linalg_vector_norm_backward / norm_backward(grad, self, p, result, …))
    op(name, [x], (v) => maskedVectorNorm(v, ord, axes, keepdim), {
      saves: [0],
      savesOutput: true,
      ...(ord === 0 ? NO_GRADIENT : {}),
    }),
    x,
    axes ?? x.shape.map((_, d) => d),
  )
}

/**
 * `torch.linalg.vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None)`: the norm of
 * order `ord` (any number, ±Infinity, 0) over `dim` (all elements by default).
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([[3, 0], [0, -4]], { dtype: torch.float64, requires_grad: true })
 * const n = torch.linalg.vector_norm(x)
 * assert.strictEqual(n.item(), 5)
 * assert.strictEqual(n.grad_fn?.name(), 'LinalgVectorNormBackward0')
 * assert.deepStrictEqual(torch.linalg.vector_norm(x, 1, 1).tolist(), [3, 4])
 * @category torch @since 0.2.0
 */
export const vector_norm = linalgEntry(
  'vector_norm',
  (
    x: Tensor,
    ...args: PyArgs<[ord: number, dim: Dims, keepdim: boolean], Omit<NormKw, 'ord'> & { readonly ord?: number }>
  ): Tensor => {
    const a = parseArgs('linalg_vector_norm', args, ['ord', 'dim', 'keepdim', 'dtype'])
    const xs = withDtype('linalg.vector_norm', x, a.dtype as TorchDType | null | undefined)
    return vectorNormOp(
      'LinalgVectorNormBackward0',
      'linalg_vector_norm',
      xs,
      a.ord ?? 2,
      a.dim as Dims,
      (a.keepdim as boolean) ?? false,
    )
  },
)

const MATRIX_ORDS: ReadonlyArray<unknown> = ['fro', 'nuc', 1, -1, 2, -2, Infinity, -Infinity]

const matrixNormOf = (A: Tensor, ord: unknown, dim: ReadonlyArray<number>, keepdim: boolean): Tensor => {
  if (A.dim() < 2) throw new RuntimeError('linalg.matrix_norm: The input tensor A must have at least 2 dimensions.')
  checkFloatInput('linalg.matrix_norm', A)
  if (dim.length !== 2) throw new RuntimeError(`linalg.matrix_norm: dim must be a 2-tuple. Got ${dim.join(' ')}`)
  const [d0, d1] = dim.map((d) => normalizeAxis('linalg.matrix_norm', d, A.dim())) as [number, number]
  if (d0 === d1) throw new RuntimeError(`linalg.matrix_norm: dims must be different. Got (${dim[0]}, ${dim[1]})`)
  if (!MATRIX_ORDS.includes(ord)) throw new RuntimeError(`linalg.matrix_norm: Order ${String(ord)} not supported.`)
  if (ord === 'fro') return vectorNormOp('LinalgVectorNormBackward0', 'linalg_vector_norm', A, 2, [d0, d1], keepdim)
  if (ord === 'nuc' || ord === 2 || ord === -2) {
    const rest = A.shape.map((_, i) => i).filter((i) => i !== d0 && i !== d1)
    const s = svdvals(A.permute([...rest, d0, d1]))
    const r = ord === 'nuc' ? s.sum(-1) : ord === 2 ? s.amax(-1) : s.amin(-1)
    return keepdim ? r.reshape(A.shape.map((n, i) => (i === d0 || i === d1 ? 1 : n))) : r
  }
  // ±1: column sums (over rows d0) then max/min over columns; ±∞: the other way round (PyTorch)
  let [sumDim, redDim] = ord === Infinity || ord === -Infinity ? [d1, d0] : [d0, d1]
  if (!keepdim && sumDim < redDim) redDim--
  const sums = A.abs().sum(sumDim, { keepdim })
  return (ord as number) > 0 ? sums.amax(redDim, { keepdim }) : sums.amin(redDim, { keepdim })
}

/**
 * `torch.linalg.matrix_norm(A, ord='fro', dim=(-2, -1), keepdim=False, *, dtype=None)`: 'fro',
 * 'nuc', ±1, ±2, ±Infinity, batched.
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[1, -2], [3, 4]], { dtype: torch.float64, requires_grad: true })
 * assert.strictEqual(torch.linalg.matrix_norm(a, 1).item(), 6)
 * assert.strictEqual(torch.linalg.matrix_norm(a, Infinity).grad_fn?.name(), 'AmaxBackward0')
 * @category torch @since 0.2.0
 */
export const matrix_norm = linalgEntry(
  'matrix_norm',
  (
    A: Tensor,
    ...args: PyArgs<[ord: number | 'fro' | 'nuc', dim: ReadonlyArray<number>, keepdim: boolean], NormKw>
  ): Tensor => {
    const a = parseArgs('linalg_matrix_norm', args, ['ord', 'dim', 'keepdim', 'dtype'])
    const As = withDtype('linalg.matrix_norm', A, a.dtype as TorchDType | null | undefined)
    const dim = (a.dim as ReadonlyArray<number> | undefined) ?? [-2, -1]
    return matrixNormOf(As, a.ord ?? 'fro', typeof dim === 'number' ? [dim] : dim, (a.keepdim as boolean) ?? false)
  },
)

/**
 * `torch.linalg.norm(A, ord=None, dim=None, keepdim=False, *, dtype=None)`: a vector norm (one
 * dim, or a 1-D input), a matrix norm (two dims, or a 2-D input with `ord`), or without `ord`
 * and `dim` the 2-norm of all elements.
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[3, 0], [0, -4]], { dtype: torch.float64 })
 * assert.strictEqual(torch.linalg.norm(a).item(), 5)
 * assert.strictEqual(torch.linalg.norm(a, 'nuc').item(), 7)
 * assert.deepStrictEqual(torch.linalg.norm(a, { dim: 0 }).tolist(), [3, 4])
 * @category torch @since 0.2.0
 */
export const norm = linalgEntry(
  'norm',
  (A: Tensor, ...args: PyArgs<[ord: number | 'fro' | 'nuc' | null, dim: Dims, keepdim: boolean], NormKw>): Tensor => {
    const a = parseArgs('linalg_norm', args, ['ord', 'dim', 'keepdim', 'dtype'])
    const dims =
      a.dim === undefined || a.dim === null ? null : typeof a.dim === 'number' ? 1 : (a.dim as number[]).length
    const matrixCase = dims === 2 || (dims === null && a.ord !== undefined && a.ord !== null && A.dim() === 2)
    const As = withDtype(
      matrixCase ? 'linalg.matrix_norm' : 'linalg.vector_norm',
      A,
      a.dtype as TorchDType | null | undefined,
    )
    const keepdim = (a.keepdim as boolean) ?? false
    const ord = a.ord ?? null
    const dim =
      a.dim === undefined || a.dim === null ? null : typeof a.dim === 'number' ? [a.dim] : [...(a.dim as number[])]
    if (dim !== null) {
      if (dim.length === 1) {
        if (typeof ord === 'string') throw new RuntimeError(`linalg.matrix_norm: dim must be a 2-tuple. Got ${dim[0]}`)
        return vectorNormOp('LinalgVectorNormBackward0', 'linalg_vector_norm', As, ord ?? 2, dim, keepdim)
      }
      if (dim.length === 2) return matrixNormOf(As, ord ?? 'fro', dim, keepdim)
      throw new RuntimeError(`linalg.norm: If dim is specified, it must be of length 1 or 2. Got [${dim.join(', ')}]`)
    }
    if (ord === null) return vectorNormOp('LinalgVectorNormBackward0', 'linalg_vector_norm', As, 2, null, keepdim)
    if (As.dim() !== 1 && As.dim() !== 2)
      throw new RuntimeError(
        `linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got ${As.dim()}D.`,
      )
    if (As.dim() === 1) return vectorNormOp('LinalgVectorNormBackward0', 'linalg_vector_norm', As, ord, null, keepdim)
    return matrixNormOf(As, ord, [0, 1], keepdim)
  },
)

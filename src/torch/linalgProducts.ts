/**
 * Products, distances and least squares of the facade: `torch.linalg.cross`/`torch.cross`
 * (`LinalgCrossBackward0`), `torch.linalg.vander`/`torch.vander`, `torch.linalg.lstsq`
 * (`LinalgLstsqBackward0`, PyTorch's per-driver residuals/rank/singular_values),
 * `torch.linalg.cond`, `torch.cdist` (`CdistBackward0`, gradient 0 at a zero distance as
 * PyTorch's), `torch.kron`, `torch.tensordot`, `torch.ger`. Values and derivatives from the
 * `wengert` linalg ops; PyTorch's argument rules and error texts.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import type { NdArray } from '../ndarray/NdArray'
import { normalizeAxis } from '../ndarray/shape'
import * as L from '../ops/linalg/index'
import { vander as vanderOp } from '../ops/linalg/extra'
import { kron as kronOp } from '../ops/linalg/products'
import { defaultRtol } from '../ops/linalg/pinv'
import { op } from './autograd/op'
import { colMajorResult, markSolverGrads } from './autograd/solverLayout'
import { zeros } from './creation'
import { int64 } from './dtype'
import { RuntimeError } from './errors'
import { exactKeywords, parseArgs, type PyArgs } from './kwargs'
import type { Tensor } from './install'
import { checkFloatInput } from './linalgDecompositions'
import { maskedVectorNorm } from './linalgNorm'
import { broadcastMul, cdistWithGrad } from './methods/gradKernels'
import { cdistGrads } from './methods/cdistGrads'
import { Tensor as TensorCore } from './tensor'
import { requirePyTensorArgs, requireTensorArgs } from './pyTypeName'
import { linalgEntry } from './namespaceSignatures'

/**
 * `torch.linalg.cross(input, other, dim=-1)`: cross product of 3-vectors along `dim`, broadcasting.
 * @example
 * import * as torch from 'wengert/torch'
 * const c = torch.linalg.cross(torch.tensor([1, 0, 0]), torch.tensor([0, 1, 0]))
 * assert.deepStrictEqual(c.tolist(), [0, 0, 1])
 * @category torch @since 0.2.0
 */
export const cross = linalgEntry(
  'cross',
  (input: Tensor, other: Tensor, dimOrKw: number | { readonly dim?: number } = -1): Tensor => {
    const dim = typeof dimOrKw === 'number' ? dimOrKw : ((parseArgs('cross', [dimOrKw], ['dim']).dim as number) ?? -1)
    const [n, m] = [
      input.shape[normalizeAxis('linalg.cross', dim, input.dim())],
      other.shape[normalizeAxis('linalg.cross', dim, other.dim())],
    ]
    if (n !== 3 || m !== 3)
      throw new RuntimeError(`linalg.cross: inputs dimension ${dim} must have length 3. Got ${n} and ${m}`)
    return op('LinalgCrossBackward0', [input, other], (a, b) => L.cross(a, b, { axis: dim }))
  },
)

/**
 * `torch.cross(input, other, dim=None)`: as {@link cross}; without `dim`, the first dimension of size 3.
 * @example
 * import * as torch from 'wengert/torch'
 * const c = torch.cross(torch.tensor([[1], [0], [0]]), torch.tensor([[0], [1], [0]]))
 * assert.deepStrictEqual(c.tolist(), [[0], [0], [1]])
 * @category torch @since 0.2.0
 */
export const torchCross = (
  input: Tensor,
  other: Tensor,
  ...args: PyArgs<[dim: number | null], { readonly dim?: number | null }>
): Tensor => {
  requireTensorArgs('cross', ['input', 'other'], [input, other])
  const dim = parseArgs('cross', args, ['dim']).dim as number | null | undefined
  if (dim !== undefined && dim !== null) return cross(input, other, dim)
  const first = input.shape.findIndex((d) => d === 3)
  if (first < 0) throw new RuntimeError('no dimension of size 3 in input')
  return cross(input, other, first)
}

/** The powers x⁰ … x^(N−1) of the last axis of `x`, by repeated multiplication, on a new last axis. */
const powers = (x: NdArray, n: number): NdArray[] => {
  const col = lax.reshape(x, [...x.shape, 1])
  const out: NdArray[] = []
  for (let p = 0; p < n; p++)
    out.push(
      p === 0
        ? lax.broadcastTo(lax.scalarLike(1, col), col.shape)
        : p === 1
          ? col
          : lax.mul(out[p - 1] as NdArray, col),
    )
  return out
}

/**
 * `torch.linalg.vander(x, N=None)`: increasing powers x⁰, x¹, … (N columns, default len(x)), batched over leading dims.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.linalg.vander(torch.tensor([2, 3])).tolist(), [[1, 2], [1, 3]])
 * @category torch @since 0.2.0
 */
export const vander = linalgEntry('vander', (x: Tensor, kw: { readonly N?: number | null } = {}): Tensor => {
  if (x.dim() < 1) throw new RuntimeError('linalg.vander: x must have at least one dimension.')
  const n = kw.N ?? (x.shape[x.dim() - 1] as number)
  if (n <= 1) throw new RuntimeError('N must be greater than 1.')
  return op('CatBackward0', [x], (v) => lax.concatenate(powers(v, n), v.ndim))
})

/**
 * `torch.vander(x, N=None, increasing=False)` of a 1-D `x`: decreasing powers unless `increasing`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.vander(torch.tensor([2, 3]), 3).tolist(), [[4, 2, 1], [9, 3, 1]])
 * @category torch @since 0.2.0
 */
export const torchVander = (x: Tensor, N: number | null = null, increasing = false): Tensor => {
  requireTensorArgs('vander', ['x'], [x])
  if (x.dim() !== 1) throw new RuntimeError('x must be a one-dimensional tensor.')
  const n = N ?? (x.shape[0] as number)
  if (n < 0) throw new RuntimeError('N must be non-negative.')
  return op(increasing ? 'CatBackward0' : 'FlipBackward0', [x], (v) => vanderOp(v, n, { increasing }))
}

/** PyTorch's `torch.return_types.linalg_lstsq`. @category torch @since 0.2.0 */
export type LstsqResult = [Tensor, Tensor, Tensor, Tensor] & {
  readonly solution: Tensor
  readonly residuals: Tensor
  readonly rank: Tensor
  readonly singular_values: Tensor
}

const DRIVERS = ['gels', 'gelsy', 'gelsd', 'gelss']

/**
 * `torch.linalg.lstsq(A, B, rcond=None, *, driver=None)`: least-squares solution from the SVD,
 * batched. As PyTorch on CPU (default driver 'gelsy'): `residuals` (squared column norms of
 * B − A·X) only for m > n, full rank and a driver other than 'gelsy'; `rank` (int64) for every
 * driver but 'gels'; `singular_values` for 'gelsd' and 'gelss'; the others are empty.
 * @example
 * import * as torch from 'wengert/torch'
 * const A = torch.tensor([[1, 0], [0, 1], [1, 1]], { dtype: torch.float64 })
 * const { solution, residuals, rank } = torch.linalg.lstsq(A, torch.tensor([[1], [1], [0]], { dtype: torch.float64 }), { driver: 'gelsd' })
 * assert.ok(Math.abs(Number((solution.tolist() as number[][])[0]?.[0]) - 1 / 3) < 1e-12)
 * assert.ok(Math.abs(Number((residuals.tolist() as number[])[0]) - 4 / 3) < 1e-12)
 * assert.strictEqual(rank.item(), 2)
 * @category torch @since 0.2.0
 */
export const lstsq = linalgEntry(
  'lstsq',
  (
    A: Tensor,
    B: Tensor,
    kw: { readonly rcond?: number | null; readonly driver?: 'gels' | 'gelsy' | 'gelsd' | 'gelss' | null } = {},
  ): LstsqResult => {
    const driver = kw.driver ?? 'gelsy'
    if (!DRIVERS.includes(driver))
      throw new RuntimeError('torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)')
    checkFloatInput('linalg.lstsq', A)
    if (A.dim() < 2) throw new RuntimeError('torch.linalg.lstsq: input must have at least 2 dimensions.')
    const vector = B.dim() === A.dim() - 1
    const [m, n] = [A.shape[A.dim() - 2] as number, A.shape[A.dim() - 1] as number]
    if ((vector ? B.shape[B.dim() - 1] : B.shape[B.dim() - 2]) !== m)
      throw new RuntimeError('torch.linalg.lstsq: input.size(-2) should match other.size(-2)')
    const rtol = kw.rcond ?? undefined
    const opts = (a: NdArray): { readonly rtol: number } => ({ rtol: rtol ?? defaultRtol(a) })
    const B2 = vector ? B.unsqueeze(-1) : B
    const X2 = op('LinalgLstsqBackward0', [A, B2], (a, b) => lax.matmul(L.pinv(a, opts(a)), b))
    // the solution is the top of a column-major buffer max(m, n) rows tall; A's gradient is pinv's
    markSolverGrads(colMajorResult(X2, Math.max(m, n)), [true, false])
    const solution = vector ? X2.squeeze(-1) : X2
    const rankValue = L.matrixRank(A._value(), opts(A._value()))
    const fullRank = Array.from(rankValue.toTypedArray()).every((r) => Number(r) === n)
    const empty = zeros([0], { dtype: A.dtype })
    const residuals = m > n && fullRank && driver !== 'gelsy' ? B2.sub(A.matmul(X2)).pow(2).sum(-2) : empty
    const rankT = driver === 'gels' ? zeros([0], { dtype: int64 }) : TensorCore._fromValue(lax.cast(rankValue, 'int64'))
    const singular_values =
      driver === 'gelsd' || driver === 'gelss' ? TensorCore._fromValue(L.svdvals(A._value())) : empty
    return Object.assign([solution, residuals, rankT, singular_values], {
      solution,
      residuals,
      rank: rankT,
      singular_values,
    }) as LstsqResult
  },
)

/**
 * `torch.linalg.cond(A, p=None)`: condition number for p None/2/−2 (singular values), 'fro',
 * 'nuc', ±1, ±inf (`norm(A)·norm(A⁻¹)`), batched.
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([[4, 0], [0, 2]], { dtype: torch.float64 })
 * assert.strictEqual(torch.linalg.cond(a).item(), 2)
 * assert.strictEqual(torch.linalg.cond(a, 'fro').item(), Math.sqrt(20) * Math.sqrt(0.3125))
 * @category torch @since 0.2.0
 */
export const cond = linalgEntry(
  'cond',
  exactKeywords('linalg_cond', ['A', 'p'], (A: Tensor, p: number | 'fro' | 'nuc' | null = null): Tensor => {
    checkFloatInput('linalg.cond', A)
    if (A.dim() < 2) throw new RuntimeError('linalg.cond: The input tensor A must have at least 2 dimensions.')
    if (p !== null && ![2, -2, 'fro', 'nuc', 1, -1, Infinity, -Infinity].includes(p))
      throw new RuntimeError(`linalg.cond got an invalid norm type: ${String(p)}`)
    return op('LinalgCondBackward0', [A], (a) => L.cond(a, p))
  }),
)

const COMPUTE_MODES = ['use_mm_for_euclid_dist_if_necessary', 'use_mm_for_euclid_dist', 'donot_use_mm_for_euclid_dist']

/**
 * `torch.cdist(x1, x2, p=2, compute_mode=…)`: p-norm distances between the rows of `x1`
 * (…, P, M) and of `x2` (…, R, M), batched; `compute_mode` is accepted (the distances are always
 * computed directly, PyTorch's 'donot_use_mm_for_euclid_dist').
 * @example
 * import * as torch from 'wengert/torch'
 * const d = torch.cdist(torch.tensor([[0, 0], [3, 4]]), torch.tensor([[0, 0]]))
 * assert.deepStrictEqual(d.tolist(), [[0], [5]])
 * @category torch @since 0.2.0
 */
export const cdist = (
  x1: Tensor,
  x2: Tensor,
  ...args: PyArgs<[p: number, compute_mode: string], { readonly p?: number; readonly compute_mode?: string }>
): Tensor => {
  requirePyTensorArgs('cdist', ['x1', 'x2'], [x1, x2])
  const a = parseArgs('cdist', args, ['p', 'compute_mode'])
  const p = (a.p as number | undefined) ?? 2
  const compute_mode = (a.compute_mode as string | undefined) ?? 'use_mm_for_euclid_dist_if_necessary'
  if (x1.dim() < 2) throw new RuntimeError(`cdist only supports at least 2D tensors, X1 got: ${x1.dim()}D`)
  if (x2.dim() < 2) throw new RuntimeError(`cdist only supports at least 2D tensors, X2 got: ${x2.dim()}D`)
  const [c1, c2] = [x1.shape[x1.dim() - 1], x2.shape[x2.dim() - 1]]
  if (c1 !== c2) throw new RuntimeError(`X1 and X2 must have the same number of columns. X1: ${c1} X2: ${c2}`)
  if (!(p >= 0)) throw new RuntimeError('cdist only supports non-negative p values')
  if (!COMPUTE_MODES.includes(compute_mode))
    throw new RuntimeError(`${compute_mode} is not a valid value for compute_mode`)
  checkFloatInput('cdist', x1)
  const norm = (d: NdArray): NdArray => maskedVectorNorm(d, p, [d.ndim - 1], false)
  const general = p !== 0 && p !== 1 && p !== 2 && p !== Infinity
  // CdistBackward0 saves x1, x2 and result (_cdist_backward(grad, x1, x2, p, result))
  return op(
    'CdistBackward0',
    [x1, x2],
    general ? cdistWithGrad(p, cdistDiffs, norm) : (a, b) => norm(cdistDiffs(a, b)),
    {
      saves: [0, 1],
      savesOutput: true,
      ...(p === 1 || p === 2 || p === Infinity ? { grads: cdistGrads(p, cdistDiffs, norm) } : {}),
    },
  )
}

/** The pairwise row differences of cdist: shape […, n, m, k]. */
const cdistDiffs = (a: NdArray, b: NdArray): NdArray =>
  lax.sub(
    lax.reshape(a, [...a.shape.slice(0, -1), 1, a.shape[a.ndim - 1] as number]),
    lax.reshape(b, [...b.shape.slice(0, -2), 1, ...b.shape.slice(-2)]),
  )

/**
 * `torch.kron(input, other)`: Kronecker product of matrices or vectors.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.kron(torch.tensor([1, 2]), torch.tensor([1, 10])).tolist(), [1, 10, 2, 20])
 * @category torch @since 0.2.0
 */
export const kron = (input: Tensor, other: Tensor): Tensor =>
  op('UnsafeViewBackward0', [input, other], kronProduct, { saves: crossSaves })

/**
 * PyTorch's kron (LinearAlgebra.cpp KronImpl): `a` viewed as [m, 1, n, 1], `b` as [1, p, 1, q],
 * multiplied with broadcasting and viewed as [m·p, n·q], so the gradients are MulBackward0's summed
 * over the stretched axes only (a −0 gradient of a 1-element operand stays −0, difftest seed 326754).
 */
const kronProduct = (a: NdArray, b: NdArray): NdArray => {
  if (a.ndim > 2 || b.ndim > 2 || a.ndim !== b.ndim) return kronOp(a, b)
  const a2 = lax.reshape(
    a,
    a.shape.flatMap((d) => [d, 1]),
  )
  const b2 = lax.reshape(
    b,
    b.shape.flatMap((d) => [1, d]),
  )
  return lax.reshape(
    broadcastMul(a2, b2),
    a.shape.map((d, i) => d * (b.shape[i] as number)),
  )
}

/**
 * What a product's node saves (MulBackward0 of kron's views, BmmBackward0): each operand when the other one needs a gradient.
 */
export const crossSaves = (needs: ReadonlyArray<boolean>): number[] => [
  ...(needs[1] === true ? [0] : []),
  ...(needs[0] === true ? [1] : []),
]

export { tensordot, type TensordotDims } from './linalgTensordot'

/**
 * `torch.ger` (deprecated alias of `torch.outer`).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.ger(torch.tensor([1, 2]), torch.tensor([3, 4])).tolist(), [[3, 4], [6, 8]])
 * @category torch @since 0.2.0
 */
export const ger = (input: Tensor, vec2: Tensor): Tensor => {
  requireTensorArgs('ger', ['input', 'vec2'], [input, vec2])
  return input.outer(vec2)
}

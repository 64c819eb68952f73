/**
 * Numeric helpers ported PyTorch programs use: `bucketize`, `histc`, `logspace`, and the
 * trapezoid rule (`trapezoid` / `trapz`, `cumulative_trapezoid`) composed of facade ops as
 * PyTorch composes them (so their last nodes are PyTorch's: MulBackward1 with a spacing `dx`,
 * DivBackward1 with sample points `x`, CumsumBackward0 for the cumulative rule with `dx`).
 *
 * @category torch
 * @since 0.2.0
 */
import { NdArray } from '../../ndarray/NdArray'
import { get_default_dtype, type TorchDType } from '../dtype'
import { RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { searchsorted } from '../sorting'
import { Tensor } from '../tensor'
import { normDim, type TensorOrScalar } from './convert'
import * as lax from '../../core/lax'
import { op } from '../autograd/op'
import { invalidCombination, overloadedInput, requireTensorArgs } from '../pyTypeName'

const trapezoidInput = (fn: string, y: unknown): T => overloadedInput(fn, 'y', y)

type T = Tensor

/** Options of {@link bucketize}. @category torch @since 0.2.0 */
export interface BucketizeKw {
  /** int32 indices instead of int64. Default false. */
  readonly out_int32?: boolean
  /** False: boundaries[i−1] < x ≤ boundaries[i]; true: boundaries[i−1] ≤ x < boundaries[i]. Default false. */
  readonly right?: boolean
}

/**
 * The index of the bucket of each element between sorted 1-D `boundaries`.
 * @example
 * import * as torch from 'wengert/torch'
 * const b = torch.tensor([1, 3, 5, 7])
 * assert.deepStrictEqual(torch.bucketize(torch.tensor([0, 3, 6, 9]), b).tolist(), [0, 1, 3, 4])
 * assert.deepStrictEqual(torch.bucketize(torch.tensor([3]), b, { right: true }).tolist(), [2])
 * @category torch @since 0.2.0
 */
export const bucketize = (input: TensorOrScalar, boundaries: T, kw: BucketizeKw = {}): T => {
  if (!(boundaries instanceof Tensor) || !(input instanceof Tensor || typeof input === 'number'))
    throw invalidCombination(
      'bucketize',
      [input, boundaries, kw].filter((u) => u !== undefined),
      [],
    )
  const a = parseArgs('bucketize', [kw], ['out_int32', 'right'])
  if (boundaries.dim() !== 1)
    throw new RuntimeError(`boundaries tensor must be 1 dimension, but got dim(${boundaries.dim()})`)
  return searchsorted(boundaries, input, {
    out_int32: (a.out_int32 as boolean | undefined) ?? false,
    right: (a.right as boolean | undefined) ?? false,
  })
}

/** Options of {@link histc}. @category torch @since 0.2.0 */
export interface HistcKw {
  readonly bins?: number
  readonly min?: number
  readonly max?: number
}

/**
 * A histogram of equal-width bins between `min` and `max` (both 0: the data's range; a zero
 * range widens by 1 each side); elements outside are ignored, `max` counts in the last bin. Not
 * differentiable (as PyTorch).
 * @example
 * import * as torch from 'wengert/torch'
 * const h = torch.histc(torch.tensor([1, 2, 1, 4, 2.5]), { bins: 4, min: 0, max: 4 })
 * assert.deepStrictEqual(h.tolist(), [0, 2, 2, 1])
 * @category torch @since 0.2.0
 */
export const histc = (input: T, ...args: PyArgs<[bins: number, min: number, max: number], HistcKw>): T => {
  requireTensorArgs('histc', ['input'], [input])
  const kw = parseArgs('histc', args, ['bins', 'min', 'max']) as HistcKw
  const n = kw.bins ?? 100
  if (n <= 0) throw new RuntimeError(`torch.histc: bins must be > 0, but got ${n} for bins`)
  if (!input.dtype.is_floating_point)
    throw new RuntimeError(`"histogram_cpu" not implemented for '${input.dtype.word}'`)
  const data = Array.from(input.detach().reshape(-1).tolist() as number[])
  let [mn, mx] = [kw.min ?? 0, kw.max ?? 0]
  if (mn === mx && data.length > 0) [mn, mx] = [Math.min(...data), Math.max(...data)]
  if (mn === mx) [mn, mx] = [mn - 1, mx + 1]
  if (mn > mx) throw new RuntimeError('torch.histc: max must be larger than min')
  const counts = new Float64Array(n)
  for (const v of data) {
    if (!(v >= mn && v <= mx)) continue
    counts[Math.min(n - 1, Math.floor(((v - mn) * n) / (mx - mn)))]! += 1
  }
  return Tensor._fromValue(lax.cast(new NdArray([n], 'float64', counts), input.dtype.storage))
}

/**
 * `steps` values spaced evenly on a log scale: base^start … base^end.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.logspace(0, 2, 3).tolist(), [1, 10, 100])
 * assert.deepStrictEqual(torch.logspace(0, 3, 4, { base: 2 }).tolist(), [1, 2, 4, 8])
 * @category torch @since 0.2.0
 */
export const logspace = (
  start: number,
  end: number,
  steps: number,
  kw: { readonly base?: number; readonly dtype?: TorchDType; readonly requires_grad?: boolean } = {},
): T => {
  if (steps < 0) throw new RuntimeError('number of steps must be non-negative')
  const base = kw.base ?? 10
  const step = steps > 1 ? (end - start) / (steps - 1) : 0
  const vals = Float64Array.from({ length: steps }, (_, i) => Math.pow(base, start + i * step))
  const dt = kw.dtype ?? get_default_dtype()
  const t = Tensor._fromValue(lax.cast(new NdArray([steps], 'float64', vals), dt.storage))
  return kw.requires_grad === true ? t.requires_grad_() : t
}

/** Options of the trapezoid rules: the spacing `dx` (when no `x`) and the dimension. */
export type TrapezoidKw = { readonly dx?: number; readonly dim?: number }

/** t·s and t / 2 with the nodes of ATen's Scalar overloads (MulBackward1, DivBackward1). */
const mulScalar = (t: T, s: number): T => op('MulBackward1', [t], (x) => lax.mul(x, lax.scalarLike(s, x)))
const half = (t: T): T => op('DivBackward1', [t], (x) => lax.div(x, lax.scalarLike(2, x)))

/** y's neighbours summed along `dim`: y[1:] + y[:−1]. */
const pairSums = (y: T, dim: number): T => {
  const n = y.shape[dim] as number
  return y.narrow(dim, 1, n - 1).add(y.narrow(dim, 0, n - 1))
}

/** The spacings of sample points `x` along `dim` of `y` (a 1-D `x` runs along `dim`). */
const spacings = (x: T, y: T, dim: number): T => {
  if (x.dim() === 1) {
    const d = x.diff()
    return d.reshape(...y.shape.map((_, i) => (i === dim ? d.numel() : 1)))
  }
  return x.diff({ dim })
}

const trapArgs = (y: T, x: T | TrapezoidKw | undefined, kw: TrapezoidKw): [T | null, number, number] => {
  const k = x instanceof Tensor ? kw : (x ?? kw)
  const xs = x instanceof Tensor ? x : null
  if (xs !== null && k.dx !== undefined) throw new RuntimeError('trapezoid: dx and x cannot both be given')
  return [xs, normDim(k.dim ?? -1, Math.max(1, y.dim())), k.dx ?? 1]
}

/**
 * The integral of `y` along `dim` by the trapezoid rule, with sample points `x` or spacing `dx`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.trapezoid(torch.tensor([1, 2, 4, 7])).item(), 10)
 * assert.strictEqual(torch.trapezoid(torch.tensor([1, 2, 4, 7]), torch.tensor([0, 1, 3, 4])).item(), 13)
 * @category torch @since 0.2.0
 */
export const trapezoid = (y: T, x?: T | TrapezoidKw, kw: TrapezoidKw = {}): T => {
  trapezoidInput('trapezoid', y)
  const [xs, dim, dx] = trapArgs(y, x, kw)
  if (y.shape[dim] === 0) return y.sum(dim).mul(0)
  if (xs === null) return mulScalar(y.sum(dim).sub(mulScalar(y.select(dim, 0).add(y.select(dim, -1)), 0.5)), dx)
  return half(spacings(xs, y, dim).mul(pairSums(y, dim)).sum(dim))
}

/**
 * `torch.trapz`, the older name of {@link trapezoid}.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.trapz(torch.tensor([1, 2, 4, 7]), { dx: 0.5 }).item(), 5)
 * @category torch @since 0.2.0
 */
export const trapz = (y: T, x?: T | TrapezoidKw, kw: TrapezoidKw = {}): T => {
  trapezoidInput('trapz', y)
  return trapezoid(y, x, kw)
}

/**
 * The running trapezoid integral of `y` along `dim` (one element shorter there).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.cumulative_trapezoid(torch.tensor([1, 2, 4, 7])).tolist(), [1.5, 4.5, 10])
 * @category torch @since 0.2.0
 */
export const cumulative_trapezoid = (y: T, x?: T | TrapezoidKw, kw: TrapezoidKw = {}): T => {
  trapezoidInput('cumulative_trapezoid', y)
  const [xs, dim, dx] = trapArgs(y, x, kw)
  if (xs === null) return mulScalar(pairSums(y, dim), dx / 2).cumsum(dim)
  return half(spacings(xs, y, dim).mul(pairSums(y, dim)).cumsum(dim))
}

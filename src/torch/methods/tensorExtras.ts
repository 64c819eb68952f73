/**
 * Tensor methods ported code reaches for: `unfold` (sliding windows, UnfoldBackward0),
 * `sum_to_size`, `renorm(_)`, `fill_diagonal_`, `split_with_sizes` and the `unsafe_*` splits,
 * `swapaxes_`/`swapdims_`, `cumprod_`, `adjoint`, the real-tensor identities `conj`,
 * `resolve_conj`, `resolve_neg`, `is_conj`, `is_neg`, `isreal`, and `ndimension`,
 * `is_inference`, `hardshrink`, `prelu`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.arange(6).float()
 * assert.deepStrictEqual(x.unfold(0, 3, 2).tolist(), [[0, 1, 2], [2, 3, 4]])
 * assert.deepStrictEqual(torch.ones(2, 3).sum_to_size(1, 3).tolist(), [[2, 2, 2]])
 * assert.deepStrictEqual(torch.zeros(2, 2).fill_diagonal_(7).tolist(), [[7, 0], [0, 7]])
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { checkInplace, commitInplace, op, viewOp } from '../autograd/op'
import { customVjp } from '../../transforms/custom'
import { no_grad } from '../autograd/grad_mode'
import { atenArgs } from '../atenArgs'
import { bool } from '../dtype'
import { RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { floatOf, normDim, sizesOf } from '../ops/convert'
import { Tensor, type ViewStep } from '../tensor'
import { gatherStep, viewPositions } from '../ops/views'
import { hardshrink, prelu } from '../nn/activation_functional'
import { takeAlong } from '../nn/padding'
import { inplaceForm } from './aliases'
import { unary } from './math'
import { reduceMethods } from './reduce'
import { shapeMethods } from './shape'
import { sortingMethods } from './sorting'

type T = Tensor

/** The view step of `unfold`: windows of `size` every `step` along `axis`, the window as a new last axis. */
const unfoldStep = (axis: number, size: number, step: number): ViewStep =>
  gatherStep('UnfoldBackward0', (shape) => {
    if (shape.length === 0) return { shape: [size], at: size === 0 ? [] : [0] }
    const windows = Math.floor(((shape[axis] as number) - size) / step) + 1
    const out = [...shape.map((d, i) => (i === axis ? windows : d)), size]
    const at = viewPositions(shape, out, (ix) =>
      shape.map((_, d) => (d === axis ? (ix[d] as number) * step + (ix[shape.length] as number) : (ix[d] as number))),
    )
    return { shape: out, at }
  })

/** Renorm's per-slice factor: maxnorm/(‖slice‖ₚ + 1e-7) where the norm exceeds maxnorm, else 1. */
const renormValue = (x0: NdArray, p: number, axis: number, maxnorm: number): NdArray => {
  const x = floatOf(x0)
  const others = [...x.shape.keys()].filter((i) => i !== axis)
  const a = lax.abs(x)
  const s =
    p === Infinity
      ? lax.reduceMax(a, others)
      : lax.pow(lax.reduceSum(lax.pow(a, lax.scalarLike(p, a)), others), lax.scalarLike(1 / p, a))
  const keep = x.shape.map((d, i) => (i === axis ? d : 1))
  const norm = lax.reshape(s, keep)
  const big = lax.gt(norm, lax.scalarLike(maxnorm, norm))
  const factor = lax.select(
    big,
    lax.div(lax.scalarLike(maxnorm, norm), lax.addScalar(norm, 1e-7)),
    lax.addScalar(lax.zerosLike(norm), 1),
  )
  return lax.mul(x, lax.broadcastTo(factor, x.shape))
}

/** Flat positions of the main diagonal of an all-equal-dims (or, with wrap, tall 2-D) tensor. */
const diagonalMask = (shape: ReadonlyArray<number>, wrap: boolean): NdArray => {
  if (shape.length < 2) throw new RuntimeError('dimensions must larger than 1')
  const n = shape.reduce((a, b) => a * b, 1)
  if (shape.length > 2 && shape.some((d) => d !== shape[0]))
    throw new RuntimeError('all dimensions of input must be of equal length')
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1))
  const jump = strides.reduce((a, b) => a + b, 0)
  const cols = shape[shape.length - 1] as number
  const limit = shape.length === 2 && !wrap ? Math.min(shape[0] as number, cols) * cols : n
  const m = new Uint8Array(n)
  for (let p = 0; p < limit; p += jump) m[p] = 1
  return new NdArray([...shape], 'bool', m)
}

/** Copies of the pieces `parts` (of `x` along `dim`), each a differentiable slice of `x` under node `name`. */
const unsafeSplit = (x: T, parts: ReadonlyArray<T>, dim: number, name: string): T[] => {
  const axis = normDim(dim, x.dim())
  let start = 0
  return parts.map((p) => {
    const k = p.shape[axis] as number
    const idx = Array.from({ length: k }, (_, i) => start + i)
    start += k
    const r = op(name, [x], (v) => takeAlong(v, axis, idx))
    // PyTorch's unsafe pieces share x's storage (writes reach x) but are no autograd views: own
    // version counter, no _base, in-place ops rebase only the piece's own grad_fn
    r._storage = p._storage
    r._setView(p._path, p._strides)
    return r
  })
}

/** `transpose_` under PyTorch's other names. */
function swapaxes_(this: T, axis0: number, axis1: number): T {
  return this.transpose_(axis0, axis1)
}

/** The extra methods installed on Tensor. */
/** `(dim, start, length)` of narrow_copy, positional or by keyword. */
export type NarrowArgs = PyArgs<
  [dim: number, start: number, length: number],
  { readonly dim?: number; readonly start?: number; readonly length?: number }
>

export const tensorExtraMethods = {
  /**
   * A copy of `narrow(dim, start, length)`. PyTorch has no derivative for it: a backward through
   * it raises PyTorch's error.
   */
  narrow_copy(this: T, ...rest: NarrowArgs): T {
    const a = atenArgs('narrow_copy', rest, ['dim', 'start', 'length'], 3, 0)
    const part = no_grad(() =>
      this.detach()
        .narrow(a.dim as number, a.start as number, a.length as number)
        .clone(),
    )
    if (!this.requires_grad) return part
    const v = part._value()
    const refuse = (): never => {
      throw new RuntimeError('derivative for aten::narrow_copy is not implemented')
    }
    return op(
      'NotImplemented',
      [this],
      customVjp(
        (_x: NdArray) => v,
        (_x: NdArray) => [v, null] as const,
        refuse,
      ),
    )
  },
  /** The outer product with `vec2` (`ger` is PyTorch's alias of `outer`). */
  ger(this: T, vec2: T): T {
    return this.outer(vec2)
  },
  /**
   * Windows of `size` every `step` along `dimension`, as a new last dimension: a view
   * (UnfoldBackward0) that in-place ops write through.
   */
  unfold(this: T, dimension: number, size: number, step: number): T {
    const x0 = this._value()
    const nd = Math.max(x0.ndim, 1)
    const axis = normDim(dimension, nd)
    const n = x0.ndim === 0 ? 1 : (x0.shape[axis] as number)
    if (size < 0) throw new RuntimeError(`size is ${size} but must be >= 0`)
    if (size > n) throw new RuntimeError(`maximum size for tensor at dimension ${axis} is ${n} but size is ${size}`)
    if (step <= 0) throw new RuntimeError(`step is ${step} but must be > 0`)
    const st = this._strides
    const strides = st.length === 0 ? [1] : [...st.map((v, i) => (i === axis ? v * step : v)), st[axis] as number]
    return viewOp(this, unfoldStep(axis, size, step), strides)
  },
  /** Sums this tensor down to `size` (which must broadcast to its shape). */
  sum_to_size(this: T, ...size: Array<number | ReadonlyArray<number>>): T {
    const want = sizesOf(size)
    const have = this.shape
    const lead = have.length - want.length
    const ok = lead >= 0 && want.every((d, i) => d === have[lead + i] || d === 1)
    if (!ok) throw new RuntimeError(`size {[${want.join(', ')}]} is not expandable to size {[${have.join(', ')}]}.`)
    const dims = have.map((_, i) => i).filter((i) => i < lead || (want[i - lead] === 1 && have[i] !== 1))
    if (dims.length === 0) return this
    const s = reduceMethods.sum.call(this, dims, true)
    return lead > 0 ? s.view(...want) : s
  },
  /** Rescales each slice along `dim` whose p-norm exceeds `maxnorm` to norm `maxnorm` (RenormBackward0). */
  renorm(this: T, p: number, dim: number, maxnorm: number): T {
    if (!(p > 0)) throw new RuntimeError(`renorm: non-positive-norm not supported`)
    if (maxnorm < 0) throw new RuntimeError(`renorm: expected maxnorm to be >= 0 but got ${maxnorm}`)
    const axis = normDim(dim, this.dim())
    return op('RenormBackward0', [this], (x) => renormValue(x, p, axis, maxnorm), { saves: [0] })
  },
  /** Writes `fill_value` on the main diagonal (all dims equal; a tall 2-D matrix restarts it below with `wrap`). */
  fill_diagonal_(this: T, fill_value: number, ...rest: PyArgs<[wrap: boolean], { readonly wrap?: boolean }>): T {
    const wrap = (parseArgs('fill_diagonal_', rest, ['wrap']).wrap as boolean | undefined) ?? false
    checkInplace(this)
    // PyTorch writes through a strided view (CopySlices), the wrapped part of a tall matrix in a second write
    const fill = (m: NdArray): T =>
      commitInplace(
        this,
        op('CopySlices', [this], (x) => lax.select(m, lax.broadcastTo(lax.scalarLike(fill_value, x), x.shape), x)),
      )
    const sh = this.shape
    fill(diagonalMask(sh, false))
    const tall = wrap && sh.length === 2 && (sh[0] as number) > (sh[1] as number) + 1
    return tall ? fill(lax.and(diagonalMask(sh, true), lax.not(diagonalMask(sh, false)))) : this
  },
  /** Splits into pieces of the given sizes along `dim` (`split` with a list). */
  split_with_sizes(this: T, split_sizes: ReadonlyArray<number>, dim = 0): T[] {
    return shapeMethods.split.call(this, split_sizes, dim)
  },
  /** `split` without view tracking (pieces share the storage; UnsafeSplitBackward0, no multi-output in-place error). */
  unsafe_split(this: T, split_size: number, dim = 0): T[] {
    return unsafeSplit(this, shapeMethods.split.call(this.detach(), split_size, dim), dim, 'UnsafeSplitBackward0')
  },
  /** `split_with_sizes` without view tracking (UnsafeSplitWithSizesBackward0). */
  unsafe_split_with_sizes(this: T, split_sizes: ReadonlyArray<number>, dim = 0): T[] {
    const parts = shapeMethods.split.call(this.detach(), split_sizes, dim)
    return unsafeSplit(this, parts, dim, 'UnsafeSplitWithSizesBackward0')
  },
  /** `chunk` without view tracking (UnsafeSplitBackward0). */
  unsafe_chunk(this: T, chunks: number, dim = 0): T[] {
    const parts = shapeMethods.chunk.call(this.detach(), chunks, dim)
    const empty = this.shape[normDim(dim, this.dim())] === 0
    return unsafeSplit(this, parts, dim, empty ? 'UnsafeSplitWithSizesBackward0' : 'UnsafeSplitBackward0')
  },
  /** In-place `swapaxes` (`transpose_`). */
  swapaxes_,
  /** In-place `swapdims` (`transpose_`). */
  swapdims_: swapaxes_,
  /** In-place cumulative product. */
  cumprod_: inplaceForm(sortingMethods.cumprod),
  /** In-place renorm. */
  renorm_: inplaceForm(function (this: T, p: number, dim: number, maxnorm: number): T {
    return tensorExtraMethods.renorm.call(this, p, dim, maxnorm)
  }),
  /** The conjugate transpose of the last two dims (the transpose, for real tensors). */
  adjoint(this: T): T {
    if (this.dim() < 2)
      throw new RuntimeError(
        `tensor.adjoint() is only supported on matrices or batches of matrices. Got ${this.dim()}-D tensor.`,
      )
    return this.transpose(-2, -1)
  },
  /** The complex conjugate: `self` for real tensors. */
  conj(this: T): T {
    return this
  },
  /** The complex conjugate computed eagerly: `self` for real tensors. */
  conj_physical(this: T): T {
    return this
  },
  /**
   * In place: for real tensors the values stay, but it counts as an in-place op (the version is
   * bumped, a leaf requiring grad refuses, the history becomes ConjPhysicalBackward1), as PyTorch.
   */
  conj_physical_: inplaceForm(unary('ConjPhysicalBackward1', (v: NdArray) => v)),
  /** The real part: `self` for real tensors (a property, as PyTorch's `Tensor.real`). */
  get real(): T {
    return this as unknown as T
  },
  /** The imaginary part: real tensors have none, so this raises as PyTorch does. */
  get imag(): T {
    throw new RuntimeError('imag is not implemented for tensors with non-complex dtypes.')
  },
  /** `self` (real tensors carry no lazy conjugation). */
  resolve_conj(this: T): T {
    return this
  },
  /** `self` (real tensors carry no lazy negation). */
  resolve_neg(this: T): T {
    return this
  },
  /** Always false: wengert has no complex tensors. */
  is_conj(this: T): boolean {
    return false
  },
  /** Always false: wengert has no lazily negated tensors. */
  is_neg(this: T): boolean {
    return false
  },
  /** True everywhere: a real tensor's elements are real. */
  isreal(this: T): T {
    return Tensor._fromValue(lax.broadcastTo(lax.scalar(1, 'bool'), this.shape)).to(bool)
  },
  /** The number of dimensions (`dim()`). */
  ndimension(this: T): number {
    return this.dim()
  },
  /** Whether this tensor was made under `torch.inference_mode()`: wengert's never are. */
  is_inference(this: T): boolean {
    return false
  },
  /** `F.hardshrink(self, lambd)`. */
  hardshrink(this: T, lambd = 0.5): T {
    return hardshrink(this, lambd)
  },
  /** `F.prelu(self, weight)`. */
  prelu(this: T, weight: T): T {
    return prelu(this, weight)
  },
}

/**
 * Vector and matrix transforms of `torch.distributions`: SoftmaxTransform, StickBreakingTransform,
 * LowerCholeskyTransform, CorrCholeskyTransform, CatTransform and StackTransform.
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { eye } from '../creation'
import { TorchValueError } from '../errors'
import { finfo } from '../finfo'
import type { PyArgs } from '../kwargs'
import { logsigmoid, softplus } from '../nn/activation_functional'
import { pad } from '../nn/padding'
import { cat, stack } from '../ops/functions'
import { makeSize, type Size, type Tensor } from '../tensor'
import * as constraints from './constraints'
import { sumRightmost } from './distribution'
import { parseTransformArgs, Transform, type CacheKw } from './transforms'
import { clippedSigmoid } from './transformsElementwise'

type T = Tensor

const lastDim = (shape: ReadonlyArray<number>): number => {
  if (shape.length < 1) throw new TorchValueError('Too few dimensions on input')
  return shape[shape.length - 1] as number
}

/** A transform with no parameters, equal to any other of its class. */
abstract class Plain extends Transform {
  override _plain(): boolean {
    return true
  }
  override equals(other: Transform): boolean {
    return other.constructor === this.constructor
  }
}

/** See {@link SoftmaxTransform}. */
class SoftmaxTransformImpl extends Plain {
  override get domain(): constraints.Constraint {
    return constraints.real_vector
  }
  override get codomain(): constraints.Constraint {
    return constraints.simplex
  }
  override _call(x: T): T {
    const p = x.sub(x.amax(-1, true)).exp()
    return p.div(p.sum(-1, true))
  }
  override _inverse(y: T): T {
    return y.log()
  }
  override forward_shape(shape: ReadonlyArray<number>): Size {
    lastDim(shape)
    return makeSize(shape)
  }
  override inverse_shape(shape: ReadonlyArray<number>): Size {
    lastDim(shape)
    return makeSize(shape)
  }
}

/** The offsets K, K−1, …, 1 of the stick-breaking transform, as a tensor like `x` (length n). */
const offsets = (x: T, n: number, top: number): T => x.new_ones([n]).cumsum(-1).neg().add(top)

/** See {@link StickBreakingTransform}. */
class StickBreakingTransformImpl extends Plain {
  override get bijective(): boolean {
    return true
  }
  override get domain(): constraints.Constraint {
    return constraints.real_vector
  }
  override get codomain(): constraints.Constraint {
    return constraints.simplex
  }
  override _call(x: T): T {
    const n = lastDim(x.shape)
    const z = clippedSigmoid(x.sub(offsets(x, n, n + 1).log()))
    const zc = z.neg().add(1).cumprod(-1)
    return pad(z, [0, 1], { value: 1 }).mul(pad(zc, [1, 0], { value: 1 }))
  }
  override _inverse(y: T): T {
    const n = lastDim(y.shape)
    const crop = y.narrow(-1, 0, n - 1)
    const sf = crop.cumsum(-1).neg().add(1).clamp_min(finfo(y.dtype).tiny)
    return crop
      .log()
      .sub(sf.log())
      .add(offsets(y, n - 1, n).log())
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    const n = lastDim(x.shape)
    const xs = x.sub(offsets(x, n, n + 1).log())
    return xs
      .neg()
      .add(logsigmoid(xs))
      .add(y.narrow(-1, 0, lastDim(y.shape) - 1).log())
      .sum(-1)
  }
  override forward_shape(shape: ReadonlyArray<number>): Size {
    return makeSize([...shape.slice(0, -1), lastDim(shape) + 1])
  }
  override inverse_shape(shape: ReadonlyArray<number>): Size {
    return makeSize([...shape.slice(0, -1), lastDim(shape) - 1])
  }
}

/** See {@link LowerCholeskyTransform}. */
class LowerCholeskyTransformImpl extends Plain {
  override get domain(): constraints.Constraint {
    return constraints.independent(constraints.real, 2)
  }
  override get codomain(): constraints.Constraint {
    return constraints.lower_cholesky
  }
  override _call(x: T): T {
    return x.tril(-1).add(x.diagonal(0, -2, -1).exp().diag_embed())
  }
  override _inverse(y: T): T {
    return y.tril(-1).add(y.diagonal(0, -2, -1).log().diag_embed())
  }
}

/** The entries of the rightmost square matrices below the diagonal `diag` as vectors (row-major, as `tril_indices`). */
const trilToVec = (m: T, diag: number): T => {
  const n = lastDim(m.shape)
  const flat: number[] = []
  for (let i = 0; i < n; i++) for (let j = 0; j <= i + diag && j < n; j++) flat.push(i * n + j)
  const idx = m.new_tensor(flat).long()
  return m.reshape(...m.shape.slice(0, -2), n * n).index_select(-1, idx)
}

/** Vectors of length n(n−1)/2 (diag −1) placed below the diagonal of zero n×n matrices. */
const vecToTril = (v: T, n: number): T => {
  const flat: number[] = []
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) flat.push(i * n + j)
  const batch = v.shape.slice(0, -1)
  const out = v.new_zeros([...batch, n * n])
  const idx = v
    .new_tensor(flat)
    .long()
    .expand(...batch, flat.length)
  return out.scatter(-1, idx, v).reshape(...batch, n, n)
}

/** The matrix size D of a vector of D(D−1)/2 entries. */
const corrSize = (len: number): number => {
  const d = Math.round(Math.sqrt(0.25 + 2 * len) + 0.5)
  if ((d * (d - 1)) / 2 !== len) throw new TorchValueError('Input is not a flattend lower-diagonal number')
  return d
}

/** See {@link CorrCholeskyTransform}. */
class CorrCholeskyTransformImpl extends Plain {
  override get bijective(): boolean {
    return true
  }
  override get domain(): constraints.Constraint {
    return constraints.real_vector
  }
  override get codomain(): constraints.Constraint {
    return constraints.corr_cholesky
  }
  override _call(x: T): T {
    const eps = finfo(x.dtype).eps
    const t = x.tanh().clamp(-1 + eps, 1 - eps)
    const n = corrSize(lastDim(x.shape))
    const r = vecToTril(t, n)
    const zc = r.pow(2).neg().add(1).sqrt().cumprod(-1)
    const ident = eye(n, { dtype: r.dtype })
    return r.add(ident).mul(pad(zc.narrow(-1, 0, n - 1), [1, 0], { value: 1 }))
  }
  override _inverse(y: T): T {
    const n = lastDim(y.shape)
    const cs = y.mul(y).cumsum(-1).neg().add(1)
    const shifted = pad(cs.narrow(-1, 0, n - 1), [1, 0], { value: 1 })
    const t = trilToVec(y, -1).div(trilToVec(shifted, -1).sqrt())
    return t.add(1).div(t.neg().add(1)).log().div(2)
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    const cs = y.mul(y).cumsum(-1).neg().add(1)
    const stick = trilToVec(cs, -2).log().sum(-1).mul(0.5)
    const tanh = x
      .add(softplus(x.mul(-2)))
      .sub(Math.LN2)
      .sum(-1)
      .mul(-2)
    return stick.add(tanh)
  }
  override forward_shape(shape: ReadonlyArray<number>): Size {
    const d = corrSize(lastDim(shape))
    return makeSize([...shape.slice(0, -1), d, d])
  }
  override inverse_shape(shape: ReadonlyArray<number>): Size {
    if (shape.length < 2) throw new TorchValueError('Too few dimensions on input')
    const d = lastDim(shape)
    if (shape[shape.length - 2] !== d) throw new TorchValueError('Input is not square')
    return makeSize([...shape.slice(0, -2), (d * (d - 1)) / 2])
  }
}

/** Keywords of CatTransform. */
export interface CatTransformKw extends CacheKw {
  readonly tseq?: ReadonlyArray<Transform>
  readonly dim?: number
  readonly lengths?: ReadonlyArray<number> | null
}

/** Checks the transformed axis: `dim` in range and `len` long. */
const checkAxis = (what: string, x: T, dim: number, len: number): void => {
  if (dim < -x.dim() || dim >= x.dim() || x.size(dim) !== len)
    throw new TorchValueError(`${what}: expected size ${len} along dim ${dim}, got shape ${String(x.shape)}`)
}

/** See {@link CatTransform}. */
class CatTransformImpl extends Transform {
  readonly transforms: ReadonlyArray<Transform>
  readonly lengths: ReadonlyArray<number>
  readonly dim: number
  constructor(
    ...args: PyArgs<
      [tseq: ReadonlyArray<Transform>, dim: number, lengths: ReadonlyArray<number> | null, cache_size: number],
      CatTransformKw
    >
  ) {
    const a = parseTransformArgs(args, ['tseq', 'dim', 'lengths', 'cache_size'])
    const cache_size = (a['cache_size'] as number | undefined) ?? 0
    super({ cache_size })
    const tseq = a['tseq'] as ReadonlyArray<Transform>
    this.transforms = cache_size !== 0 ? tseq.map((t) => t.with_cache(cache_size)) : [...tseq]
    this.lengths = (a['lengths'] as ReadonlyArray<number> | null | undefined) ?? tseq.map(() => 1)
    if (this.lengths.length !== this.transforms.length)
      throw new TorchValueError('CatTransform: lengths and tseq must have the same length')
    this.dim = (a['dim'] as number | undefined) ?? 0
  }
  override get event_dim(): number {
    return Math.max(...this.transforms.map((t) => t.event_dim))
  }
  /** The total length along `dim`. */
  override get length(): number {
    return this.lengths.reduce((s, l) => s + l, 0)
  }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size
      ? this
      : new CatTransform(this.transforms, this.dim, this.lengths, { cache_size })
  }
  override get bijective(): boolean {
    return this.transforms.every((t) => t.bijective)
  }
  override get domain(): constraints.Constraint {
    return constraints.cat(
      this.transforms.map((t) => t.domain),
      this.dim,
      this.lengths,
    )
  }
  override get codomain(): constraints.Constraint {
    return constraints.cat(
      this.transforms.map((t) => t.codomain),
      this.dim,
      this.lengths,
    )
  }
  /** f applied to the slices of each of `xs` for each part, results in order. */
  private _slices(xs: ReadonlyArray<T>, f: (t: Transform, s: T[]) => T): T[] {
    xs.forEach((x) => checkAxis('CatTransform', x, this.dim, this.length))
    let start = 0
    return this.transforms.map((t, i) => {
      const len = this.lengths[i] as number
      const out = f(
        t,
        xs.map((x) => x.narrow(this.dim, start, len)),
      )
      start += len
      return out
    })
  }
  override _call(x: T): T {
    return cat(
      this._slices([x], (t, [s]) => t(s as T)),
      this.dim,
    )
  }
  override _inverse(y: T): T {
    return cat(
      this._slices([y], (t, [s]) => t.inv(s as T)),
      this.dim,
    )
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    const ev = this.event_dim
    const parts = this._slices([x, y], (t, [xs, ys]) =>
      sumRightmost(t.log_abs_det_jacobian(xs as T, ys as T), ev - t.event_dim),
    )
    const dim = (this.dim >= 0 ? this.dim - x.dim() : this.dim) + ev
    return dim < 0 ? cat(parts, dim) : parts.reduce((s, p) => s.add(p))
  }
}

/** Keywords of StackTransform. */
export interface StackTransformKw extends CacheKw {
  readonly tseq?: ReadonlyArray<Transform>
  readonly dim?: number
}

/** See {@link StackTransform}. */
class StackTransformImpl extends Transform {
  readonly transforms: ReadonlyArray<Transform>
  readonly dim: number
  constructor(...args: PyArgs<[tseq: ReadonlyArray<Transform>, dim: number, cache_size: number], StackTransformKw>) {
    const a = parseTransformArgs(args, ['tseq', 'dim', 'cache_size'])
    const cache_size = (a['cache_size'] as number | undefined) ?? 0
    super({ cache_size })
    const tseq = a['tseq'] as ReadonlyArray<Transform>
    this.transforms = cache_size !== 0 ? tseq.map((t) => t.with_cache(cache_size)) : [...tseq]
    this.dim = (a['dim'] as number | undefined) ?? 0
  }
  override with_cache(cache_size = 1): Transform {
    return this._cache_size === cache_size ? this : new StackTransform(this.transforms, this.dim, { cache_size })
  }
  override get bijective(): boolean {
    return this.transforms.every((t) => t.bijective)
  }
  override get domain(): constraints.Constraint {
    return constraints.stack(
      this.transforms.map((t) => t.domain),
      this.dim,
    )
  }
  override get codomain(): constraints.Constraint {
    return constraints.stack(
      this.transforms.map((t) => t.codomain),
      this.dim,
    )
  }
  private _map(xs: ReadonlyArray<T>, f: (t: Transform, s: T[]) => T): T {
    xs.forEach((x) => checkAxis('StackTransform', x, this.dim, this.transforms.length))
    const outs = this.transforms.map((t, i) =>
      f(
        t,
        xs.map((x) => x.select(this.dim, i)),
      ),
    )
    return stack(outs, this.dim)
  }
  override _call(x: T): T {
    return this._map([x], (t, [s]) => t(s as T))
  }
  override _inverse(y: T): T {
    return this._map([y], (t, [s]) => t.inv(s as T))
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    return this._map([x, y], (t, [xs, ys]) => t.log_abs_det_jacobian(xs as T, ys as T))
  }
}

/**
 * PyTorch's `SoftmaxTransform()`: y = softmax(x) over the last axis (not bijective: the inverse
 * is log y).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.SoftmaxTransform()
 * assert.deepStrictEqual(t(torch.tensor([0.0, 0.0])).tolist(), [0.5, 0.5])
 * @category torch
 * @since 0.2.0
 */
export const SoftmaxTransform = pyClass(SoftmaxTransformImpl, 'SoftmaxTransform')
/** A `SoftmaxTransform` instance. @category torch @since 0.2.0 */
export type SoftmaxTransform = SoftmaxTransformImpl

/**
 * PyTorch's `StickBreakingTransform()`: R^(K−1) → the K-simplex by breaking a stick (bijective,
 * unlike softmax).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.StickBreakingTransform()
 * const y = t(torch.tensor([0.0, 0.0], { dtype: torch.float64 }))
 * assert.ok(Math.abs(y.sum().item() - 1) < 1e-12)
 * assert.deepStrictEqual([...y.shape], [3])
 * @category torch
 * @since 0.2.0
 */
export const StickBreakingTransform = pyClass(StickBreakingTransformImpl, 'StickBreakingTransform')
/** A `StickBreakingTransform` instance. @category torch @since 0.2.0 */
export type StickBreakingTransform = StickBreakingTransformImpl

/**
 * PyTorch's `LowerCholeskyTransform()`: a square matrix → its strictly lower part plus the
 * exponential of its diagonal (not bijective).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.LowerCholeskyTransform()
 * assert.deepStrictEqual(t(torch.zeros(2, 2)).tolist(), [[1, 0], [0, 1]])
 * @category torch
 * @since 0.2.0
 */
export const LowerCholeskyTransform = pyClass(LowerCholeskyTransformImpl, 'LowerCholeskyTransform')
/** A `LowerCholeskyTransform` instance. @category torch @since 0.2.0 */
export type LowerCholeskyTransform = LowerCholeskyTransformImpl

/**
 * PyTorch's `CorrCholeskyTransform()`: an unconstrained vector of D(D−1)/2 entries → the
 * Cholesky factor of a D×D correlation matrix (tanh, then stick-breaking of each row).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.CorrCholeskyTransform()
 * const y = t(torch.tensor([0.3, -0.2, 0.5], { dtype: torch.float64 }))
 * assert.deepStrictEqual([...y.shape], [3, 3])
 * assert.ok((y.pow(2).sum(-1).tolist() as number[]).every((r) => Math.abs(r - 1) < 1e-12))
 * @category torch
 * @since 0.2.0
 */
export const CorrCholeskyTransform = pyClass(CorrCholeskyTransformImpl, 'CorrCholeskyTransform')
/** A `CorrCholeskyTransform` instance. @category torch @since 0.2.0 */
export type CorrCholeskyTransform = CorrCholeskyTransformImpl

/**
 * PyTorch's `CatTransform(tseq, dim=0, lengths=None, cache_size=0)`: `tseq[i]` applied to the
 * i-th slice (of `lengths[i]`, default 1) along `dim`, the results concatenated.
 * @example
 * import * as torch from 'wengert/torch'
 * const { CatTransform, ExpTransform, AffineTransform } = torch.distributions
 * const t = new CatTransform([new ExpTransform(), new AffineTransform(0, 2)], 0, [1, 2])
 * assert.deepStrictEqual(t(torch.tensor([0.0, 1.0, 2.0])).tolist(), [1, 2, 4])
 * @category torch
 * @since 0.2.0
 */
export const CatTransform = pyClass(CatTransformImpl, 'CatTransform')
/** A `CatTransform` instance. @category torch @since 0.2.0 */
export type CatTransform = CatTransformImpl

/**
 * PyTorch's `StackTransform(tseq, dim=0, cache_size=0)`: `tseq[i]` applied to the i-th entry
 * along `dim`, the results stacked.
 * @example
 * import * as torch from 'wengert/torch'
 * const { StackTransform, ExpTransform, AffineTransform } = torch.distributions
 * const t = new StackTransform([new ExpTransform(), new AffineTransform(1, 1)], 1)
 * assert.deepStrictEqual(t(torch.tensor([[0.0, 0.0]])).tolist(), [[1, 1]])
 * @category torch
 * @since 0.2.0
 */
export const StackTransform = pyClass(StackTransformImpl, 'StackTransform')
/** A `StackTransform` instance. @category torch @since 0.2.0 */
export type StackTransform = StackTransformImpl

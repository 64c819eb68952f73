/**
 * More reductions as Tensor methods with PyTorch's node names: `nansum` / `nanmean` (NaNs count
 * as absent), `var_mean` / `std_mean` (one node, two outputs), `count_nonzero`, `aminmax` (a
 * `(min, max)` named pair), `cov` and `corrcoef` (built from facade ops as PyTorch builds them,
 * so their nodes and gradients are PyTorch's).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { isFloat } from '../../ndarray/dtype'
import { op, opMulti } from '../autograd/op'
import type { TorchDType } from '../dtype'
import { RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { normDims } from '../ops/convert'
import type { Tensor } from '../tensor'
import { zeroNans } from './gradKernels'
import { keep, spreadArgs, varOf } from './reduce'
import { spreadMeanFormula } from './reduceZeros'
import { sqrtMasked } from './selecting'

type T = Tensor
type Dim = number | ReadonlyArray<number> | null
/** Keyword options `dim`, `keepdim` of the NaN-skipping reductions. @category torch @since 0.2.0 */
export type NanReduceKw = { readonly dim?: Dim; readonly keepdim?: boolean }

/** PyTorch's `torch.return_types.aminmax`: the pair `[min, max]`, also by name. */
export type MinMax = [T, T] & { readonly min: T; readonly max: T }

/** A (variance or standard deviation, mean) pair, as `torch.var_mean` returns it. */
export type SpreadMean = [T, T]

/** var_mean / std_mean: one node with two outputs. */
const spreadMean = (self: T, args: ReadonlyArray<unknown>, fn: 'var_mean' | 'std_mean'): SpreadMean => {
  const spec = spreadArgs(self, args, fn)
  const { axes, correction, keepdim } = spec
  if (!self.dtype.is_floating_point) throw new RuntimeError(`${fn} only support floating point and complex dtypes`)
  const kind = fn === 'var_mean' ? 'var' : 'std'
  const name = kind === 'var' ? 'VarMeanBackward0' : 'StdMeanBackward0'
  const [v, m] = opMulti(
    name,
    [self],
    (x) => {
      const [vr, mr] = varOf(x, axes, correction)
      return [keep(kind === 'var' ? vr : sqrtMasked(vr), x.shape, axes, keepdim), keep(mr, x.shape, axes, keepdim)]
    },
    // VarMeanBackward0 saves self; StdMeanBackward0 self and the deviation (derivatives.yaml:
    // var_mean_backward(…, self, …), std_mean_backward(…, self, result0, …)); neither the mean
    { formula: spreadMeanFormula(kind, spec), savesInputs: [0], savesOutputs: kind === 'var' ? [] : [0] },
  )
  return [v as T, m as T]
}

/** Reductions installed on Tensor (see the module comment). */
export const reduceExtraMethods = {
  /** Sum treating NaN as zero (over `dim` if given). */
  nansum(this: T, ...args: PyArgs<[dim: Dim, keepdim: boolean], NanReduceKw & { readonly dtype?: TorchDType }>): T {
    const a = parseArgs('nansum', args, ['dim', 'keepdim', 'dtype'])
    const axes = normDims(a.dim as Dim, this._value().ndim)
    const dt = a.dtype as TorchDType | undefined
    return op('NansumBackward0', [this], (x0) => {
      const x = dt !== undefined ? lax.cast(x0, dt.storage) : isFloat(x0.dtype) ? x0 : lax.cast(x0, 'int64')
      const clean = isFloat(x.dtype) ? zeroNans(x) : x
      return keep(lax.reduceSum(clean, axes), x.shape, axes, (a.keepdim as boolean | undefined) ?? false)
    })
  },
  /** Mean of the non-NaN elements (`nansum / count`, as PyTorch: its node is DivBackward0). */
  nanmean(this: T, ...args: PyArgs<[dim: Dim, keepdim: boolean], NanReduceKw & { readonly dtype?: TorchDType }>): T {
    const a = parseArgs('nanmean', args, ['dim', 'keepdim', 'dtype'])
    const dt = (a.dtype as TorchDType | undefined) ?? this.dtype
    if (!dt.is_floating_point)
      throw new RuntimeError(`nanmean(): expected input to have floating point dtype but got ${dt.word}`)
    const kw = { dim: (a.dim as Dim | undefined) ?? null, keepdim: (a.keepdim as boolean | undefined) ?? false }
    const count = this.isnan().logical_not().sum(kw)
    return this.nansum({ ...kw, dtype: dt }).div(count)
  },
  /** The variance and the mean in one pass (`correction`, `unbiased` as {@link Tensor.var}). */
  var_mean(this: T, ...args: unknown[]): SpreadMean {
    return spreadMean(this, args, 'var_mean')
  },
  /** The standard deviation and the mean in one pass. */
  std_mean(this: T, ...args: unknown[]): SpreadMean {
    return spreadMean(this, args, 'std_mean')
  },
  /** The number of nonzero elements (over `dim`: an int or a list of ints), int64. */
  count_nonzero(this: T, ...args: PyArgs<[dim: Dim], { readonly dim?: Dim }>): T {
    const a = parseArgs('count_nonzero', args, ['dim'])
    const axes = normDims(a.dim as Dim, this._value().ndim)
    return op('count_nonzero', [this], (x) => lax.reduceSum(lax.cast(lax.ne(x, lax.scalarLike(0, x)), 'int64'), axes), {
      differentiable: false,
    })
  },
  /**
   * The minimum and the maximum (of all elements, or over `dim`), a named pair `{ min, max }`. As
   * in PyTorch 1.13 its backward raises (the derivative of aminmax is not implemented there).
   */
  aminmax(this: T, kw: { readonly dim?: number | null; readonly keepdim?: boolean } = {}): MinMax {
    const a = parseArgs('aminmax', [kw], ['dim', 'keepdim'])
    const x0 = this._value()
    const axes = normDims(a.dim as number | null | undefined, x0.ndim)
    if (x0.size === 0 && (axes.length !== 1 || x0.shape[axes[0] as number] === 0 || x0.ndim === 0))
      throw new RuntimeError(
        'aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.',
      )
    const keepdim = (a.keepdim as boolean | undefined) ?? false
    const [mn, mx] = opMulti(
      'NotImplemented',
      [this],
      (x) => [
        keep(lax.neg(lax.reduceMax(lax.neg(x), axes)), x.shape, axes, keepdim),
        keep(lax.reduceMax(x, axes), x.shape, axes, keepdim),
      ],
      // a NotImplemented node saves nothing: in-place changes of the results are not refused
      { backwardError: 'derivative for aten::aminmax is not implemented', savesOutputs: [] },
    )
    return Object.assign([mn, mx] as [T, T], { min: mn as T, max: mx as T })
  },
}

/**
 * Reductions and linear algebra as Tensor methods: `sum`, `mean`, `max` (with `dim`: values and
 * indices), `amax`, `norm`, `var`/`std` (Bessel-corrected by default, as PyTorch), `softmax`,
 * `matmul` with PyTorch's per-rank node names (DotBackward0, MvBackward0, MmBackward0; N-D products are
 * composed as PyTorch 2.x composes them, ./matmulNd.ts).
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import { isFloat } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { customVjp } from '../../transforms/custom'
import { logSoftmax as logSoftmaxOp, logsumexp as logsumexpOp, softmax as softmaxOp } from '../../ops'
import { withReductionLayout } from '../autograd/iterLayout'
import { NO_GRADIENT, op, type OpOptions } from '../autograd/op'
import type { TorchDType } from '../dtype'
import { RuntimeError, TorchTypeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { floatOf, normDim, normDims } from '../ops/convert'
import { sqrtMasked } from './selecting'
import { Tensor } from '../tensor'
import { absFn } from './math'
import { cumsumFormula, softmaxFormula } from './gradFormulas'
import { logsumexpFormula } from './mathFormulas'
import { prodKernel, softmaxKernel } from './zeroKernels'
import { spreadFormula, spreadKernel } from './reduceZeros'
import { extremaMethods, keep, self_, valuesIndices, type ValuesIndices } from './reduceExtrema'
import { productMethods } from './products'

export { keep, valuesIndices, type ValuesIndices }

type T = Tensor
type Dim = number | ReadonlyArray<number> | null

/** sum/mean keywords; `axis` and `keepdims` are NumPy's names, which PyTorch accepts too (see numpyKeywords). */
type ReduceKw = {
  readonly dim?: Dim
  readonly keepdim?: boolean
  readonly dtype?: TorchDType
  readonly axis?: Dim
  readonly keepdims?: boolean
}

/**
 * The arguments of var, std, var_mean and std_mean: `(unbiased)` or `(dim, unbiased, keepdim)`
 * or keywords with `correction` (PyTorch's default 1; `unbiased: false` is 0).
 */
export const spreadArgs = (
  self: T,
  args: ReadonlyArray<unknown>,
  fn: string,
): { readonly axes: number[]; readonly dimGiven: boolean; readonly correction: number; readonly keepdim: boolean } => {
  let list = args
  let unbiased: boolean | undefined
  if (typeof list[0] === 'boolean') {
    unbiased = list[0]
    list = list.slice(1)
  }
  const a = parseArgs(fn, list, ['dim', 'unbiased', 'keepdim', 'correction'])
  if (typeof a.unbiased === 'boolean') unbiased = a.unbiased
  return {
    axes: normDims(a.dim as Dim, self._value().ndim),
    dimGiven: a.dim !== undefined && a.dim !== null,
    correction: (a.correction as number | undefined) ?? (unbiased === false ? 0 : 1),
    keepdim: (a.keepdim as boolean | undefined) ?? false,
  }
}

const varImpl = (self: T, args: ReadonlyArray<unknown>, fn: 'var' | 'std'): T => {
  const spec = spreadArgs(self, args, fn)
  const { axes, correction, keepdim } = spec
  const f = (x: NdArray): NdArray => {
    const v = varOf(x, axes, correction)[0]
    return keep(fn === 'var' ? v : sqrtMasked(v), x.shape, axes, keepdim)
  }
  // PyTorch's var_backward / std_backward (reduceZeros.ts), also under create_graph
  const kernel = spreadKernel(f, fn, spec)
  const out = op(fn === 'var' ? 'VarBackward0' : 'StdBackward0', [self], (x0) => kernel(floatOf(x0)), {
    saves: [0],
    savesOutput: fn === 'std',
    formula: spreadFormula(fn, spec),
  })
  // the gradient is laid out as var_backward's element-wise products lay it out (self's order)
  return withReductionLayout(out, self, axes)
}

/**
 * `cumsum` along `axis` as PyTorch's CPU kernel sums, from +0 (so a −0 never survives: −0 + 0 is
 * +0), and its VJP as `cumsum_backward` computes it, `grad.flip(dim).cumsum(dim).flip(dim)`: a
 * running sum the other way, from +0 too (difftest seeds 325794, 330458).
 */
const cumsumFromZero = (axis: number): ((x: NdArray) => NdArray) => {
  const fwd = (x: NdArray): NdArray => lax.addScalar(lax.cumsum(x, axis), 0)
  return customVjp(
    fwd,
    (x: NdArray) => [fwd(x), axis] as const,
    (_: number, g: NdArray) => [lax.addScalar(lax.cumsum(g, axis, true), 0)],
  )
}

/** `Σ x / n` over `axes`, summed then divided (PyTorch's rounding), with the VJP `ȳ.expand(x.shape) / n`. */
const meanKernel = (axes: ReadonlyArray<number>, n: number): ((x: NdArray) => NdArray) => {
  const value = (x: NdArray): NdArray => {
    const s = axes.length === 0 ? lax.addScalar(x, 0) : lax.reduceSum(x, axes)
    return lax.div(s, lax.scalarLike(n, s))
  }
  return customVjp(
    value,
    (x: NdArray) => [value(x), x.shape] as const,
    (shape: ReadonlyArray<number>, yBar: NdArray) => {
      const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d))
      const expanded = lax.broadcastTo(lax.reshape(yBar, kept), shape)
      return [lax.div(expanded, lax.scalarLike(n, expanded))]
    },
  )
}

/** The variance over `axes` (divided by n − correction) and the mean (reduced, float input). */
export const varOf = (x: NdArray, axes: ReadonlyArray<number>, correction: number): [NdArray, NdArray] => {
  const n = axes.reduce((p, i) => p * (x.shape[i] as number), 1)
  const m = lax.mulScalar(lax.reduceSum(x, axes), 1 / n)
  const d = lax.sub(x, lax.broadcastTo(keep(m, x.shape, axes, true), x.shape))
  return [lax.mulScalar(lax.reduceSum(lax.mul(d, d), axes), 1 / Math.max(0, n - correction)), m]
}

/**
 * The vector p-norm of float `x` over `axes` (p = ∞, 1, 0 or any other p), with PyTorch's
 * gradient 0 at a zero vector (for p > 1, where the root's derivative is infinite).
 */
export const pNormOf = (x: NdArray, p: number, axes: ReadonlyArray<number>): NdArray => {
  const ax = absFn(x)
  if (p === Infinity) return lax.reduceMax(ax, axes)
  // the -inf norm is the smallest magnitude (a sum of |x|^-inf would be 0 or inf)
  if (p === -Infinity) return lax.neg(lax.reduceMax(lax.neg(ax), axes))
  if (p === 1) return lax.reduceSum(ax, axes)
  if (p === 0) return lax.reduceSum(lax.cast(lax.ne(x, lax.scalarLike(0, x)), x.dtype), axes)
  const s = lax.reduceSum(p === 2 ? lax.mul(x, x) : lax.pow(ax, lax.scalarLike(p, x)), axes)
  // NOTE: double where keeps the gradient at a zero vector at 0 (PyTorch masks it too)
  const zero = lax.eq(s, lax.scalarLike(0, s))
  const safe = lax.select(zero, lax.broadcastLike(lax.scalarLike(1, s), s), s)
  const root = p === 2 ? lax.sqrt(safe) : lax.pow(safe, lax.scalarLike(1 / p, s))
  return lax.select(zero, lax.broadcastLike(lax.scalarLike(0, s), s), root)
}

/** The product of `x` over `axes` (removed), as a chain of multiplications of slices; 1 over an empty axis. */
const productOver = (x: NdArray, axes: ReadonlyArray<number>): NdArray => {
  let cur = x
  for (const ax of [...axes].reverse()) {
    const n = cur.shape[ax] as number
    let acc: NdArray | undefined
    for (let i = 0; i < n; i++) {
      const s = lax.slice(
        cur,
        cur.shape.map((_, j) => (j === ax ? i : 0)),
        cur.shape.map((d, j) => (j === ax ? i + 1 : d)),
        cur.shape.map(() => 1),
      )
      acc = acc === undefined ? s : lax.mul(acc, s)
    }
    cur =
      acc === undefined
        ? lax.addScalar(lax.zerosLike({ shape: cur.shape.map((d, j) => (j === ax ? 1 : d)), dtype: cur.dtype }), 1)
        : acc
    cur = lax.reshape(
      cur,
      cur.shape.filter((_, j) => j !== ax),
    )
  }
  return cur
}

/**
 * sum's gradient without create_graph for a float input summed in its own dtype: the value the
 * recorded rule gives (reduce_sum's VJP `broadcast_in_dim(ȳ)`, after undoing keepdim's reshape;
 * the incoming gradient itself when no axis is summed), computed directly, so recording a sum
 * traces nothing (create_graph still runs the rule over a TensorLevel).
 */
const sumGrads = (axes: ReadonlyArray<number>, keepdim: boolean): OpOptions => ({
  // a sum over every axis (ndim ≥ 1) is one reduce_sum: it may be deferred (../autograd/lazyValues)
  lazy: ([x]) =>
    !keepdim && axes.length > 0 && axes.length === (x as NdArray).ndim
      ? [lax.reduceSum.primitive, { axes }]
      : undefined,
  grads: (g, [x]) => {
    const xv = x as NdArray
    if (axes.length === 0) return [Tensor._fromValue(g)]
    const kept = xv.shape.map((_, i) => i).filter((i) => !axes.includes(i))
    const y = keepdim
      ? lax.reshape(
          g,
          kept.map((i) => xv.shape[i] as number),
        )
      : g
    return [Tensor._fromValue(lax.broadcastInDim(y, xv.shape, kept))]
  },
})

/** Reductions and linear algebra installed on Tensor. */
export const reduceMethods = {
  /** Sum over all elements, or over `dim` (`keepdim` keeps reduced dims). Ints and bools sum as int64. */
  sum(this: T, ...args: PyArgs<[dim: Dim, keepdim: boolean], ReduceKw>): T {
    const a = parseArgs('sum', args, ['dim', 'keepdim', 'dtype'])
    const v0 = self_(this)
    const axes = normDims(a.dim as Dim, v0.ndim)
    const keepdim = (a.keepdim as boolean | undefined) ?? false
    const dt = a.dtype as TorchDType | undefined
    const opts = dt === undefined && isFloat(v0.dtype) ? sumGrads(axes, keepdim) : {}
    return op(
      a.dim === undefined || a.dim === null ? 'SumBackward0' : 'SumBackward1',
      [this],
      (x0) => {
        const x = dt !== undefined ? lax.cast(x0, dt.storage) : isFloat(x0.dtype) ? x0 : lax.cast(x0, 'int64')
        // summing no axis (a 0-d tensor) adds to +0 as PyTorch's sum does: −0 becomes +0
        return keep(
          axes.length === 0 && isFloat(x.dtype) ? lax.addScalar(x, 0) : lax.reduceSum(x, axes),
          x.shape,
          axes,
          keepdim,
        )
      },
      opts,
    )
  },
  /** Mean over all elements or over `dim` (floating dtypes only, as PyTorch). */
  mean(this: T, ...args: PyArgs<[dim: Dim, keepdim: boolean], ReduceKw>): T {
    const a = parseArgs('mean', args, ['dim', 'keepdim', 'dtype'])
    const dt = (a.dtype as TorchDType | undefined) ?? this.dtype
    if (!dt.is_floating_point) {
      throw new RuntimeError(
        `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${dt.word}`,
      )
    }
    const v0 = self_(this)
    const axes = normDims(a.dim as Dim, v0.ndim)
    const keepdim = (a.keepdim as boolean | undefined) ?? false
    return op(a.dim === undefined || a.dim === null ? 'MeanBackward0' : 'MeanBackward1', [this], (x0) => {
      const x = lax.cast(x0, dt.storage)
      const n = axes.reduce((p, i) => p * (x.shape[i] as number), 1)
      // NOTE: summed, then divided, as PyTorch's kernel rounds (float32 [1×9, 0].mean() is
      // 0.89999998, not the 0.90000004 of Σ x/n); the gradient is PyTorch's `grad.expand(…) / n`
      // (its create_graph node is DivBackward1). An empty mean is NaN, as 0/0
      if (n === 0) return keep(lax.mulScalar(lax.reduceSum(x, axes), NaN), x.shape, axes, keepdim)
      return keep(meanKernel(axes, n)(x), x.shape, axes, keepdim)
    })
  },
  /** Product of elements (over `dim` if given). */
  prod(
    this: T,
    ...args: PyArgs<
      [dim: number, keepdim: boolean],
      { readonly dim?: number; readonly keepdim?: boolean; readonly dtype?: TorchDType }
    >
  ): T {
    const a = parseArgs('prod', args, ['dim', 'keepdim', 'dtype'])
    const v0 = self_(this)
    const axes = normDims(a.dim as number | undefined, v0.ndim)
    const keepdim = (a.keepdim as boolean | undefined) ?? false
    const out = op(
      a.dim === undefined ? 'ProdBackward0' : 'ProdBackward1',
      [this],
      (x0) => {
        // ints and bools multiply as int64, as PyTorch; `dtype` casts first
        const dt = a.dtype as TorchDType | undefined
        const x = dt !== undefined ? lax.cast(x0, dt.storage) : isFloat(x0.dtype) ? x0 : lax.cast(x0, 'int64')
        if (!isFloat(x.dtype)) return keep(productOver(x, axes), x0.shape, axes, keepdim)
        // PyTorch's prod_backward (zeroKernels.ts): grad · (result / x), or the zero-safe form
        const kernel = prodKernel(
          (v) => keep(productOver(v, axes), v.shape, axes, true),
          a.dim === undefined ? null : (axes[0] as number),
        )
        const kept = kernel(x)
        return keepdim
          ? kept
          : lax.reshape(
              kept,
              kept.shape.filter((_, j) => !axes.includes(j)),
            )
      },
      { saves: [0], savesOutput: true },
    )
    // prod_backward's `grad * (result / self)` when self has no zero (its zero-safe forms are contiguous)
    return isFloat(v0.dtype) && !v0._values('prod').includes(0) ? withReductionLayout(out, this, axes) : out
  },
  ...extremaMethods,
  /** Variance with Bessel's correction by default (`unbiased: false` or `correction: 0` to turn it off). */
  var(this: T, ...args: unknown[]): T {
    return varImpl(this, args, 'var')
  },
  /** Standard deviation (corrected by default, as PyTorch). */
  std(this: T, ...args: unknown[]): T {
    return varImpl(this, args, 'std')
  },
  /** Vector p-norm over all elements or `dim` (p = 2 by default; `'fro'` is 2). Its gradient at 0 is 0, as PyTorch's. */
  norm(
    this: T,
    ...args: PyArgs<
      [p: number | 'fro', dim: Dim, keepdim: boolean],
      { readonly p?: number | 'fro'; readonly dim?: Dim; readonly keepdim?: boolean }
    >
  ): T {
    const a = parseArgs('norm', args, ['p', 'dim', 'keepdim'])
    const p = a.p === undefined || a.p === 'fro' ? 2 : (a.p as number)
    const axes = normDims(a.dim as Dim, self_(this).ndim)
    const keepdim = (a.keepdim as boolean | undefined) ?? false
    const out = op(
      'LinalgVectorNormBackward0',
      [this],
      (x0) => {
        const x = floatOf(x0)
        const r = pNormOf(x, p, axes)
        return keep(r, x.shape, axes, keepdim)
      },
      p === 0 ? { saves: [0], savesOutput: true, ...NO_GRADIENT } : { saves: [0], savesOutput: true },
    )
    return withReductionLayout(out, this, axes)
  },
  /** `log Σ exp` over `dim`, stable. */
  logsumexp(
    this: T,
    ...args: PyArgs<[dim: Dim, keepdim: boolean], { readonly dim?: Dim; readonly keepdim?: boolean }>
  ): T {
    const a = parseArgs('logsumexp', args, ['dim', 'keepdim'])
    const dim = a.dim as Dim | undefined
    if (dim === undefined)
      throw new TorchTypeError(
        `logsumexp() received an invalid combination of arguments - got (${a.keepdim === undefined ? '' : 'keepdim=bool, '}), but expected one of:\n * (tuple of ints dim, bool keepdim)\n * (tuple of names dim, bool keepdim)\n`,
      )
    const kd = (a.keepdim as boolean | undefined) ?? false
    const axes = normDims(dim, self_(this).ndim)
    return op('LogsumexpBackward0', [this], (x) => logsumexpOp(floatOf(x), { axis: axes, keepdims: kd }), {
      saves: [0],
      savesOutput: true,
      formula: logsumexpFormula(axes, kd),
    })
  },
  /** Softmax along `dim`. */
  softmax(
    this: T,
    dim: number | { readonly dim: number; readonly dtype?: TorchDType },
    kw: { readonly dtype?: TorchDType } = {},
  ): T {
    const d = typeof dim === 'number' ? dim : dim.dim
    const dt = (typeof dim === 'number' ? kw.dtype : dim.dtype) ?? kw.dtype
    // PyTorch converts first (ToCopyBackward0), then takes the softmax
    if (dt !== undefined && dt !== this.dtype) return reduceMethods.softmax.call(this.to(dt), d)
    const axis = normDim(d, self_(this).ndim)
    return op(
      'SoftmaxBackward0',
      [this],
      // PyTorch's backward kernel, `(grad − Σ grad·y) · y` (zeroKernels.ts)
      softmaxKernel(
        (x) => (x.ndim === 0 ? lax.addScalar(lax.mulScalar(x, 0), 1) : softmaxOp(x, { axis })),
        'softmax',
        axis,
        floatOf,
      ),
      { savesOutput: true, formula: softmaxFormula('softmax', axis, floatOf(self_(this)).dtype) },
    )
  },
  /** Log-softmax along `dim`, stable. */
  log_softmax(
    this: T,
    dim: number | { readonly dim: number; readonly dtype?: TorchDType },
    kw: { readonly dtype?: TorchDType } = {},
  ): T {
    const d = typeof dim === 'number' ? dim : dim.dim
    const dt = (typeof dim === 'number' ? kw.dtype : dim.dtype) ?? kw.dtype
    // PyTorch converts first (ToCopyBackward0), then takes the log_softmax
    if (dt !== undefined && dt !== this.dtype) return reduceMethods.log_softmax.call(this.to(dt), d)
    const axis = normDim(d, self_(this).ndim)
    return op(
      'LogSoftmaxBackward0',
      [this],
      // PyTorch's backward kernel, `grad − exp(y) · Σ grad` (zeroKernels.ts); a 0-d result is +0
      softmaxKernel(
        (x) => (x.ndim === 0 ? lax.addScalar(lax.mulScalar(x, 0), 0) : logSoftmaxOp(x, { axis })),
        'log_softmax',
        axis,
        floatOf,
      ),
      { savesOutput: true, formula: softmaxFormula('log_softmax', axis, floatOf(self_(this)).dtype) },
    )
  },
  /** Cumulative sum along `dim` (`dtype`: cast first, as PyTorch); integer inputs sum as integers. */
  cumsum(this: T, ...args: PyArgs<[dim: number], { readonly dim?: number; readonly dtype?: TorchDType }>): T {
    const a = parseArgs('cumsum', args, ['dim', 'dtype'])
    if (a.dim === undefined || a.dim === null)
      throw new TorchTypeError(
        'cumsum() received an invalid combination of arguments - got (), but expected one of:\n' +
          ' * (int dim, *, torch.dtype dtype)\n * (name dim, *, torch.dtype dtype)',
      )
    const v0 = self_(this)
    const axis = normDim(a.dim as number, Math.max(v0.ndim, 1))
    const dt = a.dtype as TorchDType | undefined
    return op(
      'CumsumBackward0',
      [this],
      (x0) => {
        const x = dt !== undefined ? lax.cast(x0, dt.storage) : isFloat(x0.dtype) ? x0 : lax.cast(x0, 'int64')
        // PyTorch's cumsum_backward returns grad itself for a size-1 dim or ≤ 1 element (same tensor, same layout)
        if (x.ndim === 0 || x.size <= 1 || x.shape[axis] === 1)
          return isFloat(x.dtype) && x.ndim > 0 ? lax.addScalar(x, 0) : x
        return isFloat(x.dtype) ? cumsumFromZero(axis)(x) : lax.cumsum(x, axis)
      },
      { formula: cumsumFormula(axis) },
    )
  },
  /** True if all elements are nonzero (over `dim` if given). */
  all(this: T, ...args: PyArgs<[dim: Dim, keepdim: boolean], { readonly dim?: Dim; readonly keepdim?: boolean }>): T {
    const a = parseArgs('all', args, ['dim', 'keepdim'])
    const axes = normDims(a.dim as Dim, self_(this).ndim)
    return op(
      'all',
      [this],
      (x) => keep(lax.reduceAnd(lax.cast(x, 'bool'), axes), x.shape, axes, (a.keepdim as boolean | undefined) ?? false),
      { differentiable: false },
    )
  },
  /** True if any element is nonzero (over `dim` if given). */
  any(this: T, ...args: PyArgs<[dim: Dim, keepdim: boolean], { readonly dim?: Dim; readonly keepdim?: boolean }>): T {
    const a = parseArgs('any', args, ['dim', 'keepdim'])
    const axes = normDims(a.dim as Dim, self_(this).ndim)
    return op(
      'any',
      [this],
      (x) => keep(lax.reduceOr(lax.cast(x, 'bool'), axes), x.shape, axes, (a.keepdim as boolean | undefined) ?? false),
      { differentiable: false },
    )
  },
  ...productMethods,
}

/**
 * `jax.scipy.stats.gaussian_kde` (camelCase `gaussianKde`): a Gaussian kernel density estimate of
 * weighted d-dimensional data, composed from matrix products, Cholesky factors and logsumexp
 * (differentiable in the data, the weights and the evaluation points).
 *
 * @category scipy
 * @since 0.7.0
 */
import * as lax from '../../core/lax'
import { array, full, zeros } from '../../ndarray/create'
import { ShapeError, ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { asFloat, type ArrayLike } from '../convert'
import { add, div, mul, pow, sub } from '../elementwise'
import { matmul, transpose } from '../linalg'
import { choFactor, choSolve, inv } from '../linalg/solve'
import { cholesky } from '../linalg/decompositions'
import { diagonal } from '../linalg/matrix'
import { logsumexp, prod, sum } from '../reduce'
import { expandDims, reshape, squeeze } from '../reshape'
import { moveaxis } from '../numpyExtra/shape'
import { exp, log, neg, sqrt, square } from '../unary'
import { choice } from '../random/discrete'
import { multivariateNormal } from '../random/multivariate'
import { split, type KeyArray } from '../random/keys'
import { vmap } from '../../transforms/vmap'
import { ndtr } from './special'

/** The bandwidth rule: 'scott' (default), 'silverman', a fixed factor, or a function of the estimate. */
export type KdeBandwidth = 'scott' | 'silverman' | number | NdArray | ((kde: GaussianKde) => ArrayLike)

/** Options of {@link gaussianKde}. */
export interface GaussianKdeOptions {
  /** How the kernel's covariance factor is chosen (SciPy's `bw_method`). Default 'scott'. */
  readonly bwMethod?: KdeBandwidth
  /** A weight per data point (normalised to sum 1). Default: equal weights. */
  readonly weights?: ArrayLike
}

const OP = 'scipy.stats.gaussianKde'
/** As a [rows, columns] float array: 0-d and 1-d become one row. */
const atLeast2d = (what: string, x: ArrayLike): NdArray => {
  const a = asFloat(OP, x)
  if (a.ndim > 2) throw new ShapeError(`${OP}: ${what} must have at most 2 dimensions, got shape [${a.shape}]`)
  return a.ndim === 2 ? a : reshape(a, [1, a.size])
}

/** The weighted covariance of the rows of `x` (columns are observations; weights sum to 1, unbiased). */
const weightedCov = (x: NdArray, w: NdArray): NdArray => {
  const centred = sub(x, expandDims(matmul(x, w), -1))
  return div(matmul(mul(centred, w), transpose(centred)), sub(1, sum(square(w))))
}

/**
 * A Gaussian kernel density estimate (JAX's `gaussian_kde` class). Built by {@link gaussianKde}.
 * Fields as SciPy/JAX: `dataset` [d, n], `weights` [n] (sum 1), `neff` (effective sample size),
 * `covariance` and `invCov` (the kernel's covariance and its inverse), `d`, `n`.
 * @category scipy @since 0.7.0
 */
export class GaussianKde {
  readonly dataset: NdArray
  readonly weights: NdArray
  readonly neff: NdArray
  readonly covariance: NdArray
  readonly invCov: NdArray

  constructor(dataset: ArrayLike, options: GaussianKdeOptions = {}) {
    let data = atLeast2d('dataset', dataset)
    if (!(data.size > 1)) throw new ValueError(`${OP}: \`dataset\` input should have multiple elements.`)
    const n = data.shape[1] as number
    let w: NdArray
    if (options.weights !== undefined) {
      const w0 = asFloat(OP, options.weights)
      if (w0.dtype === 'float64' || data.dtype === 'float64')
        [data, w] = [lax.cast(data, 'float64'), lax.cast(w0, 'float64')]
      else w = w0
      if (w.ndim === 0) w = reshape(w, [1])
      if (w.ndim !== 1) throw new ValueError(`${OP}: \`weights\` input should be one-dimensional.`)
      if (w.shape[0] !== n) throw new ValueError(`${OP}: \`weights\` input should be of length n`)
      w = div(w, sum(w))
    } else w = full([n], 1 / n, { dtype: data.dtype })
    this.dataset = data
    this.weights = w
    this.neff = div(1, sum(square(w)))
    const factor = this.factor(options.bwMethod ?? 'scott')
    const dataCov = reshape(weightedCov(data, w), [this.d, this.d])
    this.covariance = mul(dataCov, square(factor))
    this.invCov = div(inv(dataCov), square(factor))
  }

  /** The number of dimensions. */
  get d(): number {
    return this.dataset.shape[0] as number
  }
  /** The number of data points. */
  get n(): number {
    return this.dataset.shape[1] as number
  }

  private factor(bw: KdeBandwidth): NdArray {
    const d = this.d
    if (bw === 'scott') return pow(this.neff, -1 / (d + 4))
    if (bw === 'silverman') return pow(mul(this.neff, (d + 2) / 4), -1 / (d + 4))
    const scalar = (v: ArrayLike): NdArray =>
      typeof v === 'number' ? array(v, { dtype: this.dataset.dtype }) : asFloat(OP, v)
    if (typeof bw === 'number') return scalar(bw)
    if (typeof bw === 'function') return scalar(bw(this))
    if (typeof bw === 'object' && bw !== null && 'ndim' in bw && bw.ndim === 0) return asFloat(OP, bw)
    throw new ValueError(`${OP}: \`bw_method\` should be 'scott', 'silverman', a scalar, or a callable.`)
  }

  /** Points as [d, m]; a single d-vector given as one row becomes one point. */
  private points(x: ArrayLike): NdArray {
    const p = atLeast2d('points', x)
    const [d, m] = p.shape as [number, number]
    if (d === this.d) return p
    if (d === 1 && m === this.d) return reshape(p, [this.d, 1])
    throw new ValueError(`${OP}: points have dimension ${d}, dataset has dimension ${this.d}`)
  }

  /** [m, n] kernel exponents log N(x_i; data_j, covariance), with the whitening of invCov. */
  private logKernel(x: ArrayLike): NdArray {
    const white = cholesky(this.invCov)
    const logNorm = sub(sum(log(diagonal(white))), 0.5 * this.d * Math.log(2 * Math.PI))
    const data = matmul(transpose(this.dataset), white)
    const pts = matmul(transpose(this.points(x)), white)
    const sq = sum(square(sub(expandDims(pts, 1), expandDims(data, 0))), -1)
    return sub(logNorm, mul(sq, 0.5))
  }

  /** The density at points x ([d, m], or [m] when d = 1): Σ_j w_j N(x; data_j, covariance). */
  evaluate(points: ArrayLike): NdArray {
    return sum(mul(exp(this.logKernel(points)), this.weights), -1)
  }
  /** Same as {@link GaussianKde.evaluate}. */
  pdf(points: ArrayLike): NdArray {
    return this.evaluate(points)
  }
  /** Same as {@link GaussianKde.evaluate} (JAX's `__call__`). */
  call(points: ArrayLike): NdArray {
    return this.evaluate(points)
  }
  /** The log density, by logsumexp (finite far in the tails where the density underflows). */
  logpdf(points: ArrayLike): NdArray {
    return logsumexp(add(this.logKernel(points), log(this.weights)), -1)
  }

  /** Σ_j w_j N(mean; data_j, covariance + cov) for the Cholesky factor `chol` of covariance + cov. */
  private convolve(chol: readonly [NdArray, boolean], target: NdArray, weights: NdArray, mean: NdArray): NdArray {
    const norm = div(1, mul(Math.pow(Math.sqrt(2 * Math.PI), this.d), prod(diagonal(chol[0]))))
    const diff = sub(target, expandDims(mean, -1))
    const arg = mul(sum(mul(diff, choSolve(chol, diff)), 0), 0.5)
    return mul(norm, sum(mul(exp(neg(arg)), weights)))
  }

  /** ∫ kde(x)·N(x; mean, cov) dx. */
  integrateGaussian(mean: ArrayLike, cov: ArrayLike): NdArray {
    let m = squeeze(asFloat(OP, mean))
    if (m.ndim === 0) m = reshape(m, [1])
    const c = atLeast2d('cov', cov)
    if (m.ndim !== 1 || m.shape[0] !== this.d) throw new ValueError(`${OP}: mean does not have dimension ${this.d}`)
    if (c.shape[0] !== this.d || c.shape[1] !== this.d)
      throw new ValueError(`${OP}: covariance does not have dimension ${this.d}`)
    return this.convolve(choFactor(add(this.covariance, c)), this.dataset, this.weights, m)
  }

  /** ∫ kde over [low, high] (one-dimensional estimates only; scalar limits). */
  integrateBox1d(low: ArrayLike, high: ArrayLike): NdArray {
    if (this.d !== 1) throw new ValueError(`${OP}: integrate_box_1d() only handles 1D pdfs`)
    const isScalar = (v: ArrayLike): boolean => typeof v === 'number' || v.ndim === 0
    if (!isScalar(low) || !isScalar(high))
      throw new ValueError(`${OP}: the limits of integration in integrate_box_1d must be scalars`)
    const sigma = squeeze(sqrt(this.covariance))
    const z = (v: ArrayLike): NdArray => squeeze(div(sub(v, this.dataset), sigma))
    return sum(mul(this.weights, sub(ndtr(z(high)), ndtr(z(low)))))
  }

  /** ∫ kde(x)·other(x) dx for another estimate of the same dimension. */
  integrateKde(other: GaussianKde): NdArray {
    if (other.d !== this.d) throw new ValueError(`${OP}: KDEs are not the same dimensionality`)
    const chol = choFactor(add(this.covariance, other.covariance))
    const [sm, lg] = this.n < other.n ? [this, other] : [other, this]
    const each = vmap((m: NdArray) => this.convolve(chol, lg.dataset, lg.weights, m), { inAxes: [1] })(sm.dataset)
    return sum(mul(each, sm.weights))
  }

  /**
   * Draws from the estimate: a data point chosen by weight plus N(0, covariance) noise, as
   * [d, ...shape] (JAX transposes the noise, which mixes up multi-axis shapes; here the batch
   * axes keep their order).
   */
  resample(key: KeyArray, shape: ReadonlyArray<number> = []): NdArray {
    const [indKey, epsKey] = split(key)
    const ind = choice(indKey, this.n, shape, { p: this.weights })
    const dtype = this.dataset.dtype === 'float64' ? 'float64' : 'float32'
    const eps = multivariateNormal(epsKey, zeros([this.d], { dtype }), this.covariance, shape, { dtype })
    return add(lax.gather(this.dataset, lax.cast(ind, 'int32'), 1), moveaxis(eps, -1, 0))
  }

  /** Refused, as JAX: only one-dimensional boxes ({@link GaussianKde.integrateBox1d}). */
  integrateBox(_low: ArrayLike, _high: ArrayLike): never {
    throw new ValueError(`${OP}: only 1D box integrations are supported; use \`integrateBox1d\``)
  }
  /** Refused, as JAX: the bandwidth is fixed at construction. */
  setBandwidth(_bwMethod?: KdeBandwidth): never {
    throw new ValueError(`${OP}: dynamically changing the bandwidth method is not supported`)
  }
}

/**
 * A Gaussian kernel density estimate of `dataset` ([d, n], or [n] for one dimension) (JAX's
 * `jax.scipy.stats.gaussian_kde`): the kernel covariance is the weighted data covariance times
 * factor², the factor by Scott's rule n_eff^(−1/(d+4)), Silverman's (n_eff·(d+2)/4)^(−1/(d+4)), a
 * given scalar, or a function of the estimate.
 * @example
 * import { scipy, array } from 'wengert'
 * const kde = scipy.stats.gaussianKde(array([-1, 0, 0.5, 2], { dtype: 'float64' }))
 * assert.ok(Math.abs(Number(kde.integrateBox1d(-100, 100).item()) - 1) < 1e-12)
 * assert.deepStrictEqual(kde.evaluate(array([0, 1], { dtype: 'float64' })).shape, [2])
 * @category scipy @since 0.7.0
 */
export const gaussianKde = (dataset: ArrayLike, options: GaussianKdeOptions = {}): GaussianKde =>
  new GaussianKde(dataset, options)

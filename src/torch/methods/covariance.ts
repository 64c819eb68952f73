/**
 * `cov` and `corrcoef` as Tensor methods, composed of facade ops in the order PyTorch composes
 * them (weighted mean, centred product, normalisation, `squeeze`; corrcoef divides by the standard
 * deviations and clamps to [-1, 1]), so their nodes and gradients are PyTorch's.
 *
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError } from '../errors'
import { parseArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { warn } from '../warnings'

type T = Tensor

/** Options of `cov`: `correction` (1: Bessel's), integer frequency weights, float observation weights. */
export type CovKw = {
  readonly correction?: number
  readonly fweights?: T | null
  readonly aweights?: T | null
}

/** Checks one weight vector against the number of observations. */
const checkWeights = (w: T, what: 'fweights' | 'aweights', n: number): void => {
  if (w.dim() > 1)
    throw new RuntimeError(
      `cov(): expected ${what} to have one or fewer dimensions but got ${what} with ${w.dim()} dimensions`,
    )
  const integral = !w.dtype.is_floating_point && w.dtype.name !== 'bool'
  if (what === 'fweights' ? !integral : !w.dtype.is_floating_point)
    throw new RuntimeError(
      `cov(): expected ${what} to have ${what === 'fweights' ? 'integral' : 'floating point'} dtype but got ${what} with ${w.dtype.word} dtype`,
    )
  if (w.numel() !== n)
    throw new RuntimeError(
      `cov(): expected ${what} to have the same numel as there are observations in the input but got ${w.numel()} != ${n}`,
    )
  if (n > 0 && (w.min().item() as number) < 0) throw new RuntimeError(`cov(): ${what} cannot be negative`)
}

const covOf = (self: T, kw: CovKw): T => {
  if (self.dim() > 2)
    throw new RuntimeError(
      `cov(): expected input to have two or fewer dimensions but got an input with ${self.dim()} dimensions`,
    )
  if (self.dtype.name === 'bool') throw new RuntimeError('cov(): bool dtype is not supported for input')
  const x = self.dim() < 2 ? self.view(1, -1) : self
  const n = x.shape[1] as number
  const correction = kw.correction ?? 1
  const fw = kw.fweights ?? null
  const aw = kw.aweights ?? null
  if (fw !== null) checkWeights(fw, 'fweights', n)
  if (aw !== null) checkWeights(aw, 'aweights', n)
  const w = fw !== null && aw !== null ? fw.mul(aw) : (fw ?? aw)
  let x1 = x
  let norm: number
  if (w === null) {
    x1 = x.sub(x.sum(1).div(n).unsqueeze(1))
    norm = n - correction
  } else {
    const wSum = w.sum().item() as number
    if (wSum === 0) throw new RuntimeError("cov(): weights sum to zero, can't be normalized")
    x1 = x.sub(x.mul(w).sum(1).div(wSum).unsqueeze(1))
    norm =
      aw !== null && correction !== 0
        ? wSum - (correction * (w.mul(aw).sum().item() as number)) / wSum
        : wSum - correction
  }
  if (norm <= 0) {
    warn('cov(): degrees of freedom is <= 0')
    norm = 0
  }
  return x1
    .mm((w === null ? x1 : x1.mul(w)).t())
    .div(norm)
    .squeeze()
}

/** Covariance and correlation installed on Tensor. */
export const covarianceMethods = {
  /** The covariance matrix of the rows (variables) over the columns (observations); a 1-D input is one variable. */
  cov(this: T, kw: CovKw = {}): T {
    parseArgs('cov', [kw], ['correction', 'fweights', 'aweights'])
    return covOf(this, kw)
  },
  /** Pearson's correlation coefficients of the rows, clamped to [-1, 1]. */
  corrcoef(this: T): T {
    if (this.dim() > 2)
      throw new RuntimeError(
        `corrcoef(): expected input to have two or fewer dimensions but got an input with ${this.dim()} dimensions`,
      )
    const c = covOf(this, {})
    if (c.dim() === 0) return c.div(c)
    const sd = c.diag().sqrt()
    return c.div(sd.view(-1, 1)).div(sd.view(1, -1)).clamp(-1, 1)
  },
}

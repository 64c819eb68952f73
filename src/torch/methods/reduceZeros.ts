/**
 * Reductions whose gradients keep the signed zeros PyTorch's kernels give (issue 10, difftest
 * class D2), and their create_graph formulas (class D7):
 *
 * - `lastDimSum`: PyTorch's vectorized CPU kernels over the innermost dimension
 *   (`vec::map2_reduce_all` in the softmax backward kernels) start each sum from the first element
 *   rather than from +0, so a sum of −0s is −0 (measured on PyTorch 1.13: softmax/log_softmax
 *   backward along the last dimension of an all −0 gradient give +0; along another dimension, where
 *   the kernel's accumulator starts at 0, −0). Adding from −0 (the IEEE additive identity) gives
 *   the same zeros;
 * - `var`/`std`: FunctionsManual.cpp's `var_backward`, `(2 / (n − correction)) · grad · (self −
 *   self.mean(dim, keepdim=True))` (`grad · where(self == mean, NaN, ∞)` for a full reduction with
 *   no degree of freedom), and `std_backward`, `var_backward((grad / (2 · result)).masked_fill_(result
 *   == 0, 0))`;
 * - `mv`: derivatives.yaml's `self: grad.ger(vec)` (an outer product by multiplication, so a −0
 *   product stays −0 where a matrix product would add it to +0) and `vec: self.t().mv(grad)`.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { isPending } from '../../core/deferred'
import { NdArray } from '../../ndarray/NdArray'
import { customVjp } from '../../transforms/custom'
import type { MultiFormula } from '../autograd/multiOutput'
import { op, type OpOptions } from '../autograd/op'
import { Tensor } from '../tensor'

type Formula = NonNullable<OpOptions['formula']>

/** True where `v` is −0. */
const isNegZero = (v: NdArray): NdArray =>
  lax.and(lax.eq(v, lax.scalarLike(0, v)), lax.lt(lax.div(lax.scalarLike(1, v), v), lax.scalarLike(0, v)))

/** `Σ v` over `axis` (removed) starting from −0: −0 when every term is −0, else the core's sum. */
export const sumFromNegZero = (v: NdArray, axis: number): NdArray => {
  const s = lax.reduceSum(v, [axis])
  // a sum that is not ±0 has a term that is not −0: only rows summing to ±0 need the count (a
  // concrete sum with none is the answer; W8's softmax backward made 5 full-size temporaries here)
  if (s.constructor === NdArray && !isPending(s) && !s._data.includes(0)) return s
  const n = v.shape[axis] as number
  const negs = lax.reduceSum(lax.cast(isNegZero(v), v.dtype), [axis])
  return lax.select(lax.eq(negs, lax.scalarLike(n, negs)), lax.broadcastLike(lax.scalarLike(-0, s), s), s)
}

/**
 * `Σ v` along `axis`, kept and broadcast back to v's shape, as PyTorch's softmax backward kernels
 * sum: from the first element along the last dimension, from +0 along another.
 */
export const kernelSumBack = (v: NdArray, axis: number): NdArray => {
  const last = v.ndim === 0 || axis === v.ndim - 1
  if (v.ndim === 0 || v.shape[axis] === 1) return last ? v : lax.addScalar(v, 0)
  const kept = v.shape.map((d, i) => (i === axis ? 1 : d))
  const s = last ? sumFromNegZero(v, axis) : lax.reduceSum(v, [axis])
  return lax.broadcastTo(lax.reshape(s, kept), v.shape)
}

/** What var/std reduce: the axes, whether a `dim` was given, the correction and keepdim. */
export interface SpreadSpec {
  readonly axes: ReadonlyArray<number>
  readonly dimGiven: boolean
  readonly correction: number
  readonly keepdim: boolean
}

/** The number of elements each result reduces. */
const countOf = (shape: ReadonlyArray<number>, axes: ReadonlyArray<number>): number =>
  axes.reduce((p, i) => p * (shape[i] as number), 1)

/** `grad` with the reduced axes put back as size 1 (`unsqueeze_multiple` when keepdim is false). */
const keptGrad = (g: NdArray, shape: ReadonlyArray<number>, axes: ReadonlyArray<number>): NdArray =>
  lax.reshape(
    g,
    shape.map((d, i) => (axes.includes(i) ? 1 : d)),
  )

/** `var_backward(grad, self, dim, correction, keepdim)` over arrays. */
const varBackward = (g: NdArray, x: NdArray, s: SpreadSpec): NdArray => {
  const axes = s.axes
  const full = !s.dimGiven || x.ndim === 0
  const dof = countOf(x.shape, axes) - s.correction
  const mean = lax.mulScalar(lax.reduceSum(x, axes), 1 / countOf(x.shape, axes))
  const meanB = lax.broadcastLike(keptGrad(mean, x.shape, axes), x)
  const gB = lax.broadcastLike(full ? g : keptGrad(g, x.shape, axes), x)
  if (full && dof <= 0) {
    const inf = lax.broadcastLike(lax.scalarLike(Infinity, x), x)
    return lax.mul(gB, lax.select(lax.eq(x, meanB), lax.broadcastLike(lax.scalarLike(NaN, x), x), inf))
  }
  return lax.mul(lax.mulScalar(gB, 2 / dof), lax.sub(x, meanB))
}

/** `std_backward`: var_backward of `(grad / (2 · result))` with +0 where the result is 0. */
const stdBackward = (g: NdArray, x: NdArray, out: NdArray, s: SpreadSpec): NdArray => {
  const q = lax.div(g, lax.mulScalar(out, 2))
  return varBackward(lax.select(lax.eq(out, lax.scalarLike(0, out)), lax.zerosLike(q), q), x, s)
}

/** `f` (var or std of x as `s` specifies) whose VJP is PyTorch's var_backward / std_backward. */
export const spreadKernel = (
  f: (x: NdArray) => NdArray,
  kind: 'var' | 'std',
  s: SpreadSpec,
): ((x: NdArray) => NdArray) =>
  customVjp(
    (x: NdArray) => f(x),
    (x: NdArray) => {
      const out = f(x)
      return [out, [x, out] as const] as const
    },
    ([x, out]: readonly [NdArray, NdArray], g: NdArray) => [
      kind === 'var' ? varBackward(g, x, s) : stdBackward(g, x, out, s),
    ],
  )

/** `s · t` as ATen's Scalar overload records it (MulBackward1: the Scalar has no edge). */
const timesScalar = (t: Tensor, s: number): Tensor => op('MulBackward1', [t], (x) => lax.mulScalar(x, s))

/** `var_backward` with facade ops (MulBackward1 of the gradient, times SubBackward0(self, Mean…)). */
const varFormulaOf = (g: Tensor, x: Tensor, s: SpreadSpec): Tensor => {
  const full = !s.dimGiven || x.ndim === 0
  const n = countOf(x.shape, s.axes)
  if (full) {
    const dof = n - s.correction
    if (dof <= 0) {
      const at = x.eq(x.mean())._value()
      const k = (v: number): NdArray => lax.broadcastLike(lax.scalarLike(v, x._value()), at)
      return g.mul(Tensor._fromValue(lax.select(at, k(NaN), k(Infinity))))
    }
    return timesScalar(g, 2 / dof).mul(x.sub(x.mean()))
  }
  let gk = g
  if (!s.keepdim && x.ndim > 1) for (const a of [...s.axes].sort((p, q) => p - q)) gk = gk.unsqueeze(a)
  return timesScalar(gk, 2 / (n - s.correction)).mul(x.sub(x.mean([...s.axes], true)))
}

/** The create_graph formula of var (`kind` 'var') or std, as FunctionsManual.cpp writes it. */
export const spreadFormula =
  (kind: 'var' | 'std', s: SpreadSpec): Formula =>
  (g, [x], output) => {
    const self = x as Tensor
    if (kind === 'var') return [varFormulaOf(g, self, s)]
    const result = output()
    return [varFormulaOf(g.div(timesScalar(result, 2)).masked_fill_(result.eq(0), 0), self, s)]
  }

/**
 * `mean_backward`: the gradient put back over the reduced dimensions (`sum_backward`: unsqueezed
 * when keepdim is false, then expanded) and divided by the count (a Scalar: DivBackward1).
 */
const meanBackwardOf = (g: Tensor, x: Tensor, s: SpreadSpec): Tensor => {
  const n = countOf(x.shape, s.axes)
  let gk = g
  if (s.dimGiven && !s.keepdim && x.ndim > 0) for (const a of [...s.axes].sort((p, q) => p - q)) gk = gk.unsqueeze(a)
  return op('DivBackward1', [gk.expand([...x.shape])], (v) => lax.div(v, lax.scalarLike(n, v)))
}

/**
 * PyTorch 2.x's `var_mean_backward` / `std_mean_backward` (FunctionsManual.cpp): var_backward
 * (std_backward) of the first output's gradient plus mean_backward of the second's, each only when
 * that gradient arrived (a missing one adds nothing: it is not a zero gradient). PyTorch 1.13
 * differentiated var_mean's composition instead.
 */
export const spreadMeanFormula =
  (kind: 'var' | 'std', s: SpreadSpec): MultiFormula =>
  ([gSpread, gMean], [x], outputs) => {
    const self = x as Tensor
    const parts: Tensor[] = []
    if (gSpread !== null && gSpread !== undefined) {
      const [result] = outputs() as [Tensor]
      const g = kind === 'var' ? gSpread : gSpread.div(timesScalar(result, 2)).masked_fill_(result.eq(0), 0)
      parts.push(varFormulaOf(g, self, s))
    }
    if (gMean !== null && gMean !== undefined) parts.push(meanBackwardOf(gMean, self, s))
    const [a, b] = parts
    return [a === undefined ? null : b === undefined ? a : a.add(b)]
  }

/** `mat @ vec` as a matrix product with a one-column matrix. */
const mvValue = (a: NdArray, v: NdArray): NdArray =>
  lax.reshape(lax.matmul(a, lax.reshape(v, [v.shape[0] as number, 1])), [a.shape[0] as number])

/** `mat @ vec` whose VJP is PyTorch's: `grad.ger(vec)` (products, no sum) and `mat.t().mv(grad)`. */
export const mvKernel: (a: NdArray, v: NdArray) => NdArray = customVjp(
  (a: NdArray, v: NdArray) => mvValue(a, v),
  (a: NdArray, v: NdArray) => [mvValue(a, v), [a, v] as const] as const,
  ([a, v]: readonly [NdArray, NdArray], g: NdArray) => {
    const [m, n] = a.shape as [number, number]
    const outer = lax.mul(
      lax.broadcastTo(lax.reshape(g, [m, 1]), [m, n]),
      lax.broadcastTo(lax.reshape(v, [1, n]), [m, n]),
    )
    const vBar = lax.reshape(lax.matmul(lax.transpose(a, [1, 0]), lax.reshape(g, [m, 1])), [n])
    return [outer, vBar]
  },
)

/** mv's create_graph formula: `grad.reshape(-1, 1) * vec` and `self.t().mv(grad)`. */
export const mvFormula: Formula = (g, [a, v]) => [g.reshape([-1, 1]).mul(v as Tensor), (a as Tensor).t().mv(g)]

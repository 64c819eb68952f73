/**
 * More forward functions whose VJP is PyTorch's backward formula rather than the derivative of
 * their composition (issue 10, difftest class D2; see ./gradKernels.ts): a zero gradient keeps the
 * sign PyTorch's arithmetic gives it.
 *
 * - `pow`: `where(exponent == 0, 0, grad · (exponent · self^(exponent − 1)))` for the base and
 *   `grad · where(self == 0 ∧ exponent ≥ 0, 0, result · log self)` for the exponent
 *   (`pow_backward_self` / `pow_backward_exponent`): the base's gradient is +0 where PyTorch
 *   selects it, not `grad · 0`;
 * - `maximum`/`minimum`: `where(self == other, grad / 2, grad)` with the losing side's zeros
 *   written in (`masked_fill_`), so a −0 gradient passes unchanged (a sum of the branches of a
 *   selection gave −0 + 0 = +0);
 * - `softmax`/`log_softmax` along a one-element axis (or of a 0-d tensor): `(grad − Σ grad·y) · y`
 *   and `grad − exp(y) · Σ grad`, PyTorch's CPU kernels (`_softmax_backward_data` /
 *   `_log_softmax_backward_data`), so log_softmax's gradient there is `g − g` = +0.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { valuesBelow } from '../../core/trace'
import { customVjp } from '../../transforms/custom'
import { extremumFn, powFn, powScalarFn } from './selecting'
import { kernelSumBack } from './reduceZeros'

type Binary = (x: NdArray, y: NdArray) => NdArray

const zeroLike = (x: NdArray): NdArray => lax.scalarLike(0, x)

/**
 * `pow_backward_self`: 0 where the exponent is 0, else `grad · (exponent · x^(exponent − 1))`; a
 * number exponent's `x^(exponent − 1)` is the number kernel (`powScalarFn`: sqrt at 1.5, rsqrt at 0.5).
 */
const powGradBase = (g: NdArray, x: NdArray, y: NdArray, numberExponent: boolean): NdArray => {
  const yb = lax.broadcastLike(y, g)
  const xb = lax.broadcastLike(x, g)
  const p = numberExponent ? powScalarFn(xb, lax.addScalar(y, -1)) : lax.pow(xb, lax.addScalar(yb, -1))
  const d = lax.mul(g, lax.mul(yb, p))
  return lax.unbroadcast(lax.select(lax.eq(yb, zeroLike(yb)), zeroLike(g), d), x.shape)
}

/** `pow_backward_exponent`: `grad · where(x == 0 ∧ exponent ≥ 0, 0, result · log x)` (the select inside the product). */
const powGradExponent = (g: NdArray, x: NdArray, y: NdArray, out: NdArray): NdArray => {
  const xb = lax.broadcastLike(x, g)
  const at0 = lax.and(lax.eq(xb, zeroLike(xb)), lax.ge(lax.broadcastLike(y, g), zeroLike(g)))
  return lax.unbroadcast(lax.mul(g, lax.select(at0, zeroLike(g), lax.mul(out, lax.log(xb)))), y.shape)
}

type PowRes = readonly [NdArray, NdArray, NdArray]

/** `x ** y` with PyTorch's pow backward, for the inputs `needs` names (a Python number has none). */
const powKernel = (needs: 'both' | 'base' | 'exponent'): Binary => {
  // a number exponent: PyTorch's kernel computes 0.5 and −0.5 as sqrt and rsqrt
  const f = needs === 'base' ? powScalarFn : powFn
  return customVjp(
    (x: NdArray, y: NdArray) => f(x, y),
    (x: NdArray, y: NdArray) => {
      const out = f(x, y)
      return [out, [x, y, out] as PowRes] as const
    },
    ([x, y, out]: PowRes, g: NdArray) => [
      needs === 'exponent' ? null : powGradBase(g, x, y, needs === 'base'),
      needs === 'base' ? null : powGradExponent(g, x, y, out),
    ],
  )
}

/** pow with PyTorch's backward: tensor ** tensor, tensor ** number, number ** tensor. */
export const powKernels: Readonly<Record<'both' | 'base' | 'exponent', Binary>> = {
  both: powKernel('both'),
  base: powKernel('base'),
  exponent: powKernel('exponent'),
}

/** `maximum` (`'max'`) / `minimum` (`'min'`) with PyTorch's backward (ties halve, the loser gets +0). */
const extremumKernel = (which: 'max' | 'min'): Binary => {
  const f = extremumFn(which)
  return customVjp(
    (x: NdArray, y: NdArray) => f(x, y),
    (x: NdArray, y: NdArray) => [f(x, y), [x, y] as const] as const,
    ([x, y]: readonly [NdArray, NdArray], g: NdArray) => {
      const xb = lax.broadcastLike(x, g)
      const yb = lax.broadcastLike(y, g)
      const shared = lax.select(lax.eq(xb, yb), lax.mulScalar(g, 0.5), g)
      const [xLoses, yLoses] = which === 'max' ? [lax.lt(xb, yb), lax.gt(xb, yb)] : [lax.gt(xb, yb), lax.lt(xb, yb)]
      return [
        lax.unbroadcast(lax.select(xLoses, zeroLike(g), shared), x.shape),
        lax.unbroadcast(lax.select(yLoses, zeroLike(g), shared), y.shape),
      ]
    },
  )
}

/** maximum / minimum with PyTorch's backward. */
export const extremumKernels: Readonly<Record<'max' | 'min', Binary>> = {
  max: extremumKernel('max'),
  min: extremumKernel('min'),
}

/** `_softmax_backward_data`: `(grad − Σ grad·y) · y`. */
export const softmaxBackward = (g: NdArray, y: NdArray, axis: number): NdArray =>
  lax.mul(lax.sub(g, kernelSumBack(lax.mul(g, y), axis)), y)

/** `_log_softmax_backward_data`: `grad − exp(y) · Σ grad`. */
export const logSoftmaxBackward = (g: NdArray, y: NdArray, axis: number): NdArray =>
  lax.sub(g, lax.mul(lax.exp(y), kernelSumBack(g, axis)))

/**
 * `f` (a softmax or log_softmax along `axis`) applied to `pre(x)` (the conversion to float,
 * outside the kernel), whose VJP is PyTorch's backward kernel over the result (`g − g` = +0 for
 * log_softmax along one element), summing as PyTorch's CPU kernels sum (`kernelSumBack`: from the
 * first element along the last dimension, so Σ of −0s is −0 there).
 */
export const softmaxKernel = (
  f: (x: NdArray) => NdArray,
  kind: 'softmax' | 'log_softmax',
  axis: number,
  pre: (x: NdArray) => NdArray,
): ((x: NdArray) => NdArray) => {
  const k = customVjp(
    (x: NdArray) => f(x),
    (x: NdArray) => {
      const y = f(x)
      return [y, y] as const
    },
    (y: NdArray, g: NdArray) => [(kind === 'softmax' ? softmaxBackward : logSoftmaxBackward)(g, y, axis)],
  )
  return (x) => k(pre(x))
}

/** The number of zeros in `x` when its values are known (not under jit's staging), else undefined. */
const zeroCount = (x: NdArray): number | undefined => {
  const v = valuesBelow(x)
  if (v === undefined) return undefined
  let n = 0
  for (let i = 0; i < v.length; i++) if (v[i] === 0) n++
  return n
}

/**
 * `prod_safe_zeros_backward`: `grad · (exclusive cumprod · reverse exclusive cumprod)` along
 * `axis` (exact where factors are zero).
 */
const prodSafeZeros = (g: NdArray, x: NdArray, axis: number): NdArray => {
  const n = x.shape[axis] as number
  if (n === 1) return g
  const at = (v: number): number[] => x.shape.map((_, i) => (i === axis ? v : 0))
  const none = x.shape.map(() => 0)
  const part = (lo: number, hi: number): NdArray =>
    lax.slice(
      x,
      x.shape.map((_, i) => (i === axis ? lo : 0)),
      x.shape.map((d, i) => (i === axis ? hi : d)),
      x.shape.map(() => 1),
    )
  const before = lax.cumprod(lax.pad(part(0, n - 1), at(1), none, none, 1), axis)
  const after = lax.cumprod(lax.pad(part(1, n), none, at(1), none, 1), axis, true)
  return lax.mul(g, lax.mul(before, after))
}

/**
 * PyTorch's `prod_backward` of the product over `axis` (null: every element) of x, from the
 * result `out` and gradient `g` kept to x's rank: `grad · (result / x)` when x has no zero, else
 * the zero-safe form (the full product with two or more zeros: +0 everywhere, as PyTorch 1.13).
 */
const prodBackward = (g: NdArray, x: NdArray, out: NdArray, axis: number | null): NdArray => {
  if (x.ndim === 0) return g
  const gb = lax.broadcastLike(g, x)
  const zeros = zeroCount(x)
  if (zeros === 0) return lax.mul(gb, lax.div(lax.broadcastLike(out, x), x))
  if (axis !== null) return prodSafeZeros(gb, x, axis)
  if (zeros !== undefined && zeros > 1) return lax.zerosLike(x)
  const flat = lax.reshape(x, [x.size])
  return lax.reshape(prodSafeZeros(lax.reshape(gb, [x.size]), flat, 0), x.shape)
}

/**
 * `f`, the product of x over `axis` (null: all) with dimensions kept, whose VJP is PyTorch's
 * `prod_backward`.
 */
export const prodKernel = (f: (x: NdArray) => NdArray, axis: number | null): ((x: NdArray) => NdArray) =>
  customVjp(
    (x: NdArray) => f(x),
    (x: NdArray) => {
      const out = f(x)
      return [out, [x, out] as const] as const
    },
    ([x, out]: readonly [NdArray, NdArray], g: NdArray) => [prodBackward(g, x, out, axis)],
  )

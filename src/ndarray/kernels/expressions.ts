/**
 * The element-wise operations as JavaScript expressions — the one definition of what each
 * element-wise kernel computes per element — and the scalar helpers they call. The kernels
 * (`./elementwise`) compile them into loops; `jit` (src/core/program.ts, src/core/fusion.ts)
 * compiles them into scalar code and fused loops, so both give the same bits.
 *
 * @category kernels
 * @since 0.1.0
 */
import type { DType } from '../dtype'

// -------------------------------------------------------------------------------------
// scalar helpers referenced by generated code
// -------------------------------------------------------------------------------------

/** Round half to even, as NumPy and JAX do. */
export const roundHalfEven = (x: number): number => {
  const r = Math.round(x)
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r
}

const SQRT_PI = Math.sqrt(Math.PI)

/** Error function, accurate to ~1e-15 in float64: power series near 0, continued fraction for erfc in the tails. */
export const erf = (x: number): number => {
  if (Number.isNaN(x)) return NaN
  const ax = Math.abs(x)
  if (ax < 2.5) {
    // erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
    let term = x
    let sum = x
    const x2 = x * x
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n
      const add = term / (2 * n + 1)
      sum += add
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break
    }
    return (2 / SQRT_PI) * sum
  }
  if (ax > 6) return x > 0 ? 1 : -1
  // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), modified Lentz
  const tiny = 1e-300
  let f = ax
  let c = ax
  let d = 0
  for (let n = 1; n < 300; n++) {
    const a = n / 2
    d = ax + a * d
    d = d === 0 ? tiny : d
    c = ax + a / c
    c = c === 0 ? tiny : c
    d = 1 / d
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  const erfc = Math.exp(-ax * ax) / SQRT_PI / f
  return x > 0 ? 1 - erfc : erfc - 1
}

/** tanh for float32 results: see UNARY_EXPR_F32. */
export const tanh32 = (a: number): number => {
  if (a !== a) return a
  // NOTE: the clamp of Eigen's kernel relies on float32 arithmetic rounding the rational to ±1
  // at the clamp; evaluated in float64 it gives 1 − 2⁻²² there, 4 ulp short of tanh(x) for
  // |x| > 7.9 (tanh(1000) printed 0.99999976). The saturated tail is rare: use Math.tanh.
  if (a > 7.90531110763549805 || a < -7.90531110763549805) return Math.tanh(a)
  const c = a
  const x2 = c * c
  let p = x2 * -2.76076847742355e-16 + 2.00018790482477e-13
  p = p * x2 + -8.60467152213735e-11
  p = p * x2 + 5.12229709037114e-8
  p = p * x2 + 1.48572235717979e-5
  p = p * x2 + 6.37261928875436e-4
  p = p * x2 + 4.89352455891786e-3
  let q = x2 * 1.19825839466702e-6 + 1.18534705686654e-4
  q = q * x2 + 2.268434632439e-3
  q = q * x2 + 4.89352518554385e-3
  return (p * c) / q
}

/** The helpers the expressions call as `H.name`. */
export const scalarHelpers = { roundHalfEven, erf, tanh32 }
/** Their type. */
export type Helpers = typeof scalarHelpers

// -------------------------------------------------------------------------------------
// operation tables
// -------------------------------------------------------------------------------------

/** Unary element-wise operations, as JS expressions of `a` (`H` holds helpers). */
export const UNARY_EXPR = {
  neg: '-a',
  abs: 'Math.abs(a)',
  sign: '(a > 0 ? 1 : a < 0 ? -1 : a)',
  exp: 'Math.exp(a)',
  expm1: 'Math.expm1(a)',
  log: 'Math.log(a)',
  log1p: 'Math.log1p(a)',
  sqrt: 'Math.sqrt(a)',
  rsqrt: '1 / Math.sqrt(a)',
  reciprocal: '1 / a',
  square: 'a * a',
  sin: 'Math.sin(a)',
  cos: 'Math.cos(a)',
  tan: 'Math.tan(a)',
  asin: 'Math.asin(a)',
  acos: 'Math.acos(a)',
  atan: 'Math.atan(a)',
  sinh: 'Math.sinh(a)',
  cosh: 'Math.cosh(a)',
  tanh: 'Math.tanh(a)',
  asinh: 'Math.asinh(a)',
  // NOTE: split at 0 so neither branch overflows: 1/(1+e^-a) for a ≥ 0, e^a/(1+e^a) below.
  logistic: '(a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a)))',
  erf: 'H.erf(a)',
  floor: 'Math.floor(a)',
  ceil: 'Math.ceil(a)',
  round: 'H.roundHalfEven(a)',
  isnan: '(a !== a)',
  isfinite: '(a - a === 0)',
  logicalNot: '(a === 0)',
  copy: 'a',
} as const
/** Names of the unary kernels. */
export type UnaryOp = keyof typeof UNARY_EXPR

/**
 * float32-only replacements, used when the input is float32 (results are rounded to float32, so
 * a few ulp of float32 is all the accuracy that survives).
 * NOTE: tanh is a 13/6 rational minimax approximation on [-7.9053, 7.9053] (the form Eigen and
 * XNNPACK use; beyond that range tanh rounds to ±1 in float32). Measured: at most 3 ulp from
 * the correctly rounded float32 tanh over [-10, 10]; 5× faster than Math.tanh in V8.
 */
export const UNARY_EXPR_F32: Partial<Record<UnaryOp, string>> = {
  tanh: 'H.tanh32(a)',
}

/** Binary element-wise operations, as JS expressions of `a` and `b`. */
export const BINARY_EXPR = {
  add: 'a + b',
  sub: 'a - b',
  mul: 'a * b',
  div: 'a / b',
  pow: 'Math.pow(a, b)',
  // NOTE: NaN propagates from either side, as NumPy's maximum/minimum do.
  max: '(a > b || a !== a ? a : b)',
  min: '(a < b || a !== a ? a : b)',
  atan2: 'Math.atan2(a, b)',
  // b·(1 − a²): tanh's derivative at output a applied to b (one pass for tanh's rules)
  tanhBackward: 'b * (1 - a * a)',
  eq: '(a === b)',
  ne: '(a !== b)',
  gt: '(a > b)',
  ge: '(a >= b)',
  lt: '(a < b)',
  le: '(a <= b)',
  and: '(a !== 0 && b !== 0)',
  or: '(a !== 0 || b !== 0)',
  // integer floor division and modulo (used by int32 ops)
  floordiv: 'Math.floor(a / b)',
  mod: '(a - Math.floor(a / b) * b)',
} as const
/** Names of the binary kernels. */
export type BinaryOp = keyof typeof BINARY_EXPR

/**
 * What the JavaScript loops evaluate per element for `op` on `dtype` inputs: an expression of `a`
 * (and `b`) whose helpers are `H.name` properties of `scalarHelpers`. With the result rounded to
 * the dtype (Math.fround for float32) it gives the kernel's value bit for bit; `jit` uses it to
 * compile size-1 equations and fused loops (where `new Function` is allowed).
 */
export const scalarExpr = (kind: 'unary' | 'binary', op: UnaryOp | BinaryOp, dtype: DType): string | null => {
  if (kind === 'binary') return BINARY_EXPR[op as BinaryOp] ?? null
  const special = dtype === 'float32' ? UNARY_EXPR_F32[op as UnaryOp] : undefined
  return special ?? UNARY_EXPR[op as UnaryOp] ?? null
}

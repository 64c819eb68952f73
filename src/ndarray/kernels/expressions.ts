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
import { exp32, log32, tanh32 } from './math32'

export { tanh32 }

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

/** The helpers the expressions call as `H.name`. */
export const scalarHelpers = { roundHalfEven, erf, tanh32, exp32, log32 }
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
  acosh: 'Math.acosh(a)',
  atanh: 'Math.atanh(a)',
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
 * a few ulp of float32 is all the accuracy that survives): tanh, exp and log in float32
 * arithmetic (./math32: within 1.1 ulp of the correctly rounded result over the whole float32
 * range), the same bits as their WebAssembly SIMD kernels.
 */
export const UNARY_EXPR_F32: Partial<Record<UnaryOp, string>> = {
  tanh: 'H.tanh32(a)',
  exp: 'H.exp32(a)',
  log: 'H.log32(a)',
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
 * float32-only replacements of binary expressions: tanhBackward in float32 steps (a·a, 1 − ·,
 * b·), as its WebAssembly kernels and fused loops compute it on f32x4 lanes.
 */
export const BINARY_EXPR_F32: Partial<Record<BinaryOp, string>> = {
  tanhBackward: 'b * Math.fround(1 - Math.fround(a * a))',
}

/**
 * What the JavaScript loops evaluate per element for `op` on `dtype` inputs: an expression of `a`
 * (and `b`) whose helpers are `H.name` properties of `scalarHelpers`. With the result rounded to
 * the dtype (Math.fround for float32) it gives the kernel's value bit for bit; `jit` uses it to
 * compile size-1 equations and fused loops (where `new Function` is allowed).
 */
export const scalarExpr = (kind: 'unary' | 'binary', op: UnaryOp | BinaryOp, dtype: DType): string | null => {
  if (kind === 'binary') {
    const special32 = dtype === 'float32' ? BINARY_EXPR_F32[op as BinaryOp] : undefined
    return special32 ?? BINARY_EXPR[op as BinaryOp] ?? null
  }
  const special = dtype === 'float32' ? UNARY_EXPR_F32[op as UnaryOp] : undefined
  return special ?? UNARY_EXPR[op as UnaryOp] ?? null
}

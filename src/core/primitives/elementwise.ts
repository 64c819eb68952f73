/**
 * Element-wise primitives. Binary ones broadcast by NumPy's rules (both inputs share a dtype;
 * `src/ops` promotes first), and their VJPs undo broadcasting with `unbroadcast`.
 *
 * @category primitives
 * @since 0.1.0
 */
import { binary, unary } from '../../ndarray/kernels/elementwise'
import type { UnaryOp } from '../../ndarray/kernels/expressions'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes } from '../../ndarray/shape'
import * as lax from '../lax'
import { binaryImpl, numDiv, numMul, numNeg, numTanhBackward, unaryImpl } from '../smallEwise'
import { onnxOp, type OnnxContext, type OnnxRule } from '../onnxRule'
import { expm1Nodes, log1pNodes } from './onnxMath'
import { atan2Onnx } from './onnxSpecial'
import { bound, definePrimitive, vectorized, type BoundPrimitive, type NoParams } from '../primitive'
import { isZero, type Aval, type Linear } from '../zero'

type X = readonly [NdArray]
type XY = readonly [NdArray, NdArray]
/** A bound unary primitive without params. */
type Unary<N extends string> = BoundPrimitive<N, X>
/** A bound binary primitive without params. */
type Binary<N extends string> = BoundPrimitive<N, XY>

const sameAval = ([x]: readonly [Aval]): Aval => x
const broadcastAval =
  (name: string) =>
  ([x, y]: readonly [Aval, Aval]): Aval => ({ shape: broadcastShapes(name, x.shape, y.shape), dtype: x.dtype })

/** The one element of a concrete one-element array (the numeric rules' `d`). */
const valueOf = (x: NdArray): number => x._data[0] as number

/**
 * A smooth unary primitive whose derivative is `d(x, y)` (y = output): both rules multiply by
 * it, `ẏ = ẋ · d` and `x̄ = ȳ · d`.
 */
export const smoothUnary = <N extends string>(
  name: N,
  op: UnaryOp,
  d: (x: NdArray, y: NdArray) => NdArray,
  onnx: OnnxRule<NoParams>,
): Unary<N> =>
  bound(
    definePrimitive<N, X, NoParams>({
      name,
      impl: unaryImpl(op),
      shape: sameAval,
      ewise: { kind: 'unary', op },
      batch: vectorized,
      onnx,
      jvp: ({ inputs: [x], output }, [xDot]) => lax.mul(xDot as NdArray, d(x, output)),
      vjp: ({ inputs: [x], output }, yBar) => [lax.mul(yBar, d(x, output))],
      // the same product, d computed by the primitives as above
      scalarVjp: (_, yBar, _x, _y, _out, f64, { inputs: [x], output }) => numMul(yBar, valueOf(d(x, output)), f64),
    }),
  )

/** A piecewise-constant or boolean-valued unary primitive: every derivative is zero. */
const flatUnary = <N extends string>(name: N, op: UnaryOp, bool: boolean, onnx: OnnxRule<NoParams>): Unary<N> =>
  bound(
    definePrimitive<N, X, NoParams>({
      name,
      impl: ([x]) => unary(op, x, bool ? 'bool' : x.dtype),
      shape: ([x]) => ({ shape: x.shape, dtype: bool ? 'bool' : x.dtype }),
      ...(bool ? {} : { ewise: { kind: 'unary', op } as const }),
      batch: vectorized,
      onnx,
      derivative: 'none',
    }),
  )

// -------------------------------------------------------------------------------------
// unary
// -------------------------------------------------------------------------------------

/** `-x`. Linear. @category primitives @since 0.1.0 */
export const neg: BoundPrimitive<'neg', X> = bound(
  definePrimitive<'neg', X, NoParams>({
    name: 'neg',
    batch: vectorized,
    impl: unaryImpl('neg'),
    shape: sameAval,
    ewise: { kind: 'unary', op: 'neg' },
    onnx: onnxOp('Neg'),
    linear: true,
    // ẏ = -ẋ ; x̄ = -ȳ
    jvp: (_, [xDot]) => lax.neg(xDot as NdArray),
    vjp: (_, yBar) => [lax.neg(yBar)],
    scalarVjp: (_, yBar, _x, _y, _out, f64) => numNeg(yBar, 0, f64),
  }),
)

/**
 * `|x|`: d = 1 for x ≥ 0, −1 below (JAX's convention at 0; the facade follows PyTorch's with its
 * own rule). One kernel pass, and |−0| = 0 as in NumPy.
 * @category primitives @since 0.1.0
 */
export const abs: Unary<'abs'> = smoothUnary(
  'abs',
  'abs',
  (x) => lax.select(lax.ge(x, lax.scalarLike(0, x)), lax.scalarLike(1, x), lax.scalarLike(-1, x)),
  onnxOp('Abs'),
)
/** `eˣ`: d = y. @category primitives @since 0.1.0 */
export const exp: Unary<'exp'> = smoothUnary('exp', 'exp', (_, y) => y, onnxOp('Exp'))
/** `eˣ − 1`, accurate near 0: d = y + 1. @category primitives @since 0.1.0 */
export const expm1: Unary<'expm1'> = smoothUnary('expm1', 'expm1', (_, y) => lax.addScalar(y, 1), expm1Onnx)
/** Natural log: d = 1/x. @category primitives @since 0.1.0 */
export const log: Unary<'log'> = smoothUnary('log', 'log', (x) => lax.reciprocal(x), onnxOp('Log'))
/** `log(1 + x)`, accurate near 0: d = 1/(1 + x). @category primitives @since 0.1.0 */
export const log1p: Unary<'log1p'> = smoothUnary(
  'log1p',
  'log1p',
  (x) => lax.reciprocal(lax.addScalar(x, 1)),
  log1pOnnx,
)
/** Sine: d = cos x. @category primitives @since 0.1.0 */
export const sin: Unary<'sin'> = smoothUnary('sin', 'sin', (x) => lax.cos(x), onnxOp('Sin'))
/** Cosine: d = −sin x. @category primitives @since 0.1.0 */
export const cos: Unary<'cos'> = smoothUnary('cos', 'cos', (x) => lax.neg(lax.sin(x)), onnxOp('Cos'))
/** Square root: d = 1/(2y) (infinite at 0, as JAX). @category primitives @since 0.1.0 */
export const sqrt: Unary<'sqrt'> = smoothUnary(
  'sqrt',
  'sqrt',
  (_, y) => lax.reciprocal(lax.mulScalar(y, 2)),
  onnxOp('Sqrt'),
)
/** `1/x`: d = −y². @category primitives @since 0.1.0 */
export const reciprocal: Unary<'reciprocal'> = smoothUnary(
  'reciprocal',
  'reciprocal',
  (_, y) => lax.neg(lax.mul(y, y)),
  onnxOp('Reciprocal'),
)
/**
 * Hyperbolic tangent: d = 1 − y².
 * NOTE: a primitive rather than a composite of exp: (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ) overflows for |x| > 88
 * in float32, and one kernel pass is faster.
 * @category primitives @since 0.1.0
 */
export const tanh: BoundPrimitive<'tanh', X> = bound(
  definePrimitive<'tanh', X, NoParams>({
    name: 'tanh',
    batch: vectorized,
    impl: unaryImpl('tanh'),
    shape: sameAval,
    ewise: { kind: 'unary', op: 'tanh' },
    onnx: onnxOp('Tanh'),
    // ẏ = ẋ·(1 − y²) ; x̄ = ȳ·(1 − y²), both one tanh_backward pass
    jvp: ({ output }, [xDot]) => lax.tanhBackward(output, xDot as NdArray),
    vjp: ({ output }, yBar) => [lax.tanhBackward(output, yBar)],
    scalarVjp: (_, yBar, _x, _y, out, f64) => numTanhBackward(out, yBar, f64),
  }),
)

/**
 * `t·(1 − y²)`: tanh's derivative applied to a tangent or cotangent `t` at tanh's output `y`
 * (PyTorch: tanh_backward).
 * NOTE: a primitive rather than sub/mul/mul so tanh's rules are one pass over the data instead
 * of three (W4, the gradient of Σ tanh(x)·x at 10⁶ elements, is bound by passes and their
 * allocations). Its own rules are written with the primitives, so it differentiates to any order.
 * @category primitives @since 0.1.0
 */
export const tanhBackward: BoundPrimitive<'tanh_backward', XY> = bound(
  definePrimitive<'tanh_backward', XY, NoParams>({
    name: 'tanh_backward',
    batch: vectorized,
    impl: ([y, t]) => binary('tanhBackward', y, t, y.dtype),
    shape: broadcastAval('tanh_backward'),
    ewise: { kind: 'binary', op: 'tanhBackward' },
    // t·(1 − y²), as the kernel computes it
    onnx: ({ inputs: [y, t], out, emit }) =>
      emit.op('Mul', [
        t as string,
        emit.op('Sub', [emit.scalar(1, out.dtype), emit.op('Mul', [y as string, y as string])]),
      ]),
    // ∂/∂y = −2·t·y, ∂/∂t = 1 − y²
    jvp: ({ inputs: [y, t], output }, [yDot, tDot]) => {
      const a = isZero(tDot) ? undefined : lax.tanhBackward(y, tDot)
      const b = isZero(yDot) ? undefined : lax.mul(yDot, lax.mulScalar(lax.mul(t, y), -2))
      return lax.broadcastLike(a === undefined ? (b as NdArray) : b === undefined ? a : lax.add(a, b), output)
    },
    vjp: ({ inputs: [y, t], needs }, yBar) => [
      needs[0] ? lax.unbroadcast(lax.mul(yBar, lax.mulScalar(lax.mul(t, y), -2)), y.shape) : lax.zeroOf(y),
      needs[1] ? lax.unbroadcast(lax.tanhBackward(y, yBar), t.shape) : lax.zeroOf(t),
    ],
  }),
)
/**
 * Logistic sigmoid `1/(1 + e⁻ˣ)`: d = y(1 − y).
 * NOTE: a primitive because the composite's derivative e⁻ˣ/(1 + e⁻ˣ)² is inf/inf = NaN for
 * x < −88 in float32; the kernel splits at 0 so neither branch overflows.
 * @category primitives @since 0.1.0
 */
export const logistic: Unary<'logistic'> = smoothUnary(
  'logistic',
  'logistic',
  (_, y) => lax.mul(y, lax.sub(lax.scalarLike(1, y), y)),
  onnxOp('Sigmoid'),
)
/** Error function: d = 2/√π · e^(−x²). NOTE: a primitive: it has no closed form in the others. @category primitives @since 0.1.0 */
export const erf: Unary<'erf'> = smoothUnary(
  'erf',
  'erf',
  (x) => lax.mulScalar(lax.exp(lax.neg(lax.mul(x, x))), 2 / Math.sqrt(Math.PI)),
  onnxOp('Erf'),
)

/** Sign (−1, 0, 1; NaN stays NaN): derivative zero. @category primitives @since 0.1.0 */
export const sign: Unary<'sign'> = flatUnary('sign', 'sign', false, onnxOp('Sign'))
/** Floor: derivative zero. @category primitives @since 0.1.0 */
export const floor: Unary<'floor'> = flatUnary('floor', 'floor', false, onnxOp('Floor'))
/** Ceiling: derivative zero. @category primitives @since 0.1.0 */
export const ceil: Unary<'ceil'> = flatUnary('ceil', 'ceil', false, onnxOp('Ceil'))
/** Round half to even: derivative zero. @category primitives @since 0.1.0 */
export const round: Unary<'round'> = flatUnary('round', 'round', false, onnxOp('Round'))
/** NaN test (bool). @category primitives @since 0.1.0 */
export const isNan: Unary<'is_nan'> = flatUnary('is_nan', 'isnan', true, isNanOnnx)
/** Finite test (bool). @category primitives @since 0.1.0 */
export const isFinite: Unary<'is_finite'> = flatUnary('is_finite', 'isfinite', true, isFiniteOnnx)
/** Logical not of a bool array. @category primitives @since 0.1.0 */
export const not: Unary<'not'> = flatUnary('not', 'logicalNot', true, onnxOp('Not'))

// -------------------------------------------------------------------------------------
// binary
// -------------------------------------------------------------------------------------

const tangentOf = (t: Linear, out: NdArray): NdArray | undefined => (isZero(t) ? undefined : lax.broadcastLike(t, out))

/** `x + y`. Linear. @category primitives @since 0.1.0 */
export const add: BoundPrimitive<'add', XY> = bound(
  definePrimitive<'add', XY, NoParams>({
    name: 'add',
    batch: vectorized,
    impl: binaryImpl('add'),
    shape: broadcastAval('add'),
    ewise: { kind: 'binary', op: 'add' },
    onnx: onnxOp('Add'),
    linear: true,
    // ẏ = ẋ₁ + ẋ₂
    jvp: ({ output }, [xDot, yDot]) => {
      const a = tangentOf(xDot, output)
      const b = tangentOf(yDot, output)
      return a === undefined ? (b as NdArray) : b === undefined ? a : lax.add(a, b)
    },
    // x̄ = unbroadcast(ȳ) for both
    vjp: ({ inputs: [x, y], needs }, yBar) => [
      lax.unbroadcastOrZero(yBar, x, needs[0]),
      lax.unbroadcastOrZero(yBar, y, needs[1]),
    ],
    scalarVjp: (_, yBar) => yBar,
  }),
)

/**
 * `x − y`. Linear.
 * NOTE: a primitive rather than add(x, neg(y)) to save one full pass over the data per
 * subtraction (SGD updates, derivative rules like 1 − y²).
 * @category primitives @since 0.1.0
 */
export const sub: BoundPrimitive<'sub', XY> = bound(
  definePrimitive<'sub', XY, NoParams>({
    name: 'sub',
    batch: vectorized,
    impl: binaryImpl('sub'),
    shape: broadcastAval('sub'),
    ewise: { kind: 'binary', op: 'sub' },
    onnx: onnxOp('Sub'),
    linear: true,
    // ẏ = ẋ₁ − ẋ₂
    jvp: ({ output }, [xDot, yDot]) => {
      const a = tangentOf(xDot, output)
      const b = tangentOf(yDot, output)
      return a === undefined ? lax.neg(b as NdArray) : b === undefined ? a : lax.sub(a, b)
    },
    // x̄ = unbroadcast(ȳ), ȳ₂ = unbroadcast(−ȳ): negated before the sum, as JAX's and PyTorch's
    // rules, so a sum of zeros is +0 (−(0 + 0) would be −0)
    vjp: ({ inputs: [x, y], needs }, yBar) => [
      lax.unbroadcastOrZero(yBar, x, needs[0]),
      needs[1] ? lax.unbroadcast(lax.neg(yBar), y.shape) : lax.zeroOf(y),
    ],
    scalarVjp: (i, yBar, _x, _y, _out, f64) => (i === 0 ? yBar : numNeg(yBar, 0, f64)),
  }),
)

/**
 * A smooth binary primitive given, for each input, `t ↦ t · ∂out/∂input` (a product with the
 * partial derivative, written as the rule likes: `div(t, y)` is exact where `mul(t, 1/y)` is not).
 * Both rules use them: ẏ = ẋ₁·∂₁ + ẋ₂·∂₂ (broadcast to the output) and x̄ᵢ = unbroadcast(ȳ·∂ᵢ).
 */
const smoothBinary = <N extends string>(
  name: N,
  op: 'mul' | 'div' | 'max' | 'pow' | 'atan2',
  times0: (t: NdArray, x: NdArray, y: NdArray, out: NdArray) => NdArray,
  times1: (t: NdArray, x: NdArray, y: NdArray, out: NdArray) => NdArray,
  onnx?: OnnxRule<NoParams>,
  scalar?: readonly [ScalarTimes, ScalarTimes],
): Binary<N> =>
  bound(
    definePrimitive<N, XY, NoParams>({
      name,
      impl: binaryImpl(op),
      shape: broadcastAval(name),
      ewise: { kind: 'binary', op },
      batch: vectorized,
      ...(onnx === undefined ? {} : { onnx }),
      jvp: ({ inputs: [x, y], output }, [xDot, yDot]) => {
        const a = isZero(xDot) ? undefined : times0(xDot, x, y, output)
        const b = isZero(yDot) ? undefined : times1(yDot, x, y, output)
        return lax.broadcastLike(a === undefined ? (b as NdArray) : b === undefined ? a : lax.add(a, b), output)
      },
      vjp: ({ inputs: [x, y], output, needs }, yBar) => [
        needs[0] ? lax.unbroadcast(times0(yBar, x, y, output), x.shape) : lax.zeroOf(x),
        needs[1] ? lax.unbroadcast(times1(yBar, x, y, output), y.shape) : lax.zeroOf(y),
      ],
      ...(scalar === undefined
        ? {}
        : {
            scalarVjp: (i: number, yBar: number, x: number, y: number, out: number, f64: boolean) =>
              (i === 0 ? scalar[0] : scalar[1])(yBar, x, y, out, f64),
          }),
    }),
  )

/** `times0`/`times1` of {@link smoothBinary} on numbers, each step as its kernel rounds. */
type ScalarTimes = (t: number, x: number, y: number, out: number, f64: boolean) => number

/** Weight of x in max(x, y): 1 where x > y, ½ at ties, 0 elsewhere. */
const maxWeight = (x: NdArray, y: NdArray): NdArray =>
  lax.add(lax.cast(lax.gt(x, y), x.dtype), lax.mulScalar(lax.cast(lax.eq(x, y), x.dtype), 0.5))

/**
 * ∂xʸ/∂x = y·x^(y−1), which is 0 where y = 0.
 * NOTE: where x = y = 0 the base is replaced by 1, so 0·0⁻¹ gives 0 rather than NaN. The factor y
 * is kept (not selected away at y = 0, as before) so that the rule's own derivative in y there
 * is x^(y−1) = 1/x: ∂²xʸ/∂y∂x at y = 0 came out 0 (found by the second-order law, issue 3).
 */
const powDx = (x: NdArray, y: NdArray): NdArray => {
  const bothZero = lax.and(lax.eq(y, lax.scalarLike(0, y)), lax.eq(x, lax.scalarLike(0, x)))
  return lax.mul(y, lax.pow(lax.select(bothZero, lax.scalarLike(1, x), x), lax.addScalar(y, -1)))
}

/** ∂xʸ/∂y = xʸ·log x, defined as 0 where x = 0. */
const powDy = (x: NdArray, out: NdArray): NdArray =>
  lax.mul(out, lax.log(lax.select(lax.eq(x, lax.scalarLike(0, x)), lax.scalarLike(1, x), x)))

/** `x · y`: ∂/∂x = y, ∂/∂y = x. @category primitives @since 0.1.0 */
export const mul: Binary<'mul'> = smoothBinary(
  'mul',
  'mul',
  (t, _x, y) => lax.mul(t, y),
  (t, x) => lax.mul(x, t),
  onnxOp('Mul'),
  [(t, _x, y, _out, f64) => numMul(t, y, f64), (t, x, _y, _out, f64) => numMul(x, t, f64)],
)

/** `x / y`: ∂/∂x = 1/y, ∂/∂y = −out/y. @category primitives @since 0.1.0 */
export const div: Binary<'div'> = smoothBinary(
  'div',
  'div',
  (t, _x, y) => lax.div(t, y),
  (t, _x, y, out) => lax.neg(lax.div(lax.mul(t, out), y)),
  onnxOp('Div'),
  [
    (t, _x, y, _out, f64) => numDiv(t, y, f64),
    (t, _x, y, out, f64) => numNeg(numDiv(numMul(t, out, f64), y, f64), 0, f64),
  ],
)

/**
 * Element-wise maximum: ∂/∂x = [x > y] + ½[x = y] — at ties each side gets half the derivative
 * (JAX's convention); NaN propagates.
 * @category primitives @since 0.1.0
 */
export const max: Binary<'max'> = smoothBinary(
  'max',
  'max',
  (t, x, y) => lax.mul(t, maxWeight(x, y)),
  (t, x, y) => lax.mul(t, maxWeight(y, x)),
  onnxOp('Max'),
)

/**
 * `xʸ`. ∂/∂x = y·x^(y−1) (0 where y = 0); ∂/∂y = out·log x (0 where x = 0, as JAX).
 * @category primitives @since 0.1.0
 */
export const pow: Binary<'pow'> = smoothBinary(
  'pow',
  'pow',
  (t, x, y) => lax.mul(t, powDx(x, y)),
  (t, x, _y, out) => lax.mul(t, powDy(x, out)),
  onnxOp('Pow'),
)

/** `atan2(y, x)` (first input y): ∂/∂y = x/(x²+y²), ∂/∂x = −y/(x²+y²). @category primitives @since 0.1.0 */
export const atan2: Binary<'atan2'> = smoothBinary(
  'atan2',
  'atan2',
  (t, y, x) => lax.mul(t, lax.div(x, lax.add(lax.mul(x, x), lax.mul(y, y)))),
  (t, y, x) => lax.mul(t, lax.neg(lax.div(y, lax.add(lax.mul(x, x), lax.mul(y, y))))),
  atan2Onnx,
)

// -------------------------------------------------------------------------------------
// export rules
// -------------------------------------------------------------------------------------

/** expm1 in ONNX (which has no Expm1): see {@link expm1Nodes}. */
function expm1Onnx({ inputs: [x], out, emit }: OnnxContext<NoParams>): string {
  return expm1Nodes(emit, x as string, out.dtype)
}

/** log1p in ONNX (no Log1p): see {@link log1pNodes}. */
function log1pOnnx({ inputs: [x], out, emit }: OnnxContext<NoParams>): string {
  return log1pNodes(emit, x as string, out.dtype)
}

/** IsNaN on floats; an integer is never NaN. */
function isNanOnnx({ inputs: [x], avals: [a], emit }: OnnxContext<NoParams>): string {
  const xs = x as string
  return isFloatDType(a?.dtype) ? emit.op('IsNaN', [xs]) : emit.op('Not', [emit.op('Equal', [xs, xs])])
}

/** Not (inf or NaN) on floats; an integer is always finite. */
function isFiniteOnnx({ inputs: [x], avals: [a], emit }: OnnxContext<NoParams>): string {
  const xs = x as string
  if (!isFloatDType(a?.dtype)) return emit.op('Equal', [xs, xs])
  return emit.op('Not', [emit.op('Or', [emit.op('IsInf', [xs]), emit.op('IsNaN', [xs])])])
}

const isFloatDType = (d: string | undefined): boolean => d === 'float32' || d === 'float64'

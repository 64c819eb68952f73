/**
 * Element-wise Tensor methods with PyTorch's names, argument orders, type promotion and node
 * names (`AddBackward0`, `MulBackward0`, `ExpBackward0`, …). PyTorch's derivative conventions
 * at kinks are kept: d|x|/dx = 0 at 0 (JAX: 1), relu' = 0 at 0, clamp passes the gradient at
 * its bounds.
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import { isFloat, isInteger } from '../../ndarray/dtype'
import type { NdArray } from '../../ndarray/NdArray'
import { op, type OpOptions } from '../autograd/op'
import { withIterLayout } from '../autograd/iterLayout'
import { no_grad } from '../autograd/grad_mode'
import { withNotImplemented } from '../autograd/notImplemented'
import { fromStorage, get_default_dtype } from '../dtype'
import { RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import * as un from '../../ops/unary'
import * as integer from '../../ops/integer'
import {
  asTensor,
  broadcastShape,
  castTo,
  checkBroadcast,
  floatOf,
  resultType,
  scalarOperand,
  type TensorOrScalar,
} from '../ops/convert'
import { Tensor } from '../tensor'
import { clampNan, reluGrad, reluValue, signFn } from './selecting'
import { coshFormula, extremumFormula, rsqrtFormula, sigmoidFormula, sinhFormula } from './gradFormulas'
import { reciprocalFormula } from './activationFormulas'
import { roundMethod } from './roundDecimals'
import { extremumKernels, powKernels } from './zeroKernels'
import { torchIntegerDivision } from './intDivision'
import { clampBounds } from './clampArgs'
import { backwardNode, tanhFormula, thresholdBackward } from './activationFormulas'
import {
  atan2Formula,
  atanFormula,
  clampFormula,
  expFormula,
  expm1Formula,
  powScalarFormula,
  powTensorFormula,
} from './mathFormulas'
import { requireTensor } from '../pyTypeName'
import { addScaled, addScaledGrads } from './addScaled'
import { addcdiv32, addcmul32, compositionGrads, fusable, lerp32 } from './pointwiseFused'

type T = Tensor

/** Both inputs of x·y are needed by the other's gradient. */
const CROSS: ReadonlyArray<ReadonlyArray<number>> = [[], [1], [0], [0, 1]].map((l) => Object.freeze(l))
const cross = (needs: ReadonlyArray<boolean>): ReadonlyArray<number> =>
  CROSS[(needs[0] ? 1 : 0) | (needs[1] ? 2 : 0)] as ReadonlyArray<number>
const SAVES_CROSS: OpOptions = { saves: cross }

/** A binary facade op with PyTorch's promotion and broadcasting check. */
export const binary = (
  name: string,
  a: T,
  b: TensorOrScalar,
  fn: (x: NdArray, y: NdArray) => NdArray,
  opts?: OpOptions,
  floatOut = false,
): T => {
  // NOTE: a float tensor with a Python number, or with a tensor of its own dtype, keeps its dtype
  // (resultType's answer, without its list)
  const av = a._value().dtype
  const isF = av === 'float32' || av === 'float64'
  const floatScalar = typeof b === 'number' && isF
  const sameFloat = isF && b instanceof Tensor && b._value().dtype === av
  let rt = floatScalar || sameFloat ? fromStorage(av) : resultType([a, b])
  if (floatOut && !rt.is_floating_point) rt = get_default_dtype()
  const bt = floatScalar ? scalarOperand(b, av) : asTensor(b, rt.storage)
  checkBroadcast(a._value().shape, bt._value().shape)
  const d = rt.storage
  // NOTE: operands already of the result dtype need no casting closure (the node keeps `fn` itself)
  const f =
    a._value().dtype === d && bt._value().dtype === d ? fn : (x: NdArray, y: NdArray) => fn(castTo(x, d), castTo(y, d))
  // NOTE: one input list for the op and its layout (a second literal per op was a tenth of its garbage)
  const inputs = [a, bt]
  return withIterLayout(op(name, inputs, f, opts), inputs)
}

/**
 * square's options: without create_graph its gradient is `g·(2·x)`, the value pow's rule gives
 * (`g·(y·x^(y−1))` with y = 2: x¹ is x exactly), computed without the rule's select and pow.
 */
const SQUARE_OPTS: OpOptions = {
  saves: [0],
  scalars: [1],
  grads: (g, [x, two], needs) => [
    needs[0] === true ? Tensor._fromValue(lax.mul(g, lax.mul(two as NdArray, x as NdArray))) : null,
    null,
  ],
}

/** relu's gradient without create_graph: reluFn's rule on values (no trace per call). */
const reluGrads: NonNullable<OpOptions['grads']> = (g, [x], needs) => [
  needs[0] === true ? Tensor._fromValue(reluGrad(g, x as NdArray)) : null,
]

/**
 * lerp's gradients as PyTorch's formulas compute them: `grad·(1 − weight)`, `grad·weight` and
 * `grad·(end − self)`, each summed to its input's shape. The rule's `grad − weight·grad` for self
 * is +0 where the formula gives −0 (a zero gradient and a weight above 1).
 */
const lerpGrads: NonNullable<OpOptions['grads']> = (g, [x, e, w], needs) => {
  const [xv, ev, wv] = [x as NdArray, e as NdArray, w as NdArray]
  return [
    needs[0] === true
      ? Tensor._fromValue(lax.unbroadcast(lax.mul(g, lax.sub(lax.scalarLike(1, wv), wv)), xv.shape))
      : null,
    needs[1] === true ? Tensor._fromValue(lax.unbroadcast(lax.mul(g, wv), ev.shape)) : null,
    needs[2] === true ? Tensor._fromValue(lax.unbroadcast(lax.mul(g, lax.sub(ev, xv)), wv.shape)) : null,
  ]
}

/** A unary op computed in float (ints promote to the default float dtype). */
export const unaryF = (name: string, f: (x: NdArray) => NdArray, opts: OpOptions = {}) => {
  const promoted = (x: NdArray): NdArray => f(floatOf(x))
  // NOTE: `f` itself on float input (floatOf is the identity there), so the op is recorded directly
  return function (this: T): T {
    const inputs = [this]
    return withIterLayout(op(name, inputs, isFloat(this._value().dtype) ? f : promoted, opts), inputs)
  }
}
/** A unary op keeping the dtype. */
export const unary = (name: string, f: (x: NdArray) => NdArray, opts: OpOptions = {}) =>
  function (this: T): T {
    const inputs = [this]
    return withIterLayout(op(name, inputs, f, opts), inputs)
  }

const cmp = (name: string, f: (x: NdArray, y: NdArray) => NdArray) =>
  function (this: T, other: TensorOrScalar): T {
    return binary(name, this, other, f, { differentiable: false })
  }

const zeroLike = (x: NdArray): NdArray => lax.scalarLike(0, x)

/**
 * |x| = x·sign(x) + 0 (exact: sign is ±1, and +0 or NaN where x is; adding +0 makes |−0| = +0),
 * with PyTorch's derivative `grad * self.sgn()` (sgn(±0) = +0, so the gradient there is ±0 with
 * the sign of grad, as PyTorch's; JAX's convention gives 1), sign being piecewise constant.
 */
export const absFn = (x: NdArray): NdArray => lax.addScalar(lax.mul(x, signFn(x)), 0)

/**
 * clamp: a bound is taken only where x is beyond it, so the gradient passes at the bounds. With
 * both bounds, each branch is taken where FunctionsManual.cpp's `clamp_backward` /
 * `clamp_backward_min_max` send the gradient: self where `min <= self <= max`, min where
 * `self < min && min < max`, max where `self > max || max < min`; elsewhere (`self < min == max`)
 * the value is the bound with no gradient at all (PyTorch 1.13 and 2.x).
 */
const clampFn = (x: NdArray, lo: NdArray | undefined, hi: NdArray | undefined): NdArray =>
  lo !== undefined && hi !== undefined ? clampBoth(x, lo, hi) : clampOne(x, lo, hi)

/** clamp into [lo, hi], routing the gradient as PyTorch's clamp backward does (see clampFn). */
const clampBoth = (x: NdArray, lo: NdArray, hi: NdArray): NdArray => {
  const y = clampOne(x, lo, hi)
  const s = y.shape
  const [xb, lb, hb] = [lax.broadcastTo(x, s), lax.broadcastTo(lo, s), lax.broadcastTo(hi, s)]
  const toSelf = lax.and(lax.ge(xb, lb), lax.le(xb, hb))
  const toMin = lax.and(lax.lt(xb, lb), lax.lt(lb, hb))
  const toMax = lax.or(lax.gt(xb, hb), lax.lt(hb, lb))
  return lax.select(toSelf, xb, lax.select(toMin, lb, lax.select(toMax, hb, lax.stopGradient(y))))
}

const clampOne = (x: NdArray, lo: NdArray | undefined, hi: NdArray | undefined): NdArray => {
  let y = x
  if (lo !== undefined) {
    const s = broadcastShape(y.shape, lo.shape)
    y = lax.select(lax.lt(lax.broadcastTo(y, s), lax.broadcastTo(lo, s)), lax.broadcastTo(lo, s), lax.broadcastTo(y, s))
  }
  if (hi !== undefined) {
    const s = broadcastShape(y.shape, hi.shape)
    y = lax.select(lax.gt(lax.broadcastTo(y, s), lax.broadcastTo(hi, s)), lax.broadcastTo(hi, s), lax.broadcastTo(y, s))
  }
  return clampNan(x, y)
}

/**
 * `alpha·y` for add/sub/rsub, broadcast first against the other operand `x`: the gradient is
 * then `grad·alpha` summed to y's shape (PyTorch's order: the sum of zeros is +0 for every alpha,
 * where `alpha·sum(grad)` is −0 for a negative alpha).
 */
const scaled = (y: NdArray, alpha: number, x: NdArray): NdArray =>
  alpha === 1 ? y : lax.mulScalar(lax.broadcastTo(y, broadcastShape(x.shape, y.shape)), alpha)

/**
 * abs' derivative `grad * self.sgn()` (derivatives.yaml): under create_graph a MulBackward0 over
 * the gradient and an SgnBackward0 of the input, whose own derivative is a zero that adds nothing.
 */
const ABS_GRAD: OpOptions = { saves: [0], formula: (g, [x]) => [g.mul((x as Tensor).sgn())] }

type Bound = TensorOrScalar | null | undefined
const given = (b: Bound): b is TensorOrScalar => b !== undefined && b !== null

/** The element-wise methods installed on Tensor. */
/** PyTorch's refusal of addcdiv over integer tensor1 and tensor2. */
const ADDCDIV_INTEGER =
  'Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.'

export const mathMethods = {
  /** `self + alpha·other` (PyTorch: `add(other, *, alpha=1)`). */
  add(this: T, other: TensorOrScalar, kw: { readonly alpha?: number } = {}): T {
    const alpha = kw.alpha ?? 1
    // NOTE: lax.add itself when alpha is 1, so the op is recorded directly (autograd/op.ts)
    return alpha === 1
      ? binary('AddBackward0', this, other, lax.add)
      : binary('AddBackward0', this, other, addScaled(alpha), addScaledGrads(alpha))
  },
  /** `self − alpha·other`. */
  sub(this: T, other: TensorOrScalar, kw: { readonly alpha?: number } = {}): T {
    const alpha = kw.alpha ?? 1
    return alpha === 1
      ? binary('SubBackward0', this, other, lax.sub)
      : binary('SubBackward0', this, other, addScaled(alpha, true), addScaledGrads(alpha, true))
  },
  /** Alias of sub. */
  subtract(this: T, other: TensorOrScalar, kw: { readonly alpha?: number } = {}): T {
    return mathMethods.sub.call(this, other, kw)
  },
  /** `other − alpha·self` (Python's `other - self`). */
  rsub(this: T, other: TensorOrScalar, kw: { readonly alpha?: number } = {}): T {
    const alpha = kw.alpha ?? 1
    const name = typeof other === 'number' ? 'RsubBackward1' : 'RsubBackward0'
    return binary(
      name,
      this,
      other,
      (x, y) => lax.sub(y, scaled(x, alpha, y)),
      typeof other === 'number' ? { scalars: [1] } : {},
    )
  },
  /** `self · other`. */
  mul(this: T, other: TensorOrScalar): T {
    return binary('MulBackward0', this, other, lax.mul, SAVES_CROSS)
  },
  /** Alias of mul. */
  multiply(this: T, other: TensorOrScalar): T {
    return mathMethods.mul.call(this, other)
  },
  /** True division; `{ rounding_mode: 'trunc' | 'floor' }` rounds the quotient. */
  div(this: T, other: TensorOrScalar, kw: { readonly rounding_mode?: 'trunc' | 'floor' | null } = {}): T {
    const mode = kw.rounding_mode ?? null
    // both gradients are divisions in PyTorch (grad / other, -grad * self / (other * other))
    if (mode === null)
      return binary(
        'DivBackward0',
        this,
        other,
        lax.div,
        { saves: (n) => [...(n[1] ? [0] : []), 1], gradName: 'DivBackward0' },
        true,
      )
    const rt = resultType([this, other])
    return binary('DivBackward2', this, other, (x, y) => {
      // integers: exact, ZeroDivisionError on a zero divisor (src/ops/integer)
      if (isInteger(x.dtype))
        return torchIntegerDivision(mode === 'floor' ? integer.floorDivide : integer.truncDivide)(x, y)
      const q = lax.div(floatOf(x), floatOf(y))
      const r = mode === 'floor' ? lax.floor(q) : lax.select(lax.lt(q, zeroLike(q)), lax.ceil(q), lax.floor(q))
      return lax.cast(r, rt.storage)
    })
  },
  /** Alias of div. */
  divide(this: T, other: TensorOrScalar, kw: { readonly rounding_mode?: 'trunc' | 'floor' | null } = {}): T {
    return mathMethods.div.call(this, other, kw)
  },
  /** Alias of div. */
  true_divide(this: T, other: TensorOrScalar): T {
    return mathMethods.div.call(this, other)
  },
  /**
   * `floor(self / other)`. PyTorch (1.13 and 2.x) defines no derivative for it: a result that
   * requires grad has grad_fn `NotImplemented`, whose backward raises.
   */
  floor_divide(this: T, other: TensorOrScalar): T {
    return floorDivide(this, other, 'floor_divide')
  },
  /** Python's modulo (takes the sign of the divisor; a zero result has the dividend's sign, as C's fmod). */
  remainder(this: T, other: TensorOrScalar): T {
    // PyTorch's node: RemainderBackward0 for a number divisor, RemainderBackward1 for a tensor
    const name = typeof other === 'number' ? 'RemainderBackward0' : 'RemainderBackward1'
    const out = binary(
      name,
      this,
      other,
      (x, y) =>
        isFloat(x.dtype)
          ? lax.sub(x, lax.mul(lax.cast(lax.floor(lax.div(floatOf(x), floatOf(y))), x.dtype), y))
          : torchIntegerDivision(integer.remainder)(x, y),
      // RemainderBackward1 saves self and other for other's gradient, -grad * self.div(other, rounding_mode='floor')
      { saves: (n) => (n[1] === true ? [0, 1] : []) },
    )
    return signZerosAsDividend(out, this)
  },
  /** `self ** exponent` (PowBackward0 for a number exponent, PowBackward1 for a tensor). */
  pow(this: T, exponent: TensorOrScalar): T {
    // PyTorch's pow(Tensor, Scalar) meta function (NumPy's rule); bool counts as integral
    if (typeof exponent === 'number' && Number.isInteger(exponent) && exponent < 0 && !isFloat(this._value().dtype))
      throw new RuntimeError('Integers to negative integer powers are not allowed.')
    const name = typeof exponent === 'number' ? 'PowBackward0' : 'PowBackward1'
    // PyTorch's pow backward selects +0 where the exponent is 0 (zeroKernels.ts)
    const kernel = typeof exponent === 'number' ? powKernels.base : powKernels.both
    return binary(name, this, exponent, kernel, {
      saves: [0, 1],
      ...(typeof exponent === 'number'
        ? { scalars: [1], formula: powScalarFormula(exponent) }
        : // PyTorch's PowBackward1 also saves its result (pow_backward_exponent reads it)
          { formula: powTensorFormula, savesOutput: true }),
    })
  },
  /** Python's `base ** self` (PyTorch's `torch.pow(base, self)`, PowBackward2). */
  rpow(this: T, base: number): T {
    return binary('PowBackward2', this, base, (x, y) => powKernels.exponent(y, x), {
      saves: [0],
      savesOutput: true,
      scalars: [1],
    })
  },
  /** `self²` (PyTorch records it as pow(2)). */
  square(this: T): T {
    return binary('PowBackward0', this, 2, lax.pow, SQUARE_OPTS)
  },
  /** Element-wise maximum with another tensor (ties split the gradient). */
  maximum(this: T, other: T): T {
    requireTensor('maximum', 'other', other) // no Python-number overload (TypeError in PyTorch)
    return binary('MaximumBackward0', this, other, extremumKernels.max, {
      saves: [0, 1],
      formula: extremumFormula('max'),
    })
  },
  /** Element-wise minimum with another tensor. */
  minimum(this: T, other: T): T {
    requireTensor('minimum', 'other', other) // no Python-number overload (TypeError in PyTorch)
    return binary('MinimumBackward0', this, other, extremumKernels.min, {
      saves: [0, 1],
      formula: extremumFormula('min'),
    })
  },
  /** `atan2(self, other)`. */
  atan2(this: T, other: T): T {
    requireTensor('atan2', 'other', other) // no Python-number overload (TypeError in PyTorch)
    return binary(
      'Atan2Backward0',
      this,
      other,
      (y, x) => lax.atan2(floatOf(y), floatOf(x)),
      { saves: [0, 1], formula: atan2Formula },
      true,
    )
  },
  /** `self + value·t1·t2`, in the dtype of the three tensors promoted together. */
  addcmul(this: T, t1: T, t2: T, kw: { readonly value?: number } = {}): T {
    const v = kw.value ?? 1
    // the rule's composition (traced, other dtypes, broadcasting; the gradients in every case)
    const rule = (x: NdArray, a: NdArray, b: NdArray): NdArray => {
      const d = resultType([this, t1, t2]).storage // after op's checks that all three are tensors
      return lax.add(castTo(x, d), lax.mulScalar(lax.mul(castTo(a, d), castTo(b, d)), v))
    }
    return op(
      'AddcmulBackward0',
      [this, t1, t2],
      (x, a, b) => (fusable(x, a, b) ? addcmul32(x, a, b, v) : rule(x, a, b)),
      { saves: [1, 2], grads: compositionGrads(rule) },
    )
  },
  /** `self + value·t1/t2`, in the dtype of the three tensors promoted together (not for integers). */
  addcdiv(this: T, t1: T, t2: T, kw: { readonly value?: number } = {}): T {
    const v = kw.value ?? 1
    const rule = (x: NdArray, a: NdArray, b: NdArray): NdArray => {
      const d = resultType([this, t1, t2]).storage
      return lax.add(castTo(x, d), lax.mulScalar(lax.div(castTo(a, d), castTo(b, d)), v))
    }
    return op(
      'AddcdivBackward0',
      [this, t1, t2],
      (x, a, b) => {
        if (!isFloat(a.dtype) && !isFloat(b.dtype)) throw new RuntimeError(ADDCDIV_INTEGER)
        return fusable(x, a, b) ? addcdiv32(x, a, b, v) : rule(x, a, b)
      },
      { saves: [1, 2], grads: compositionGrads(rule) },
    )
  },
  /** `self + weight·(end − self)`. */
  lerp(this: T, end: T, weight: TensorOrScalar): T {
    const w = asTensor(weight, this._value().dtype)
    return op(
      typeof weight === 'number' ? 'LerpBackward0' : 'LerpBackward1',
      [this, end, w],
      (x, e, wv) =>
        fusable(x, e) && (wv.shape.length === 0 ? fusable(wv) : fusable(x, wv))
          ? lerp32(x, e, wv)
          : lax.add(x, lax.mul(wv, lax.sub(e, x))),
      // LerpBackward1 saves the weight, and self and end when the weight needs a gradient
      typeof weight === 'number'
        ? { scalars: [2], grads: lerpGrads }
        : { saves: (needs) => (needs[2] ? [0, 1, 2] : [2]), grads: lerpGrads },
    )
  },

  neg: unary('NegBackward0', lax.neg),
  negative: unary('NegBackward0', lax.neg),
  abs: unary('AbsBackward0', absFn, ABS_GRAD),
  absolute: unary('AbsBackward0', absFn, ABS_GRAD),
  sign: unary('SignBackward0', signFn),
  exp: unaryF('ExpBackward0', lax.exp, { savesOutput: true, formula: expFormula }),
  expm1: unaryF('Expm1Backward0', lax.expm1, { savesOutput: true, formula: expm1Formula }),
  log: unaryF('LogBackward0', lax.log, { saves: [0], gradName: 'DivBackward0' }),
  log1p: unaryF('Log1PBackward0', lax.log1p, { saves: [0], gradName: 'DivBackward0' }),
  log2: unaryF('Log2Backward0', (x) => lax.mulScalar(lax.log(x), 1 / Math.LN2), {
    saves: [0],
    gradName: 'DivBackward0',
  }),
  log10: unaryF('Log10Backward0', (x) => lax.mulScalar(lax.log(x), 1 / Math.LN10), {
    saves: [0],
    gradName: 'DivBackward0',
  }),
  sqrt: unaryF('SqrtBackward0', lax.sqrt, { savesOutput: true, gradName: 'DivBackward0' }),
  rsqrt: unaryF('RsqrtBackward0', un.rsqrt, { savesOutput: true, formula: rsqrtFormula }),
  reciprocal: unaryF('ReciprocalBackward0', lax.reciprocal, { savesOutput: true, formula: reciprocalFormula }),
  sin: unaryF('SinBackward0', lax.sin, { saves: [0] }),
  cos: unaryF('CosBackward0', lax.cos, { saves: [0] }),
  tan: unaryF('TanBackward0', un.tan, { savesOutput: true }),
  asin: unaryF('AsinBackward0', un.asin, { saves: [0] }),
  acos: unaryF('AcosBackward0', un.acos, { saves: [0] }),
  atan: unaryF('AtanBackward0', un.atan, { saves: [0], formula: atanFormula }),
  sinh: unaryF('SinhBackward0', un.sinh, { saves: [0], formula: sinhFormula }),
  asinh: unaryF('AsinhBackward0', lax.asinh, { saves: [0] }),
  cosh: unaryF('CoshBackward0', un.cosh, { saves: [0], formula: coshFormula }),
  tanh: unaryF('TanhBackward0', lax.tanh, {
    savesOutput: true,
    gradName: 'TanhBackwardBackward0',
    formula: tanhFormula,
  }),
  sigmoid: unaryF('SigmoidBackward0', lax.logistic, { savesOutput: true, formula: sigmoidFormula }),
  erf: unaryF('ErfBackward0', lax.erf, { saves: [0] }),
  // NOTE: the value in one selection and the gradient directly (no trace of reluFn per call: W2)
  relu: unary('ReluBackward0', reluValue, {
    savesOutput: true,
    grads: reluGrads,
    gradName: 'ThresholdBackwardBackward0',
    gradLink: { of: 'output', name: 'ThresholdBackwardBackward0' },
    // threshold_backward(grad, result, 0): one node over the gradient and the output
    formula: backwardNode('ThresholdBackwardBackward0', thresholdBackward(0), 'output'),
  }),
  floor: unary('FloorBackward0', (x) => (isFloat(x.dtype) ? lax.floor(x) : x)),
  ceil: unary('CeilBackward0', (x) => (isFloat(x.dtype) ? lax.ceil(x) : x)),
  round: roundMethod,
  trunc: unary('TruncBackward0', (x) =>
    isFloat(x.dtype) ? lax.select(lax.lt(x, zeroLike(x)), lax.ceil(x), lax.floor(x)) : x,
  ),

  /** Clamps into [min, max] (either may be omitted): `clamp(min, max)` or `clamp({ min, max })`. */
  clamp(this: T, ...args: PyArgs<[min: Bound, max: Bound], { readonly min?: Bound; readonly max?: Bound }>): T {
    const a = parseArgs('clamp', args, ['min', 'max'])
    const [lo, hi] = clampBounds('clamp', args, a.min as Bound, a.max as Bound)
    if (!given(lo) && !given(hi)) throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    const scalarBounds = !(lo instanceof Object) && !(hi instanceof Object)
    const rt = resultType([this, ...(given(lo) ? [lo] : []), ...(given(hi) ? [hi] : [])])
    const d = rt.storage
    const inputs: T[] = [this]
    if (given(lo)) inputs.push(asTensor(lo, d))
    if (given(hi)) inputs.push(asTensor(hi, d))
    const out = op(
      scalarBounds ? 'ClampBackward1' : 'ClampBackward0',
      inputs,
      (...vs) => {
        const x = castTo(vs[0] as NdArray, d)
        const l = given(lo) ? castTo(vs[1] as NdArray, d) : undefined
        const h = given(hi) ? castTo(vs[given(lo) ? 2 : 1] as NdArray, d) : undefined
        return clampFn(x, l, h)
      },
      {
        saves: [0],
        ...(scalarBounds
          ? {
              scalars: [1, 2],
              formula: clampFormula(given(lo) ? (lo as number) : undefined, given(hi) ? (hi as number) : undefined),
            }
          : {}),
      },
    )
    // (tensor bounds: clamp_backward_min_max's layouts are not modelled)
    return scalarBounds ? withIterLayout(out, [this]) : out
  },
  /** Alias of clamp. */
  clip(this: T, ...args: PyArgs<[min: Bound, max: Bound], { readonly min?: Bound; readonly max?: Bound }>): T {
    return mathMethods.clamp.call(this, ...args)
  },
  /** `max(self, min)` with clamp's gradient. */
  clamp_min(this: T, min: TensorOrScalar): T {
    return binary(
      typeof min === 'number' ? 'ClampMinBackward0' : 'ClampMinBackward1',
      this,
      min,
      (x, l) => clampFn(x, l, undefined),
      { saves: [0], ...(typeof min === 'number' ? { scalars: [1] } : {}) },
    )
  },
  /** `min(self, max)` with clamp's gradient. */
  clamp_max(this: T, max: TensorOrScalar): T {
    return binary(
      typeof max === 'number' ? 'ClampMaxBackward0' : 'ClampMaxBackward1',
      this,
      max,
      (x, h) => clampFn(x, undefined, h),
      { saves: [0], ...(typeof max === 'number' ? { scalars: [1] } : {}) },
    )
  },
  /** `torch.where(condition, self, other)`. */
  where(this: T, condition: T, other: TensorOrScalar): T {
    const rt = resultType([this, other])
    const o = asTensor(other, rt.storage)
    const c = asTensor(condition)
    checkBroadcast(c._value().shape, this._value().shape)
    checkBroadcast(broadcastShape(c._value().shape, this._value().shape), o._value().shape)
    const inputs = [c, this, o]
    const out = op(
      'WhereBackward0',
      inputs,
      (cv, x, y) => {
        const s = broadcastShape(broadcastShape(cv.shape, x.shape), y.shape)
        return lax.select(
          lax.broadcastTo(lax.cast(cv, 'bool'), s),
          lax.broadcastTo(castTo(x, rt.storage), s),
          lax.broadcastTo(castTo(y, rt.storage), s),
        )
      },
      { saves: [0], nonDiff: [0] },
    )
    return withIterLayout(out, inputs)
  },

  eq: cmp('eq', lax.eq),
  ne: cmp('ne', lax.ne),
  gt: cmp('gt', lax.gt),
  ge: cmp('ge', lax.ge),
  lt: cmp('lt', lax.lt),
  le: cmp('le', lax.le),
  greater: cmp('gt', lax.gt),
  greater_equal: cmp('ge', lax.ge),
  less: cmp('lt', lax.lt),
  less_equal: cmp('le', lax.le),
  not_equal: cmp('ne', lax.ne),
  logical_and: cmp('logical_and', (x, y) => lax.and(lax.cast(x, 'bool'), lax.cast(y, 'bool'))),
  logical_or: cmp('logical_or', (x, y) => lax.or(lax.cast(x, 'bool'), lax.cast(y, 'bool'))),
  logical_xor: cmp('logical_xor', (x, y) => lax.ne(lax.cast(x, 'bool'), lax.cast(y, 'bool'))),
  /** Element-wise logical not. */
  logical_not(this: T): T {
    return op('logical_not', [this], (x) => lax.not(lax.cast(x, 'bool')), { differentiable: false })
  },
  /** NaN test. */
  isnan(this: T): T {
    return op('isnan', [this], (x) => (isFloat(x.dtype) ? lax.isNan(x) : lax.ne(x, x)), { differentiable: false })
  },
  /** Finite test. */
  isfinite(this: T): T {
    return op('isfinite', [this], (x) => (isFloat(x.dtype) ? lax.isFinite(x) : lax.eq(x, x)), { differentiable: false })
  },
  /** ±inf test. */
  isinf(this: T): T {
    return op(
      'isinf',
      [this],
      (x) => (isFloat(x.dtype) ? lax.and(lax.not(lax.isFinite(x)), lax.not(lax.isNan(x))) : lax.ne(x, x)),
      { differentiable: false },
    )
  },
  /** Element-wise closeness: `|self − other| ≤ atol + rtol·|other|` (bool). */
  isclose(
    this: T,
    other: T,
    kw: { readonly rtol?: number; readonly atol?: number; readonly equal_nan?: boolean } = {},
  ): T {
    const rtol = kw.rtol ?? 1e-5
    const atol = kw.atol ?? 1e-8
    const out = binary(
      'isclose',
      this,
      other,
      (x, y) => {
        const fx = floatOf(x)
        const fy = floatOf(y)
        const close = lax.le(absFn(lax.sub(fx, fy)), lax.addScalar(lax.mulScalar(absFn(fy), rtol), atol))
        // infinities are close only to themselves (the tolerance of an infinite `other` is infinite)
        const finite = lax.and(lax.isFinite(fx), lax.isFinite(fy))
        const r = lax.or(lax.and(close, finite), lax.eq(fx, fy))
        return kw.equal_nan ? lax.or(r, lax.and(lax.isNan(fx), lax.isNan(fy))) : r
      },
      { differentiable: false },
    )
    // PyTorch builds the result in place: `close = self == other`, then `close |= isnan & isnan`
    // (equal_nan, floating inputs) and `close |= finite & within tolerance` (unless both are 0)
    if (kw.equal_nan === true && isFloat(this._value().dtype)) out._bump()
    if (rtol !== 0 || atol !== 0) out._bump()
    return out
  },
  /** True when every element is close (see isclose). */
  allclose(
    this: T,
    other: T,
    kw: { readonly rtol?: number; readonly atol?: number; readonly equal_nan?: boolean } = {},
  ): boolean {
    const c = mathMethods.isclose.call(this, other, kw)._value()
    return (
      lax
        .reduceAnd(
          c,
          c.shape.map((_, i) => i),
        )
        .item() === true
    )
  },
  /** True when shapes and all elements are equal. */
  equal(this: T, other: T): boolean {
    const a = this._value().shape
    const b = other._value().shape
    if (a.length !== b.length || a.some((d, i) => d !== b[i])) return false
    const c = mathMethods.eq.call(this, other)._value()
    return (
      lax
        .reduceAnd(
          c,
          c.shape.map((_, i) => i),
        )
        .item() === true
    )
  },
}

/**
 * Gives the zeros of `out` (a fresh float remainder of `x`, broadcast) the sign of `x` in place
 * (PyTorch's fmod and remainder give −0 for a negative dividend). Done on the result after the op
 * is recorded, not in its rule, so the gradient in `x` stays the incoming gradient itself (its
 * tensor and `_version`, as PyTorch's `grad` formula passes it on).
 */
export const signZerosAsDividend = (out: T, x: T): T => {
  const r = out._value()
  if (!isFloat(r.dtype)) return out
  const xv = lax.broadcastTo(lax.cast(x._value(), r.dtype), r.shape)
  const negX = lax.or(
    lax.lt(xv, lax.scalarLike(0, xv)),
    lax.lt(lax.div(lax.scalarLike(1, xv), xv), lax.scalarLike(0, xv)),
  )
  const at = lax.and(lax.eq(r, lax.scalarLike(0, r)), negX)._data
  const d = r._data
  for (let i = 0; i < d.length; i++) if (at[i] !== 0) d[i] = -0
  return out
}

/** `floor(self / other)` computed without recording, under PyTorch's `NotImplemented` node for `aten`. */
export const floorDivide = (self: T, other: TensorOrScalar, aten: string): T => {
  const out = no_grad(() => mathMethods.div.call(self, other, { rounding_mode: 'floor' }))
  return withNotImplemented(aten, other instanceof Tensor ? [self, other] : [self], out)
}

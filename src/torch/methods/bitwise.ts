/**
 * Integer and boolean bit operations (`bitwise_and/or/xor/not`, `bitwise_left_shift`/
 * `bitwise_right_shift`, `gcd`, `lcm`) and their in-place forms. They promote their operands as
 * PyTorch does (a Python int keeps the tensor's integer dtype; bool with bool stays bool, where
 * and/or/xor are the logical ones) and raise PyTorch's "not implemented for 'Float'" error on
 * floating dtypes. Shifts follow PyTorch 2.x: a shift outside [0, bits) gives 0 (−1 for a
 * negative value shifted right). int64 values are exact up to 2^53 (the facade's int64 storage).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const L = { dtype: torch.int64 }
 * const a = torch.tensor([5, -3, 12], L)
 * assert.deepStrictEqual(a.bitwise_and(3).tolist(), [1, 1, 0])
 * assert.deepStrictEqual(torch.bitwise_xor(a, torch.tensor([3, 6, -7], L)).tolist(), [6, -5, -11])
 * assert.deepStrictEqual(torch.bitwise_not(torch.tensor([true, false])).tolist(), [false, true])
 * assert.deepStrictEqual(torch.bitwise_left_shift(a, 2).tolist(), [20, -12, 48])
 * assert.deepStrictEqual(torch.gcd(a, torch.tensor([15, 9, 8], L)).tolist(), [5, 3, 4])
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { allocate } from '../../ndarray/dtype'
import { bool, type TorchDType } from '../dtype'
import { RuntimeError } from '../errors'
import { asTensor, broadcastShape, castWrapping, resultType, type TensorOrScalar } from '../ops/convert'
import { Tensor } from '../tensor'
import { inplaceForm } from './aliases'

type T = Tensor
type Kernel = (x: number, y: number, bits: number) => number

const BITS: Readonly<Record<string, number>> = { int64: 64, int32: 32, int16: 16, int8: 8, uint8: 8, bool: 1 }

/** PyTorch's error for a dtype the kernel has no loop for. */
const notImplemented = (kernel: string, d: TorchDType): RuntimeError =>
  new RuntimeError(`"${kernel}_cpu" not implemented for '${d.word}'`)

const int32Range = (v: number): boolean => v >= -2147483648 && v <= 2147483647

/** A two's-complement bit operation, on 32-bit integers where both fit, else on 64-bit BigInts. */
const bitOp =
  (small: (x: number, y: number) => number, big: (x: bigint, y: bigint) => bigint): Kernel =>
  (x, y) =>
    int32Range(x) && int32Range(y) ? small(x, y) : Number(BigInt.asIntN(64, big(BigInt(x), BigInt(y))))

const shiftLeft: Kernel = (x, s, bits) => (s < 0 || s >= bits ? 0 : Number(BigInt.asIntN(64, BigInt(x) << BigInt(s))))
const shiftRight: Kernel = (x, s, bits) => (s < 0 || s >= bits ? (x < 0 ? -1 : 0) : Number(BigInt(x) >> BigInt(s)))

const gcdOf = (x: number, y: number): number => {
  let a = Math.abs(x)
  let b = Math.abs(y)
  while (b !== 0) [a, b] = [b, a % b]
  return a
}
const lcmOf = (x: number, y: number): number => {
  const g = gcdOf(x, y)
  return g === 0 ? 0 : Math.abs((x / g) * y)
}

/** `f` element-wise over the broadcast integer operands, in their promoted dtype (wrapping on overflow). */
const intBinary = (kernel: string, a: TensorOrScalar, b: TensorOrScalar, f: Kernel, boolOk = true): T => {
  const d = resultType([a, b])
  if (d.is_floating_point || (!boolOk && d === bool)) throw notImplemented(kernel, d)
  const xa = asTensor(a)._value()
  const xb = asTensor(b)._value()
  const shape = broadcastShape(xa.shape, xb.shape)
  const va = lax.broadcastTo(lax.cast(xa, 'float64'), shape)._values(kernel)
  const vb = lax.broadcastTo(lax.cast(xb, 'float64'), shape)._values(kernel)
  const bits = BITS[d.storage] ?? 64
  const out = allocate('float64', va.length)
  for (let i = 0; i < out.length; i++) out[i] = f(va[i] as number, vb[i] as number, bits)
  return Tensor._fromValue(castWrapping(new NdArray(shape, 'float64', out), d.storage))
}

const binaryMethod = (kernel: string, f: Kernel, boolOk = true) =>
  function (this: T, other: TensorOrScalar): T {
    return intBinary(kernel, this, other, f, boolOk)
  }

const and = binaryMethod(
  'bitwise_and',
  bitOp(
    (x, y) => x & y,
    (x, y) => x & y,
  ),
)
const or = binaryMethod(
  'bitwise_or',
  bitOp(
    (x, y) => x | y,
    (x, y) => x | y,
  ),
)
const xor = binaryMethod(
  'bitwise_xor',
  bitOp(
    (x, y) => x ^ y,
    (x, y) => x ^ y,
  ),
)
const lshift = binaryMethod('lshift', shiftLeft, false)
const rshift = binaryMethod('rshift', shiftRight, false)
const gcd = binaryMethod('gcd', gcdOf, false)
const lcm = binaryMethod('lcm', lcmOf, false)

/** `~x`: logical not for bool, −x − 1 (wrapped to the dtype) for integers. */
function bitwise_not(this: T): T {
  const d = this.dtype
  if (d.is_floating_point) throw notImplemented('bitwise_not', d)
  const x = this._value()
  if (d === bool) return Tensor._fromValue(lax.not(x))
  return Tensor._fromValue(castWrapping(lax.addScalar(lax.neg(lax.cast(x, 'float64')), -1), d.storage))
}

/** The bit-operation methods installed on Tensor. */
export const bitwiseMethods = {
  /** Bitwise AND (logical AND for bool). */
  bitwise_and: and,
  /** Bitwise OR (logical OR for bool). */
  bitwise_or: or,
  /** Bitwise XOR (logical XOR for bool). */
  bitwise_xor: xor,
  /** Bitwise NOT (logical NOT for bool). */
  bitwise_not,
  /** `self << other`; 0 for a shift outside [0, bits). */
  bitwise_left_shift: lshift,
  /** `self >> other` (arithmetic); 0, or −1 for negative values, for a shift outside [0, bits). */
  bitwise_right_shift: rshift,
  /** Greatest common divisor (non-negative; gcd(0, 0) = 0). */
  gcd,
  /** Least common multiple (non-negative; 0 when either is 0). */
  lcm,
  /** Python's `&`. */
  __and__: and,
  /** Python's `|`. */
  __or__: or,
  /** Python's `^`. */
  __xor__: xor,
  /** Python's `<<`. */
  __lshift__: lshift,
  /** Python's `>>`. */
  __rshift__: rshift,
  /** Python's `~`. */
  __invert__: bitwise_not,
  bitwise_and_: inplaceForm(and),
  bitwise_or_: inplaceForm(or),
  bitwise_xor_: inplaceForm(xor),
  bitwise_not_: inplaceForm(bitwise_not),
  bitwise_left_shift_: inplaceForm(lshift),
  bitwise_right_shift_: inplaceForm(rshift),
  gcd_: inplaceForm(gcd),
  lcm_: inplaceForm(lcm),
  __iand__: inplaceForm(and),
  __ior__: inplaceForm(or),
  __ixor__: inplaceForm(xor),
  __ilshift__: inplaceForm(lshift),
  __irshift__: inplaceForm(rshift),
}

/** A torch function taking a scalar or a tensor first (`torch.bitwise_and(3, x)`). */
const scalarFirst =
  (f: (this: T, other: TensorOrScalar) => T) =>
  (input: TensorOrScalar, other: TensorOrScalar): T =>
    f.call(input instanceof Tensor ? input : asTensor(input), other)

/** `torch.bitwise_and(input, other)` (either may be a Python scalar). @category torch @since 0.2.0 */
export const bitwise_and = scalarFirst(and)
/** `torch.bitwise_or(input, other)`. @category torch @since 0.2.0 */
export const bitwise_or = scalarFirst(or)
/** `torch.bitwise_xor(input, other)`. @category torch @since 0.2.0 */
export const bitwise_xor = scalarFirst(xor)
/** `torch.bitwise_left_shift(input, other)`. @category torch @since 0.2.0 */
export const bitwise_left_shift = scalarFirst(lshift)
/** `torch.bitwise_right_shift(input, other)`. @category torch @since 0.2.0 */
export const bitwise_right_shift = scalarFirst(rshift)

/**
 * ONNX export rules of the bit primitives (`./bitwise`). On bool, and/or/xor/not are ONNX's
 * logical `And`/`Or`/`Xor`/`Not` (any opset). On integers they need opset 18's `BitwiseAnd`/
 * `BitwiseOr`/`BitwiseXor`/`BitwiseNot` (a typed refusal below that); they compute on int64 (every
 * dtype here sign- or zero-extends into it exactly) and `Cast` back, which wraps to the dtype's
 * width as the kernels do. Shifts run ONNX `BitShift` on uint64, with the kernels' rule for a shift
 * outside `[0, bits)` (0, or −1 for a negative value shifted arithmetically); the arithmetic shift
 * is `~((~x) >>> s)` for negative `x`. `population_count` shifts the dtype's bit pattern by each of
 * `0 … bits − 1`, masks the low bit and sums.
 *
 * @category primitives
 * @since 0.5.0
 */
import { BIT_WIDTH, type BitBinaryOp, type BitUnaryOp } from '../../ndarray/kernels/bitwise'
import { ValueError } from '../../ndarray/errors'
import type { DType } from '../../ndarray/dtype'
import type { OnnxContext, OnnxEmitter, OnnxRule } from '../onnxRule'

/** ONNX `TensorProto.DataType` of uint64 (BitShift's operand type; not a wengert dtype). */
const UINT64 = 13

const LOGICAL: Readonly<Partial<Record<BitBinaryOp | BitUnaryOp, string>>> = {
  and: 'And',
  or: 'Or',
  xor: 'Xor',
  not: 'Not',
}
const BITWISE: Readonly<Partial<Record<BitBinaryOp | BitUnaryOp, string>>> = {
  and: 'BitwiseAnd',
  or: 'BitwiseOr',
  xor: 'BitwiseXor',
  not: 'BitwiseNot',
}

/** Refuses opsets without ONNX's bitwise operators (they arrived in opset 18). */
const needOpset18 = (emit: OnnxEmitter, name: string, dtype: DType): void => {
  if (emit.opset < 18)
    throw new ValueError(
      `${name}: exporting it on ${dtype} needs opsetVersion ≥ 18 (ONNX's Bitwise operators), got ${emit.opset}`,
    )
}

const toI64 = (emit: OnnxEmitter, x: string): string => emit.cast(x, 'int64')
const toU64 = (emit: OnnxEmitter, x: string): string => emit.op('Cast', [x], { to: { int: UINT64 } })
const i64 = (emit: OnnxEmitter, v: number): string => emit.scalar(v, 'int64')

/** The dtype's bit pattern as a non-negative int64 (masked for widths below 64). */
const pattern = (emit: OnnxEmitter, x64: string, bits: number): string =>
  bits >= 64 ? x64 : emit.op('BitwiseAnd', [x64, i64(emit, 2 ** bits - 1)])

/** `BitShift` of int64 values (as uint64) by int64 amounts; int64 out. */
const shift = (emit: OnnxEmitter, x64: string, s64: string, direction: 'LEFT' | 'RIGHT'): string =>
  toI64(emit, emit.op('BitShift', [toU64(emit, x64), toU64(emit, s64)], { direction: { string: direction } }))

/** A shift primitive's nodes, on int64. */
const shiftNodes = (emit: OnnxEmitter, op: BitBinaryOp, x64: string, s64: string, bits: number): string => {
  const zero = i64(emit, 0)
  const ok = emit.op('And', [emit.op('GreaterOrEqual', [s64, zero]), emit.op('Less', [s64, i64(emit, bits)])])
  const s = emit.op('Where', [ok, s64, zero])
  if (op === 'shift_right_arithmetic') {
    // on the sign-extended value: ~((~x) >>> s) for negative x; past the width, −1 or 0 by sign
    const neg = emit.op('Less', [x64, zero])
    const r = shift(emit, emit.op('Where', [neg, emit.op('BitwiseNot', [x64]), x64]), s, 'RIGHT')
    const filled = emit.op('Where', [neg, i64(emit, -1), zero])
    return emit.op('Where', [ok, emit.op('Where', [neg, emit.op('BitwiseNot', [r]), r]), filled])
  }
  const r = op === 'shift_left' ? shift(emit, x64, s, 'LEFT') : shift(emit, pattern(emit, x64, bits), s, 'RIGHT')
  return emit.op('Where', [ok, r, zero])
}

/** The export rule of a binary bit primitive. */
export const bitBinaryOnnx =
  (name: string, op: BitBinaryOp): OnnxRule<unknown> =>
  ({ inputs, out, emit }: OnnxContext<unknown>): string => {
    const [x, y] = inputs as readonly [string, string]
    const logical = LOGICAL[op]
    if (out.dtype === 'bool' && logical !== undefined) return emit.op(logical, [x, y])
    needOpset18(emit, name, out.dtype)
    const [x64, y64] = [toI64(emit, x), toI64(emit, y)]
    const bitwise = BITWISE[op]
    const r =
      bitwise !== undefined ? emit.op(bitwise, [x64, y64]) : shiftNodes(emit, op, x64, y64, BIT_WIDTH[out.dtype])
    return emit.cast(r, out.dtype)
  }

/** The export rule of a unary bit primitive. */
export const bitUnaryOnnx =
  (name: string, op: BitUnaryOp): OnnxRule<unknown> =>
  ({ inputs, out, emit }: OnnxContext<unknown>): string => {
    const [x] = inputs as readonly [string]
    if (out.dtype === 'bool') return op === 'not' ? emit.op('Not', [x]) : x
    needOpset18(emit, name, out.dtype)
    const x64 = toI64(emit, x)
    if (op === 'not') return emit.cast(emit.op('BitwiseNot', [x64]), out.dtype)
    const bits = BIT_WIDTH[out.dtype]
    const p = emit.op('Unsqueeze', [pattern(emit, x64, bits), emit.ints([-1])])
    const k = emit.ints(Array.from({ length: bits }, (_, i) => i))
    const low = emit.op('BitwiseAnd', [shift(emit, p, k, 'RIGHT'), i64(emit, 1)])
    return emit.cast(emit.reduce('ReduceSum', low, [out.shape.length]), out.dtype)
  }

/**
 * The backward of a facade op recorded as one primitive (a direct op: `mul`, `exp`, `add`, …) whose
 * operands, output and incoming gradient are one-element float arrays of one dtype and shape, on
 * numbers: the primitive's numeric rule (`scalarVjp`, src/core/scalarSweep) instead of its VJP
 * rule (a `bind`, a result list and its context per step). Issue 18, W3: the facade's backward of a
 * chain of scalar ops.
 *
 * The numbers are the rule's bits (test/core/scalarVjp.test.ts). What the facade reads of the
 * gradients' identity stays as the array rule makes it: a gradient equal to the incoming one (add's,
 * sub's first: the rule may pass the incoming array on, which decides `.grad`'s version and the
 * tensor a hook sees) or zero (a rule's symbolic zero) is left to the array rule.
 *
 * @category torch
 * @since 0.3.0
 */
import type { AnyPrimitive, ScalarVjp, VjpContext } from '../../core/primitive'
import { numAdd, scalarArray } from '../../core/smallEwise'
import { NdArray } from '../../ndarray/NdArray'
import { shapesEqual } from '../../ndarray/shape'
import { Tensor } from '../tensor'
import { nullSlots } from './node'

/** What the numeric backward reads of a direct op's node. */
export interface ScalarNode {
  readonly _values: ReadonlyArray<NdArray>
  readonly _out: NdArray
  readonly _needs: { readonly diffIdx: ReadonlyArray<number> }
}

/** True for a plain (concrete, contiguous) one-element array of `y`'s dtype and shape. */
export const scalarLike = (x: NdArray | undefined, y: NdArray): x is NdArray =>
  x !== undefined &&
  x.constructor === NdArray &&
  x.size === 1 &&
  x.dtype === y.dtype &&
  (x.shape === y.shape || shapesEqual(x.shape, y.shape))

const NO_IDX: ReadonlyArray<number> = Object.freeze([])

/**
 * True when a node's output is a plain one-element float32/float64 array, its one or two inputs
 * and its incoming gradient (`gv`: its value, or a number, of the output's dtype and shape) too.
 */
export const scalarOperands = (node: ScalarNode, gv: NdArray | number): boolean => {
  const y = node._out
  if (y.constructor !== NdArray || y.size !== 1 || (y.dtype !== 'float64' && y.dtype !== 'float32')) return false
  const ins = node._values
  if (ins.length > 2) return false
  const x0 = ins[0]
  return (
    scalarLike(x0, y) && (ins.length === 1 || scalarLike(ins[1], y)) && (typeof gv === 'number' || scalarLike(gv, y))
  )
}

/**
 * The numbers {@link scalarNumbers} computed last: the gradients of the node's first and second
 * input that needs one (`diffIdx[0]`, `diffIdx[1]`), those inputs, and the output's dtype (float64,
 * else float32); `passOn`: each of those gradients is the incoming one itself (op.ts numericStep).
 * NOTE: one shared record (read at once by the caller), so the numeric step allocates nothing.
 */
export const scalarOut = { b0: 0, b1: 0, f64: false, diffIdx: NO_IDX, passOn: false }

/**
 * The input gradients of `node` (a direct op of `prim`) from its incoming gradient (`gv`: its
 * value, or the number of a gradient of the output's dtype and shape), computed on numbers into
 * {@link scalarOut}; false (nothing computed) when the numeric path does not apply or a gradient
 * would be the incoming one or zero (the caller runs the array rule). Reads values only.
 */
export const scalarNumbers = (
  node: ScalarNode,
  prim: AnyPrimitive,
  gv: NdArray | number,
  ctx: VjpContext<ReadonlyArray<NdArray>, unknown>,
): boolean => {
  const rule = prim.scalarVjp
  if (rule === undefined || !scalarOperands(node, gv)) return false
  return operandNumbers(node, rule, typeof gv === 'number' ? gv : (gv._data[0] as number), ctx)
}

/**
 * {@link scalarNumbers} of a node whose operands are known to be one-element arrays of its output's
 * dtype and shape (checked when it was recorded: op.ts `_lean`), from the incoming gradient's number.
 */
export const operandNumbers = (
  node: ScalarNode,
  rule: ScalarVjp<ReadonlyArray<NdArray>, unknown>,
  yBar: number,
  ctx: VjpContext<ReadonlyArray<NdArray>, unknown>,
): boolean => {
  const y = node._out
  const f64 = y.dtype === 'float64'
  const ins = node._values
  const x0 = ins[0] as NdArray
  const x1 = (ins.length === 2 ? ins[1] : x0) as NdArray
  const a0 = x0._data[0] as number
  const a1 = x1._data[0] as number
  const o = y._data[0] as number
  const diffIdx = node._needs.diffIdx
  const b0 = rule(diffIdx[0] as number, yBar, a0, a1, o, f64, ctx)
  if (passedOnOrZero(b0, yBar)) return false
  if (diffIdx.length === 2) {
    const b1 = rule(diffIdx[1] as number, yBar, a0, a1, o, f64, ctx)
    if (passedOnOrZero(b1, yBar)) return false
    scalarOut.b1 = b1
  }
  scalarOut.b0 = b0
  scalarOut.f64 = f64
  scalarOut.diffIdx = diffIdx
  scalarOut.passOn = false
  return true
}

/**
 * The input gradients of `node` (a direct op of `prim`) from its incoming gradient's value `gv`,
 * computed on numbers, as new tensors; undefined when the numeric path does not apply (the caller
 * runs the rule).
 */
export const scalarGrads = (
  node: ScalarNode,
  prim: AnyPrimitive,
  gv: NdArray,
  ctx: VjpContext<ReadonlyArray<NdArray>, unknown>,
): Array<Tensor | null> | undefined => {
  // NOTE: computed before any tensor is made, so a fallback leaves nothing behind
  if (!scalarNumbers(node, prim, gv, ctx)) return undefined
  const { b0, b1, f64 } = scalarOut
  const diffIdx = node._needs.diffIdx
  const shape = node._out.shape
  const result = nullSlots(node._values.length)
  result[diffIdx[0] as number] = Tensor._fromValue(scalarArray(b0, shape, f64))
  if (diffIdx.length === 2) result[diffIdx[1] as number] = Tensor._fromValue(scalarArray(b1, shape, f64))
  return result
}

/** A gradient the array rule may give as the incoming array itself or as a symbolic zero. */
const passedOnOrZero = (b: number, yBar: number): boolean => b === 0 || Object.is(b, yBar)

/**
 * `a + b` of two 0-d gradients of one float dtype, on numbers (the add kernel's expression, so the
 * bits of the out-of-place sum), as a new tensor; undefined for any other operands.
 */
export const scalarSum = (a: Tensor, b: Tensor): Tensor | undefined => {
  const x = a._value()
  const y = b._value()
  if (x.constructor !== NdArray || y.constructor !== NdArray || x.shape.length !== 0 || y.shape.length !== 0)
    return undefined
  const d = x.dtype
  if (d !== y.dtype || (d !== 'float32' && d !== 'float64')) return undefined
  const f64 = d === 'float64'
  return Tensor._fromValue(scalarArray(numAdd(x._data[0] as number, y._data[0] as number, f64), x.shape, f64))
}

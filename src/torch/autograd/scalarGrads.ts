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
import type { AnyPrimitive, VjpContext } from '../../core/primitive'
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
const scalarLike = (x: NdArray | undefined, y: NdArray): x is NdArray =>
  x !== undefined &&
  x.constructor === NdArray &&
  x.size === 1 &&
  x.dtype === y.dtype &&
  (x.shape === y.shape || shapesEqual(x.shape, y.shape))

/**
 * The input gradients of `node` (a direct op of `prim`) from its incoming gradient's value `gv`,
 * computed on numbers; undefined when the numeric path does not apply (the caller runs the rule).
 */
export const scalarGrads = (
  node: ScalarNode,
  prim: AnyPrimitive,
  gv: NdArray,
  ctx: VjpContext<ReadonlyArray<NdArray>, unknown>,
): Array<Tensor | null> | undefined => {
  const rule = prim.scalarVjp
  const y = node._out
  if (rule === undefined || y.constructor !== NdArray || y.size !== 1) return undefined
  const f64 = y.dtype === 'float64'
  if (!f64 && y.dtype !== 'float32') return undefined
  const ins = node._values
  if (ins.length > 2) return undefined
  const x0 = ins[0]
  const x1 = ins.length === 2 ? ins[1] : x0
  if (!scalarLike(x0, y) || !scalarLike(x1, y) || !scalarLike(gv, y)) return undefined
  const yBar = gv._data[0] as number
  const a0 = x0._data[0] as number
  const a1 = x1._data[0] as number
  const o = y._data[0] as number
  const diffIdx = node._needs.diffIdx
  // NOTE: computed before any tensor is made, so a fallback leaves nothing behind
  const k0 = diffIdx[0] as number
  const b0 = rule(k0, yBar, a0, a1, o, f64, ctx)
  if (passedOnOrZero(b0, yBar)) return undefined
  const result = nullSlots(ins.length)
  result[k0] = Tensor._fromValue(scalarArray(b0, y.shape, f64))
  if (diffIdx.length === 2) {
    const k1 = diffIdx[1] as number
    const b1 = rule(k1, yBar, a0, a1, o, f64, ctx)
    if (passedOnOrZero(b1, yBar)) return undefined
    result[k1] = Tensor._fromValue(scalarArray(b1, y.shape, f64))
  }
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

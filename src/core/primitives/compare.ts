/**
 * Comparison and logical primitives: bool outputs, so every derivative is zero.
 *
 * @category primitives
 * @since 0.1.0
 */
import { binary } from '../../ndarray/kernels/elementwise'
import type { BinaryOp } from '../../ndarray/kernels/expressions'
import type { NdArray } from '../../ndarray/NdArray'
import { broadcastShapes } from '../../ndarray/shape'
import { onnxOp, type OnnxRule } from '../onnxRule'
import { bound, definePrimitive, vectorized, type BoundPrimitive, type NoParams } from '../primitive'

type XY = readonly [NdArray, NdArray]
/** A bound comparison primitive. */
type Comparison<N extends string> = BoundPrimitive<N, XY>

/** A comparison or logical primitive: bool output, element-wise with broadcasting, no derivative. */
const comparison = <N extends string>(name: N, op: BinaryOp, onnx: OnnxRule<NoParams>): Comparison<N> =>
  bound(
    definePrimitive<N, XY, NoParams>({
      name,
      impl: ([x, y]) => binary(op, x, y, 'bool', name),
      shape: ([x, y]) => ({ shape: broadcastShapes(name, x.shape, y.shape), dtype: 'bool' }),
      batch: vectorized,
      onnx,
      derivative: 'none',
    }),
  )

/** `x == y`. @category primitives @since 0.1.0 */
export const eq: Comparison<'eq'> = comparison('eq', 'eq', onnxOp('Equal'))
/** `x != y`. @category primitives @since 0.1.0 */
export const ne: Comparison<'ne'> = comparison('ne', 'ne', ({ inputs, emit }) =>
  emit.op('Not', [emit.op('Equal', inputs)]),
)
/** `x > y`. @category primitives @since 0.1.0 */
export const gt: Comparison<'gt'> = comparison('gt', 'gt', onnxOp('Greater'))
/** `x >= y`. @category primitives @since 0.1.0 */
export const ge: Comparison<'ge'> = comparison('ge', 'ge', onnxOp('GreaterOrEqual'))
/** `x < y`. @category primitives @since 0.1.0 */
export const lt: Comparison<'lt'> = comparison('lt', 'lt', onnxOp('Less'))
/** `x <= y`. @category primitives @since 0.1.0 */
export const le: Comparison<'le'> = comparison('le', 'le', onnxOp('LessOrEqual'))
/** Logical and. @category primitives @since 0.1.0 */
export const and: Comparison<'and'> = comparison('and', 'and', onnxOp('And'))
/** Logical or. @category primitives @since 0.1.0 */
export const or: Comparison<'or'> = comparison('or', 'or', onnxOp('Or'))

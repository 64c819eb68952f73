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
import { definePrimitive, type Primitive } from '../primitive'

type XY = readonly [NdArray, NdArray]

const comparison = <N extends string>(name: N, op: BinaryOp): Primitive<N, XY, Record<string, never>> =>
  definePrimitive<N, XY, Record<string, never>>({
    name,
    impl: ([x, y]) => binary(op, x, y, 'bool', name),
    shape: ([x, y]) => ({ shape: broadcastShapes(name, x.shape, y.shape), dtype: 'bool' }),
    derivative: 'none',
  })

/** `x == y`. @category primitives @since 0.1.0 */
export const eq = comparison('eq', 'eq')
/** `x != y`. @category primitives @since 0.1.0 */
export const ne = comparison('ne', 'ne')
/** `x > y`. @category primitives @since 0.1.0 */
export const gt = comparison('gt', 'gt')
/** `x >= y`. @category primitives @since 0.1.0 */
export const ge = comparison('ge', 'ge')
/** `x < y`. @category primitives @since 0.1.0 */
export const lt = comparison('lt', 'lt')
/** `x <= y`. @category primitives @since 0.1.0 */
export const le = comparison('le', 'le')
/** Logical and. @category primitives @since 0.1.0 */
export const and = comparison('and', 'and')
/** Logical or. @category primitives @since 0.1.0 */
export const or = comparison('or', 'or')

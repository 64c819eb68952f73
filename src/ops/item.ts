/**
 * Reading a concrete number out of an array, traced or not.
 *
 * @category ops
 * @since 0.1.0
 */
import { concrete, live, refuseAbstract } from '../core/trace'
import { ValueError, fmtShape } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import type { ArrayLike } from './convert'

/**
 * The single element of a size-1 array as a JavaScript number (`true`/`false` give 1/0). Under
 * any transform the value is the concrete one the traced value stands for, so ordinary control
 * flow works inside `grad`, `jvp`, `vjp`, … (`if (item(x) > 0) …`, loops until convergence). The
 * result is a plain number: no derivative flows through it.
 *
 * @example
 * import { item, grad, array, mul, sin } from 'wengert'
 * // |x|·sin(x), branching on the value of x while it is traced
 * const f = (x: import('wengert').NdArray) => (item(x) >= 0 ? mul(x, sin(x)) : mul(mul(x, -1), sin(x)))
 * const x = array(-0.5, { dtype: 'float64' })
 * assert.strictEqual(item(x), -0.5)
 * assert.ok(Math.abs(item(grad(f)(x)) - (-Math.sin(-0.5) - -0.5 * Math.cos(-0.5))) < 1e-12)
 * @category ops
 * @since 0.1.0
 */
export const item = (x: ArrayLike): number => {
  if (typeof x === 'number') return x
  if (!(x instanceof NdArray))
    throw new ValueError(`item: expected an array or a number, got ${x === null ? 'null' : typeof x}`)
  if (x.size !== 1) {
    throw new ValueError(
      `item: can only convert an array of size 1 to a number, got shape ${fmtShape(x.shape)} (size ${x.size})`,
    )
  }
  refuseAbstract(x, 'item')
  // a tracer that escaped its transform raises (live), as reading it through the method does
  return Number(concrete(live(x))._data[0])
}

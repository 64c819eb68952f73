/**
 * `lax.whileLoop` and `lax.foriLoop`: loops whose trip count is a value (a `while` primitive,
 * forward-mode differentiable) or a static number (a `scan`, differentiable in both modes).
 *
 * @category ops
 * @since 0.2.0
 */
import { ShapeError, DTypeError } from '../../ndarray/errors'
import { NdArray } from '../../ndarray/NdArray'
import { addScalar, lt, scalar, convertElementType } from '../../core/lax'
import { whileLoop as whilePrimitive } from '../../core/primitives/branch'
import { traceClosed } from '../../core/subprogram'
import { Tracer } from '../../core/trace'
import { flatten, unflatten } from '../../tree'
import { checkFn } from '../../transforms/common'
import { checkCarry, leafArray, scan } from './scan'

/**
 * Runs `bodyFn` on the carry while `condFn` of it is true (JAX: `lax.while_loop`). `condFn` must
 * return a bool scalar; `bodyFn` must return a carry of the same structure, dtypes and shapes.
 * Both are traced once into a `while` primitive: under `jit` the loop is one loop of the compiled
 * program. Forward mode (`jvp`, `jacfwd`) differentiates it; reverse mode raises JAX's error
 * (use {@link scan} or a static-bound {@link foriLoop}).
 *
 * @example
 * import { lax, array, less, mul, type NdArray } from 'wengert'
 * const r = lax.whileLoop((x: NdArray) => less(x, 100), (x: NdArray) => mul(x, 3), array(1))
 * assert.strictEqual(r.item(), 243)
 * @category ops
 * @since 0.2.0
 */
export const whileLoop = <C>(condFn: (carry: C) => NdArray | boolean, bodyFn: (carry: C) => C, init: C): C => {
  checkFn('whileLoop', condFn)
  checkFn('whileLoop', bodyFn)
  const [leaves, def] = flatten(init)
  const carry = leaves.map((l, i) => leafArray('while_loop', l, `init_val leaf ${i}`))
  const cond = traceClosed((xs) => {
    const pred = leafArray('while_loop', condFn(unflatten(def, xs) as C), 'cond_fun output')
    if (pred.ndim !== 0 || pred.dtype !== 'bool')
      throw new (pred.ndim !== 0 ? ShapeError : DTypeError)(
        `while_loop: cond_fun must return a boolean scalar, but got output type(s) [${pred.dtype}[${pred.shape.join(',')}]]`,
      )
    return [pred]
  }, carry)
  const body = traceClosed((xs) => {
    const [outLeaves, outDef] = flatten(bodyFn(unflatten(def, xs) as C))
    const outs = outLeaves.map((l, i) => leafArray('while_loop', l, `body_fun output leaf ${i}`, carry[i]?.dtype))
    checkCarry('while_loop', def, outDef, carry, outs)
    return outs
  }, carry)
  const outs = whilePrimitive([...cond.consts, ...body.consts, ...carry], {
    cond: cond.tape,
    body: body.tape,
    condConsts: cond.consts.length,
    bodyConsts: body.consts.length,
  })
  return unflatten(def, outs) as C
}

/** A bound's value when it is static (a number, or an array that no transform traces). */
const staticBound = (b: number | NdArray): number | undefined => {
  if (typeof b === 'number') return b
  if (b instanceof Tracer || b.size !== 1) return undefined
  return Number(b.item())
}

/**
 * Runs `body(i, carry)` for `i` from `lower` to `upper − 1` (JAX: `lax.fori_loop`). With static
 * bounds (numbers, or arrays no transform traces) it is a {@link scan} of `upper − lower` steps,
 * differentiable in both modes; with traced bounds it is a {@link whileLoop} (forward mode only).
 * `i` is an int32 scalar.
 *
 * @example
 * import { lax, array, add, mul, grad, type NdArray } from 'wengert'
 * const pow8 = (x: NdArray) => lax.foriLoop(0, 3, (_i: NdArray, y: NdArray) => mul(y, y), x)
 * assert.strictEqual(pow8(array(2)).item(), 256)
 * assert.strictEqual(grad(pow8)(array(1)).item(), 8)
 * @category ops
 * @since 0.2.0
 */
export const foriLoop = <C>(
  lower: number | NdArray,
  upper: number | NdArray,
  body: (i: NdArray, carry: C) => C,
  init: C,
): C => {
  checkFn('foriLoop', body)
  const lo = staticBound(lower)
  const hi = staticBound(upper)
  if (lo !== undefined && hi !== undefined) {
    const [[, out]] = scan(
      ([i, c]: readonly [NdArray, C], _x: null) => [[addScalar(i, 1), body(i, c)] as const, null] as const,
      [scalar(lo, 'int32'), init] as const,
      null,
      { length: Math.max(0, hi - lo) },
    )
    return out
  }
  const asIndex = (b: number | NdArray): NdArray =>
    typeof b === 'number' ? scalar(b, 'int32') : convertElementType(b, 'int32')
  const stop = asIndex(upper)
  const [, out] = whileLoop(
    ([i]: readonly [NdArray, C]) => lt(i, stop),
    ([i, c]: readonly [NdArray, C]) => [addScalar(i, 1), body(i, c)] as const,
    [asIndex(lower), init] as const,
  )
  return out
}

/**
 * Forward mode: `jvp(f, primals, tangents)` pushes tangents through `f` alongside its primal
 * computation; no tape, no reverse sweep.
 *
 * @category transforms
 * @since 0.1.0
 */
import { instantiate } from '../core/lax'
import { JvpLevel, JvpTracer } from '../core/jvp'
import { withLevel } from '../core/trace'
import { Zero } from '../core/zero'
import { isFloat } from '../ndarray/dtype'
import { DTypeError, ShapeError, TreeMismatchError, ValueError, fmtShape } from '../ndarray/errors'
import { array } from '../ndarray/create'
import { NdArray } from '../ndarray/NdArray'
import { shapesEqual } from '../ndarray/shape'
import { describe, flatten, sameStructure, unflatten } from '../tree'
import { erase, type Grads } from './common'

const asArray = (u: unknown, what: string): NdArray => {
  if (u instanceof NdArray) return u
  if (typeof u === 'number') return array(u)
  throw new ValueError(`jvp: ${what} must be an array or a number, got ${typeof u}`)
}

/**
 * Jacobian-vector product: returns `[f(primals), J·tangents]`. Primals and tangents are
 * tuples of the same pytree structure, shapes and dtypes.
 *
 * @example
 * import { jvp, array, mul, sin } from 'wengert'
 * const x = array(0.3, { dtype: 'float64' })
 * const [y, yDot] = jvp((t: import('wengert').NdArray) => mul(t, sin(t)), [x], [array(1, { dtype: 'float64' })])
 * assert.ok(Math.abs((yDot.item() as number) - (Math.sin(0.3) + 0.3 * Math.cos(0.3))) < 1e-12)
 * assert.ok(Math.abs((y.item() as number) - 0.3 * Math.sin(0.3)) < 1e-12)
 * @category transforms
 * @since 0.1.0
 */
export const jvp = <A extends readonly unknown[], R>(
  f: (...args: A) => R,
  primals: A,
  tangents: Grads<A> | A,
): [R, Grads<R>] => {
  const [ps, pdef] = flatten(primals)
  const [ts, tdef] = flatten(tangents)
  if (!sameStructure(pdef, tdef)) {
    throw new TreeMismatchError(`jvp: primals and tangents must have the same structure, got ${describe(pdef)} and ${describe(tdef)}`)
  }
  return withLevel(new JvpLevel(), (level) => {
    const inputs = ps.map((p, i) => {
      const x = asArray(p, `primal ${i}`)
      const t = asArray(ts[i], `tangent ${i}`)
      if (!shapesEqual(x.shape, t.shape)) {
        throw new ShapeError(`jvp: primal ${i} has shape ${fmtShape(x.shape)} but its tangent has shape ${fmtShape(t.shape)}; they must be equal`)
      }
      if (!isFloat(x.dtype)) return x
      if (t.dtype !== x.dtype) {
        throw new DTypeError(`jvp: primal ${i} has dtype ${x.dtype} but its tangent has dtype ${t.dtype}; they must be equal`)
      }
      return new JvpTracer(level, x, t)
    })
    const out = (erase(f))(...(unflatten(pdef, inputs) as unknown[]))
    const [outs, odef] = flatten(out)
    const primalsOut: unknown[] = []
    const tangentsOut: unknown[] = []
    for (const o of outs) {
      if (o instanceof NdArray) {
        const [p, t] = level.split(o)
        primalsOut.push(p)
        tangentsOut.push(t instanceof Zero ? instantiate(t, p) : t)
      } else {
        primalsOut.push(o)
        tangentsOut.push(o)
      }
    }
    return [unflatten(odef, primalsOut) as R, unflatten(odef, tangentsOut) as Grads<R>]
  })
}

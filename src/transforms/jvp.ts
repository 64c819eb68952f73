/**
 * Forward mode: `jvp(f, primals, tangents)` pushes tangents through `f` alongside its primal
 * computation; no tape, no reverse sweep.
 *
 * @category transforms
 * @since 0.1.0
 */
import { instantiate, scalar } from '../core/lax'
import { JvpLevel, JvpTracer } from '../core/jvp'
import { live, withLevel } from '../core/trace'
import { Zero } from '../core/zero'
import { isFloat } from '../ndarray/dtype'
import { TreeMismatchError, ValueError } from '../ndarray/errors'
import { array } from '../ndarray/create'
import { NdArray } from '../ndarray/NdArray'
import { describe, flatten, sameStructure, unflatten } from '../tree'
import { describeValue } from '../internal/options'
import { checkFn, erase, type Grads } from './common'
import { checkTangent } from './linearize'

const asPrimal = (u: unknown, i: number): NdArray => {
  if (u instanceof NdArray) return u
  if (typeof u === 'number') return array(u)
  throw new ValueError(`jvp: primal ${i} must be an array or a number, got ${u === null ? 'null' : typeof u}`)
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
  checkFn('jvp', f)
  if (!Array.isArray(primals) || !Array.isArray(tangents)) {
    throw new ValueError(
      `jvp: primal and tangent arguments to jvp must be arrays (JAX: tuples or lists) with one entry per argument of the function, found ${describeValue(primals)} and ${describeValue(tangents)}; write jvp(f, [x], [t])`,
    )
  }
  const [ps, pdef] = flatten(primals)
  const [ts, tdef] = flatten(tangents)
  if (!sameStructure(pdef, tdef)) {
    throw new TreeMismatchError(
      `jvp: primal and tangent arguments to jvp must have the same tree structure; primals have tree structure ${describe(pdef)} whereas tangents have tree structure ${describe(tdef)}`,
    )
  }
  return withLevel(new JvpLevel('jvp'), (level) => {
    const inputs = ps.map((p, i) => {
      const x = live(asPrimal(p, i))
      const where = `the tangent of primal ${i}`
      const t = ts[i]
      if (isFloat(x.dtype)) return new JvpTracer(level, x, checkTangent('jvp', t, x, where))
      // integer and bool inputs are not differentiated (JAX gives them float0 tangents): their
      // tangent is ignored, only its shape is checked
      if (t instanceof NdArray) checkTangent('jvp', t, { shape: x.shape, dtype: t.dtype }, where)
      return x
    })
    const out = erase(f)(...(unflatten(pdef, inputs) as unknown[]))
    const [outs, odef] = flatten(out)
    const primalsOut: unknown[] = []
    const tangentsOut: unknown[] = []
    for (const o of outs) {
      if (o instanceof NdArray) {
        const [p, t] = level.split(live(o))
        primalsOut.push(p)
        tangentsOut.push(t instanceof Zero ? instantiate(t, p) : t)
      } else if (typeof o === 'number') {
        // a constant number output: its tangent is zero
        primalsOut.push(o)
        tangentsOut.push(scalar(0, 'float32'))
      } else {
        primalsOut.push(o)
        tangentsOut.push(o)
      }
    }
    return [unflatten(odef, primalsOut) as R, unflatten(odef, tangentsOut) as Grads<R>]
  })
}

/**
 * Reverse mode: `vjp(f, ...primals)` returns `f`'s output and a function that maps an output
 * cotangent to one cotangent per primal.
 *
 * @category transforms
 * @since 0.1.0
 */
import { add } from '../core/lax'
import { backwardPass } from '../core/reverse'
import { zerosLike } from '../ndarray/create'
import { DTypeError, ShapeError, fmtShape } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { shapesEqual } from '../ndarray/shape'
import { describe, flatten, sameStructure, unflatten, type TreeDef } from '../tree'
import { record, type Grads, type Recording, erase } from './common'

/** Runs the backward sweep of a recording for cotangents of its output leaves (arrays or undefined = zero). */
export const pullback = (rec: Recording, outCts: ReadonlyArray<NdArray | undefined>): NdArray[][] => {
  const seeds: Array<readonly [number, NdArray]> = []
  rec.outAtoms.forEach((v, i) => {
    const ct = outCts[i]
    if (v !== undefined && ct !== undefined) seeds.push([v, ct])
  })
  const wanted = rec.inputVars.flat()
  const cts = backwardPass({ equations: rec.level.equations, nVars: rec.level.values.length }, seeds, wanted, add)
  let k = 0
  return rec.inputLeaves.map((leaves) => leaves.map((x) => cts[k++] ?? zerosLike(x)))
}

/**
 * Vector-Jacobian product. `vjpFn` may be called many times; it checks the cotangent's
 * structure, shapes and dtypes against the output.
 *
 * @example
 * import { vjp, array, mul, sin } from 'wengert'
 * const [y, vjpFn] = vjp((x) => mul(sin(x), 2), array([0, 1], { dtype: 'float64' }))
 * const [xBar] = vjpFn(array([1, 1], { dtype: 'float64' }))
 * assert.ok(Math.abs((xBar.toArray() as number[])[1] - 2 * Math.cos(1)) < 1e-12)
 * assert.deepStrictEqual(y.shape, [2])
 * @category transforms
 * @since 0.1.0
 */
export const vjp = <A extends readonly unknown[], R>(
  f: (...args: A) => R,
  ...primals: A
): [R, (cotangent: Grads<R> | R) => Grads<A>] => {
  const rec = record('vjp', erase(f), primals, primals.map((_, i) => i))
  const out = unflatten(rec.outDef, rec.outLeaves) as R
  const vjpFn = (cotangent: Grads<R> | R): Grads<A> => {
    const [cts, ctDef] = flatten(cotangent)
    if (!sameStructure(ctDef, rec.outDef)) {
      throw new ShapeError(`vjp: the cotangent's structure ${describe(ctDef)} does not match the output's ${describe(rec.outDef)}`)
    }
    const arrays = cts.map((c, i) => {
      const o = rec.outLeaves[i]
      if (!(o instanceof NdArray)) return undefined
      if (!(c instanceof NdArray)) {
        throw new ShapeError(`vjp: cotangent leaf ${i} must be an array of shape ${fmtShape(o.shape)}`)
      }
      if (!shapesEqual(c.shape, o.shape)) {
        throw new ShapeError(`vjp: cotangent leaf ${i} has shape ${fmtShape(c.shape)} but the output has shape ${fmtShape(o.shape)}`)
      }
      if (c.dtype !== o.dtype) {
        throw new DTypeError(`vjp: cotangent leaf ${i} has dtype ${c.dtype} but the output has dtype ${o.dtype}`)
      }
      return c
    })
    const grads = pullback(rec, arrays)
    return grads.map((g, i) => unflatten(rec.inputDefs[i] as TreeDef, g)) as Grads<A>
  }
  return [out, vjpFn]
}

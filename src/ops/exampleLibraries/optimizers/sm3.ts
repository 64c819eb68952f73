/**
 * SM3 of `jax.example_libraries.optimizers` (memory-efficient adaptive optimisation: one
 * accumulator vector per axis instead of one per entry).
 *
 * @category exampleLibraries
 * @since 0.2.0
 */
import { zeros, zerosLike } from '../../../ndarray/create'
import type { NdArray } from '../../../ndarray/NdArray'
import { add, div, greater, minimum, mul, sub, where } from '../../elementwise'
import { sqrt, square } from '../../unary'
import { max } from '../../reduce'
import { reshape } from '../../layout'
import { atleast1d } from '../../numpyExtra/shape'
import { registerPytreeNode } from '../../../tree/registry'
import { bindArgs, type HyperArgs } from './args'
import { makeSchedule } from './schedules'
import type { AdagradOptions, StepSize } from './rules'
import { treeOptimizer, type Optimizer } from './state'

let registered = false

/** A shape kept in the state as static data (a pytree node without leaves, compared by value). */
class StaticShape {
  constructor(readonly shape: ReadonlyArray<number>) {
    if (!registered) {
      registered = true
      registerPytreeNode(
        StaticShape,
        (s) => [[], s.shape.slice()] as const,
        (aux) => new StaticShape(aux),
      )
    }
  }
}

/** SM3's state of one array: x (at least 1-D), momentum, one accumulator per axis, the original shape. */
type Sm3State = readonly [NdArray, NdArray, ReadonlyArray<NdArray>, StaticShape]

/** `v` (1-D) reshaped to broadcast along axis `axis` of an `ndim`-D array. */
const broadcastInto = (ndim: number, v: NdArray, axis: number): NdArray =>
  reshape(
    v,
    Array.from({ length: ndim }, (_, k) => (k === axis ? (v.shape[0] as number) : 1)),
  )

/**
 * SM3 with momentum: the accumulator of an entry is the minimum over its axes' accumulators
 * plus g²; `m ← (1 − momentum)·g/√accum + momentum·m` (0 where accum = 0), `x ← x − step(i)·m`;
 * each axis keeps the maximum of the accumulator over the other axes (JAX: `sm3(step_size,
 * momentum=0.9)`). Scalars are handled as 1-element vectors.
 * @example
 * import { exampleLibraries, array } from 'wengert'
 * const [init, update, getParams] = exampleLibraries.optimizers.sm3(1, { momentum: 0 })
 * const s = update(0, array([[3, 0]], { dtype: 'float64' }), init(array([[0, 0]], { dtype: 'float64' })))
 * assert.deepStrictEqual(getParams(s).toArray(), [[-1, 0]])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const sm3 = (...args: HyperArgs<StepSize, AdagradOptions>): Optimizer => {
  const bound = bindArgs<'stepSize' | 'momentum', unknown>('sm3', args, ['stepSize', 'momentum'], { momentum: 0.9 })
  const step = makeSchedule(bound.stepSize as StepSize)
  const mom = bound.momentum as number
  return treeOptimizer<Sm3State>([
    (x0) => {
      const x = atleast1d(x0)
      return [x, zerosLike(x), x.shape.map((n) => zeros([n], { dtype: x.dtype })), new StaticShape(x0.shape)]
    },
    (i, g0, [x0, m0, vs0, shape]) => {
      const g = atleast1d(g0)
      const n = g.ndim
      const vs = vs0.map((v, k) => broadcastInto(n, v, k))
      const accum = add(vs.slice(1).reduce(minimum, vs[0] as NdArray), square(g))
      const inv = where(greater(accum, 0), div(1, sqrt(accum)), 0)
      const m = add(mul(1 - mom, mul(g, inv)), mul(mom, m0))
      const x = sub(x0, mul(step(i), m))
      const next = x.shape.map((_, j) =>
        max(
          accum,
          x.shape.map((__, k) => k).filter((k) => k !== j),
        ),
      )
      return [x, m, next, shape]
    },
    ([x, , , shape]) => reshape(x, shape.shape),
  ])
}

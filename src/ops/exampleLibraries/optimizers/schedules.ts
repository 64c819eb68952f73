/**
 * Step-size schedules of `jax.example_libraries.optimizers` (iteration index → step size) and
 * its gradient utilities `l2Norm` / `clipGrads`. With a JS-number index a schedule computes in
 * float64 and returns a number; with an array index (under `jit`) it computes with array ops.
 *
 * @category exampleLibraries
 * @since 0.2.0
 */
import { array } from '../../../ndarray/create'
import { ValueError } from '../../../ndarray/errors'
import { NdArray } from '../../../ndarray/NdArray'
import { flatten, unflatten } from '../../../tree/treedef'
import { describeValue } from '../../../internal/options'
import type { ArrayLike } from '../../convert'
import { add, div, greater, less, minimum, mul, pow, sub, where } from '../../elementwise'
import { floor, sqrt, square } from '../../unary'
import { sum } from '../../reduce'
import { astype, take } from '../../layout'
import type { Schedule, Step } from './state'

/**
 * The schedule that is `stepSize` at every step (JAX: `constant(step_size)`).
 * @example
 * import { exampleLibraries } from 'wengert'
 * assert.strictEqual(exampleLibraries.optimizers.constant(0.1)(7), 0.1)
 * @category exampleLibraries
 * @since 0.2.0
 */
export const constant =
  (stepSize: ArrayLike): Schedule =>
  () =>
    stepSize

/**
 * `stepSize · decayRate^(i / decaySteps)` (JAX: `exponential_decay(step_size, decay_steps, decay_rate)`).
 * @example
 * import { exampleLibraries } from 'wengert'
 * const s = exampleLibraries.optimizers.exponentialDecay(1, 10, 0.5)
 * assert.strictEqual(s(20), 0.25)
 * @category exampleLibraries
 * @since 0.2.0
 */
export const exponentialDecay =
  (stepSize: number, decaySteps: number, decayRate: number): Schedule =>
  (i: Step) =>
    typeof i === 'number' ? stepSize * decayRate ** (i / decaySteps) : mul(stepSize, pow(decayRate, div(i, decaySteps)))

/** Options of {@link inverseTimeDecay}. @category exampleLibraries @since 0.2.0 */
export interface InverseTimeDecayOptions {
  /** Decay in whole periods of `decaySteps` (JAX's `staircase`). @defaultValue false */
  readonly staircase?: boolean
}

/**
 * `stepSize / (1 + decayRate · i / decaySteps)`, with `⌊i / decaySteps⌋` when `staircase`
 * (JAX: `inverse_time_decay(step_size, decay_steps, decay_rate, staircase=False)`).
 * @example
 * import { exampleLibraries } from 'wengert'
 * const { inverseTimeDecay } = exampleLibraries.optimizers
 * assert.strictEqual(inverseTimeDecay(1, 10, 1)(5), 1 / 1.5)
 * assert.strictEqual(inverseTimeDecay(1, 10, 1, { staircase: true })(5), 1)
 * @category exampleLibraries
 * @since 0.2.0
 */
export const inverseTimeDecay = (
  stepSize: number,
  decaySteps: number,
  decayRate: number,
  staircase: boolean | InverseTimeDecayOptions = false,
): Schedule => {
  const stair = typeof staircase === 'boolean' ? staircase : staircase.staircase === true
  return (i: Step) => {
    if (typeof i === 'number')
      return stepSize / (1 + (stair ? decayRate * Math.floor(i / decaySteps) : (decayRate * i) / decaySteps))
    const t = stair ? mul(decayRate, floor(div(i, decaySteps))) : div(mul(decayRate, i), decaySteps)
    return div(stepSize, add(1, t))
  }
}

/** Options of {@link polynomialDecay}. @category exampleLibraries @since 0.2.0 */
export interface PolynomialDecayOptions {
  /** @defaultValue 1 */
  readonly power?: number
}

/**
 * From `stepSize` down to `finalStepSize` along `(1 − min(i, decaySteps)/decaySteps)^power`
 * (JAX: `polynomial_decay(step_size, decay_steps, final_step_size, power=1.0)`).
 * @example
 * import { exampleLibraries } from 'wengert'
 * const s = exampleLibraries.optimizers.polynomialDecay(1, 10, 0.1)
 * assert.strictEqual(s(0), 1)
 * assert.ok(Math.abs(Number(s(5)) - 0.55) < 1e-15)
 * assert.strictEqual(s(100), 0.1)
 * @category exampleLibraries
 * @since 0.2.0
 */
export const polynomialDecay = (
  stepSize: number,
  decaySteps: number,
  finalStepSize: number,
  power: number | PolynomialDecayOptions = 1,
): Schedule => {
  const p = typeof power === 'number' ? power : (power.power ?? 1)
  return (i: Step) => {
    if (typeof i === 'number') {
      const mult = (1 - Math.min(i, decaySteps) / decaySteps) ** p
      return mult * (stepSize - finalStepSize) + finalStepSize
    }
    const mult = pow(sub(1, div(minimum(i, decaySteps), decaySteps)), p)
    return add(mul(mult, stepSize - finalStepSize), finalStepSize)
  }
}

/**
 * `values[k]` where k counts the boundaries that `i` exceeds (JAX: `piecewise_constant(boundaries, values)`).
 * @example
 * import { exampleLibraries } from 'wengert'
 * const s = exampleLibraries.optimizers.piecewiseConstant([10, 20], [1, 0.5, 0.1])
 * assert.deepStrictEqual([s(10), s(11), s(25)], [1, 0.5, 0.1])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const piecewiseConstant = (boundaries: ReadonlyArray<number>, values: ReadonlyArray<number>): Schedule => {
  if (
    !Array.isArray(boundaries) ||
    !Array.isArray(values) ||
    ![...boundaries, ...values].every((v) => typeof v === 'number')
  )
    throw new ValueError('boundaries and values must be sequences')
  if (boundaries.length !== values.length - 1)
    throw new ValueError('boundaries length must be one shorter than values length')
  const b = array(boundaries.slice(), { dtype: 'float64' })
  const v = array(values.slice(), { dtype: 'float64' })
  return (i: Step) =>
    typeof i === 'number'
      ? (values[boundaries.filter((x) => i > x).length] as number)
      : take(v, astype(sum(greater(i, b)), 'int32'))
}

/**
 * A schedule from a step size: a function is returned as it is, a number or 0-d array becomes
 * {@link constant} (JAX: `make_schedule(scalar_or_schedule)`).
 * @example
 * import { exampleLibraries } from 'wengert'
 * const { makeSchedule } = exampleLibraries.optimizers
 * assert.strictEqual(makeSchedule(0.5)(3), 0.5)
 * assert.strictEqual(makeSchedule((i) => Number(i) * 2)(3), 6)
 * @category exampleLibraries
 * @since 0.2.0
 */
export const makeSchedule = (scalarOrSchedule: ArrayLike | Schedule): Schedule => {
  if (typeof scalarOrSchedule === 'function') return scalarOrSchedule
  if (typeof scalarOrSchedule === 'number' || (scalarOrSchedule instanceof NdArray && scalarOrSchedule.ndim === 0))
    return constant(scalarOrSchedule)
  throw new ValueError(
    `make_schedule: expected a scalar step size or a schedule function, got ${describeValue(scalarOrSchedule)}`,
  )
}

/**
 * The l2 norm of all the leaves of a pytree of arrays together (JAX: `l2_norm(tree)`).
 * @example
 * import { exampleLibraries, array } from 'wengert'
 * assert.strictEqual(exampleLibraries.optimizers.l2Norm({ a: array([3]), b: [array(4)] }).item(), 5)
 * @category exampleLibraries
 * @since 0.2.0
 */
export const l2Norm = (t: unknown): NdArray =>
  sqrt((flatten(t)[0] as ArrayLike[]).reduce<ArrayLike>((acc, x) => add(acc, sum(square(x))), 0))

/**
 * The gradients scaled by `maxNorm / ‖g‖` when their joint l2 norm is at least `maxNorm`, else as
 * they are (JAX: `clip_grads(grad_tree, max_norm)`).
 * @example
 * import { exampleLibraries, array } from 'wengert'
 * const g = exampleLibraries.optimizers.clipGrads({ a: array([3, 4]) }, 1)
 * const [a0] = g.a.toArray() as number[]
 * assert.ok(Math.abs(Number(a0) - 0.6) < 1e-6)
 * @category exampleLibraries
 * @since 0.2.0
 */
export const clipGrads = <T>(gradTree: T, maxNorm: ArrayLike): T => {
  const norm = l2Norm(gradTree)
  const scale = div(maxNorm, norm)
  const [leaves, def] = flatten(gradTree)
  return unflatten(
    def,
    (leaves as ArrayLike[]).map((g) => where(less(norm, maxNorm), g, mul(g, scale))),
  ) as T
}

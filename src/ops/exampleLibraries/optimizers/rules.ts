/**
 * The optimizers of `jax.example_libraries.optimizers`, each a per-array rule lifted to pytrees
 * by `optimizer`, with JAX's update formulas term for term (the same order of operations, eps
 * where JAX puts it, Adam's bias correction `1 − b^(i+1)` computed in the state's dtype).
 * Hyperparameters are positional or in a trailing options object (JAX's keywords).
 *
 * @category exampleLibraries
 * @since 0.2.0
 */
import { full, zerosLike } from '../../../ndarray/create'
import type { NdArray } from '../../../ndarray/NdArray'
import type { ArrayLike } from '../../convert'
import { abs, sqrt, square } from '../../unary'
import { add, div, greater, maximum, mul, pow, sub, where } from '../../elementwise'
import { bindArgs, type HyperArgs } from './args'
import { makeSchedule } from './schedules'
import { treeOptimizer, type Optimizer, type Schedule, type Step } from './state'

/** A step size: a number, a 0-d array or a schedule. @category exampleLibraries @since 0.2.0 */
export type StepSize = ArrayLike | Schedule

/** `b^(i+1)` with `b` cast to `like`'s dtype first (JAX: `jnp.asarray(b, m.dtype) ** (i + 1)`). */
const powerAt = (b: number, i: Step, like: NdArray): NdArray =>
  pow(full([], b, { dtype: like.dtype }), typeof i === 'number' ? i + 1 : add(i, 1))

/** `where(a > 0, 1/√a, 0)`. */
const invSqrtOrZero = (a: NdArray): NdArray => where(greater(a, 0), div(1, sqrt(a)), 0)

/** Binds the step size and hyperparameters of `op`, returning the schedule and the values. */
const bind = <K extends string>(
  op: string,
  args: ReadonlyArray<unknown>,
  names: ReadonlyArray<K>,
  defaults: Readonly<Partial<Record<K, number>>>,
): [Schedule, Record<K, number>] => {
  const all = bindArgs<'stepSize' | K, unknown>(
    op,
    args,
    ['stepSize', ...names],
    defaults as Readonly<Partial<Record<'stepSize' | K, unknown>>>,
  )
  return [makeSchedule(all.stepSize as StepSize), all as Record<K, number>]
}

/** Options of {@link sgd}. @category exampleLibraries @since 0.2.0 */
export interface StepSizeOption {
  readonly stepSize?: StepSize
}

/**
 * Stochastic gradient descent: `x ← x − step(i)·g` (JAX: `sgd(step_size)`).
 * @example
 * import { exampleLibraries, array } from 'wengert'
 * const [init, update, getParams] = exampleLibraries.optimizers.sgd(0.5)
 * const s = update(0, [array([2])], init([array([1])]))
 * assert.deepStrictEqual(getParams(s)[0]?.toArray(), [0])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const sgd = (...args: HyperArgs<StepSize, StepSizeOption>): Optimizer => {
  const [step] = bind('sgd', args, [], {})
  return treeOptimizer<NdArray>([(x0) => x0, (i, g, x) => sub(x, mul(step(i), g)), (x) => x])
}

/** Options of {@link momentum} and {@link nesterov}. @category exampleLibraries @since 0.2.0 */
export interface MomentumOptions extends StepSizeOption {
  /** The momentum coefficient. */
  readonly mass?: number
}

type Pair = readonly [NdArray, NdArray]
const withVelocity = (x0: NdArray): Pair => [x0, zerosLike(x0)]

/**
 * SGD with momentum: `v ← mass·v + g`, `x ← x − step(i)·v` (JAX: `momentum(step_size, mass)`).
 * @example
 * import { exampleLibraries, array } from 'wengert'
 * const [init, update, getParams] = exampleLibraries.optimizers.momentum(1, { mass: 0.5 })
 * let s = init(array([0], { dtype: 'float64' }))
 * s = update(0, array([1], { dtype: 'float64' }), s) // v = 1, x = -1
 * s = update(1, array([1], { dtype: 'float64' }), s) // v = 1.5, x = -2.5
 * assert.deepStrictEqual(getParams(s).toArray(), [-2.5])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const momentum = (...args: HyperArgs<StepSize, MomentumOptions>): Optimizer => {
  const [step, { mass }] = bind('momentum', args, ['mass'], {})
  return treeOptimizer<Pair>([
    withVelocity,
    (i, g, [x, velocity]) => {
      const v = add(mul(mass, velocity), g)
      return [sub(x, mul(step(i), v)), v]
    },
    ([x]) => x,
  ])
}

/**
 * SGD with Nesterov momentum: `v ← mass·v + g`, `x ← x − step(i)·(mass·v + g)` (JAX:
 * `nesterov(step_size, mass)`).
 * @example
 * import { exampleLibraries, array } from 'wengert'
 * const [init, update, getParams] = exampleLibraries.optimizers.nesterov(1, 0.5)
 * const s = update(0, array([1], { dtype: 'float64' }), init(array([0], { dtype: 'float64' })))
 * assert.deepStrictEqual(getParams(s).toArray(), [-1.5])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const nesterov = (...args: HyperArgs<StepSize, MomentumOptions>): Optimizer => {
  const [step, { mass }] = bind('nesterov', args, ['mass'], {})
  return treeOptimizer<Pair>([
    withVelocity,
    (i, g, [x, velocity]) => {
      const v = add(mul(mass, velocity), g)
      return [sub(x, mul(step(i), add(mul(mass, v), g))), v]
    },
    ([x]) => x,
  ])
}

/** Options of {@link adagrad}. @category exampleLibraries @since 0.2.0 */
export interface AdagradOptions extends StepSizeOption {
  /** @defaultValue 0.9 */
  readonly momentum?: number
}

type Triple = readonly [NdArray, NdArray, NdArray]
const withTwo = (x0: NdArray): Triple => [x0, zerosLike(x0), zerosLike(x0)]

/**
 * Adagrad with momentum: `G ← G + g²`, `m ← (1 − momentum)·g/√G + momentum·m` (0 where G = 0),
 * `x ← x − step(i)·m` (JAX: `adagrad(step_size, momentum=0.9)`).
 * @example
 * import { exampleLibraries, array } from 'wengert'
 * const [init, update, getParams] = exampleLibraries.optimizers.adagrad(1, { momentum: 0 })
 * const s = update(0, array([-4, 0], { dtype: 'float64' }), init(array([0, 0], { dtype: 'float64' })))
 * assert.deepStrictEqual(getParams(s).toArray(), [1, 0])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const adagrad = (...args: HyperArgs<StepSize, AdagradOptions>): Optimizer => {
  const [step, { momentum: mom }] = bind('adagrad', args, ['momentum'], { momentum: 0.9 })
  return treeOptimizer<Triple>([
    withTwo,
    (i, g, [x, gSq0, m0]) => {
      const gSq = add(gSq0, square(g))
      const m = add(mul(1 - mom, mul(g, invSqrtOrZero(gSq))), mul(mom, m0))
      return [sub(x, mul(step(i), m)), gSq, m]
    },
    ([x]) => x,
  ])
}

/** Options of {@link rmsprop}. @category exampleLibraries @since 0.2.0 */
export interface RmspropOptions extends StepSizeOption {
  /** Decay of the squared-gradient average. @defaultValue 0.9 */
  readonly gamma?: number
  /** Added under the square root. @defaultValue 1e-8 */
  readonly eps?: number
}

/** `avg·gamma + g²·(1 − gamma)` (JAX's order of terms). */
const decayedSquare = (avg: NdArray, g: NdArray, gamma: number): NdArray =>
  add(mul(avg, gamma), mul(square(g), 1 - gamma))

/**
 * RMSProp: `a ← a·gamma + g²·(1 − gamma)`, `x ← x − step(i)·g / √(a + eps)` (JAX:
 * `rmsprop(step_size, gamma=0.9, eps=1e-8)`; eps inside the square root).
 * @example
 * import { exampleLibraries, array } from 'wengert'
 * const [init, update, getParams] = exampleLibraries.optimizers.rmsprop(1, { gamma: 0, eps: 0 })
 * const s = update(0, array([-3], { dtype: 'float64' }), init(array([0], { dtype: 'float64' })))
 * assert.deepStrictEqual(getParams(s).toArray(), [1])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const rmsprop = (...args: HyperArgs<StepSize, RmspropOptions>): Optimizer => {
  const [step, { gamma, eps }] = bind('rmsprop', args, ['gamma', 'eps'], { gamma: 0.9, eps: 1e-8 })
  return treeOptimizer<Pair>([
    withVelocity,
    (i, g, [x, avg0]) => {
      const avg = decayedSquare(avg0, g, gamma)
      return [sub(x, div(mul(step(i), g), sqrt(add(avg, eps)))), avg]
    },
    ([x]) => x,
  ])
}

/** Options of {@link rmspropMomentum}. @category exampleLibraries @since 0.2.0 */
export interface RmspropMomentumOptions extends RmspropOptions {
  /** @defaultValue 0.9 */
  readonly momentum?: number
}

/**
 * RMSProp with momentum: `a ← a·gamma + g²·(1 − gamma)`, `m ← momentum·m + step(i)·g/√(a + eps)`,
 * `x ← x − m` (JAX: `rmsprop_momentum(step_size, gamma=0.9, eps=1e-8, momentum=0.9)`).
 * @example
 * import { exampleLibraries, array } from 'wengert'
 * const { rmspropMomentum } = exampleLibraries.optimizers
 * const [init, update, getParams] = rmspropMomentum(1, { gamma: 0, eps: 0, momentum: 0.5 })
 * let s = init(array([0], { dtype: 'float64' }))
 * s = update(0, array([-3], { dtype: 'float64' }), s) // m = -1
 * s = update(1, array([-3], { dtype: 'float64' }), s) // m = -1.5
 * assert.deepStrictEqual(getParams(s).toArray(), [2.5])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const rmspropMomentum = (...args: HyperArgs<StepSize, RmspropMomentumOptions>): Optimizer => {
  const names = ['gamma', 'eps', 'momentum'] as const
  const [step, { gamma, eps, momentum: mom }] = bind('rmsprop_momentum', args, names, {
    gamma: 0.9,
    eps: 1e-8,
    momentum: 0.9,
  })
  return treeOptimizer<Triple>([
    withTwo,
    (i, g, [x, avg0, m0]) => {
      const avg = decayedSquare(avg0, g, gamma)
      const m = add(mul(mom, m0), div(mul(step(i), g), sqrt(add(avg, eps))))
      return [sub(x, m), avg, m]
    },
    ([x]) => x,
  ])
}

/** Options of {@link adam} and {@link adamax}. @category exampleLibraries @since 0.2.0 */
export interface AdamOptions extends StepSizeOption {
  /** Decay of the first moment. @defaultValue 0.9 */
  readonly b1?: number
  /** Decay of the second moment (adamax: of the infinity norm). @defaultValue 0.999 */
  readonly b2?: number
  /** Added to the denominator. @defaultValue 1e-8 */
  readonly eps?: number
}
const ADAM_NAMES = ['b1', 'b2', 'eps'] as const
const ADAM_DEFAULTS = { b1: 0.9, b2: 0.999, eps: 1e-8 }

/**
 * Adam: `m ← (1 − b1)·g + b1·m`, `v ← (1 − b2)·g² + b2·v`, `m̂ = m/(1 − b1^(i+1))`,
 * `v̂ = v/(1 − b2^(i+1))`, `x ← x − step(i)·m̂/(√v̂ + eps)` (JAX: `adam(step_size, b1=0.9,
 * b2=0.999, eps=1e-8)`; eps outside the square root).
 * @example
 * import { exampleLibraries, array } from 'wengert'
 * const [init, update, getParams] = exampleLibraries.optimizers.adam(0.1, { eps: 0 })
 * const s = update(0, array([5], { dtype: 'float64' }), init(array([1], { dtype: 'float64' })))
 * const [x] = getParams(s).toArray() as number[]
 * assert.ok(Math.abs(Number(x) - 0.9) < 1e-12) // the first step is step·sign(g)
 * @category exampleLibraries
 * @since 0.2.0
 */
export const adam = (...args: HyperArgs<StepSize, AdamOptions>): Optimizer => {
  const [step, { b1, b2, eps }] = bind('adam', args, ADAM_NAMES, ADAM_DEFAULTS)
  return treeOptimizer<Triple>([
    withTwo,
    (i, g, [x, m0, v0]) => {
      const m = add(mul(1 - b1, g), mul(b1, m0))
      const v = add(mul(1 - b2, square(g)), mul(b2, v0))
      const mhat = div(m, sub(1, powerAt(b1, i, m)))
      const vhat = div(v, sub(1, powerAt(b2, i, m)))
      return [sub(x, div(mul(step(i), mhat), add(sqrt(vhat), eps))), m, v]
    },
    ([x]) => x,
  ])
}

/**
 * AdaMax: `m ← (1 − b1)·g + b1·m`, `u ← max(b2·u, |g|)`, `x ← x − (step(i)/(1 − b1^(i+1)))·m/(u + eps)`
 * (JAX: `adamax(step_size, b1=0.9, b2=0.999, eps=1e-8)`).
 * @example
 * import { exampleLibraries, array } from 'wengert'
 * const [init, update, getParams] = exampleLibraries.optimizers.adamax(0.1, { eps: 0 })
 * const s = update(0, array([-5], { dtype: 'float64' }), init(array([1], { dtype: 'float64' })))
 * const [x] = getParams(s).toArray() as number[]
 * assert.ok(Math.abs(Number(x) - 1.1) < 1e-12)
 * @category exampleLibraries
 * @since 0.2.0
 */
export const adamax = (...args: HyperArgs<StepSize, AdamOptions>): Optimizer => {
  const [step, { b1, b2, eps }] = bind('adamax', args, ADAM_NAMES, ADAM_DEFAULTS)
  return treeOptimizer<Triple>([
    withTwo,
    (i, g, [x, m0, u0]) => {
      const m = add(mul(1 - b1, g), mul(b1, m0))
      const u = maximum(mul(b2, u0), abs(g))
      const rate = div(step(i), sub(1, powerAt(b1, i, m)))
      return [sub(x, div(mul(rate, m), add(u, eps))), m, u]
    },
    ([x]) => x,
  ])
}

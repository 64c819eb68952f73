/**
 * The interpreter stack. Each transform call opens a {@link Level}; values it traces are
 * {@link Tracer}s tagged with it. {@link bind} dispatches a primitive to the highest active
 * level among its inputs, or evaluates it when there is none. Levels are always closed again
 * (`withLevel` uses `try … finally`), so a throwing function leaves no level behind.
 *
 * @category core
 * @since 0.1.0
 */
import { ConcretizationTypeError, InternalError, UnexpectedTracerError, ValueError, fmtShape } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import type { TypedArray } from '../ndarray/dtype'
import { sizeOf, type Shape } from '../ndarray/shape'
import type { AnyMultiPrimitive, AnyPrimitive } from './primitive'
import { settle } from './deferred'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One interpreter on the stack (a jvp, a reverse-mode recording, the facade's graph). */
export interface Level {
  /**
   * Set (to the transform's name) on levels whose tracers stand for many values — any value of
   * their shape and dtype (`jit`), or one value per batch element (`vmap`) — so that reading
   * their data is refused.
   */
  readonly abstract?: 'jit' | 'vmap'
  /**
   * The public transform (`grad`, `vjp`, `jvp`, …) whose tracers must not be used once it has
   * returned (JAX: UnexpectedTracerError): after the transform, the buffers of its intermediate
   * values may be reused. Unset on levels whose tracers act as their primal values once closed
   * (the facade's graph, the engine's own internal recordings).
   */
  readonly transform?: string | undefined
  /** Position on the stack: higher ids are inner (newer) transforms. */
  readonly id: number
  /** False once the level is closed; its tracers then act as their primal values. */
  active: boolean
  /** Interprets one primitive applied to inputs, at least one of which is this level's tracer. */
  process(prim: AnyPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): NdArray
  /**
   * Interprets a `multipleResults` primitive (see {@link bindMulti}); a level without it refuses
   * such primitives with a ValueError naming it.
   */
  processMulti?(prim: AnyMultiPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): ReadonlyArray<NdArray>
  /**
   * Sums this level's tracer `x`, a cotangent of a broadcast result, back to `shape` over `axes`
   * (`unbroadcast`), for a level that records that reduction as one step of its own (the
   * facade's create_graph level: PyTorch's `sum_to`, one keepdim sum); other levels bind
   * `reduce_sum` and `reshape`.
   */
  sumTo?(x: NdArray, shape: Shape, axes: ReadonlyArray<number>): NdArray
}

/**
 * A value traced by a level. It is an {@link NdArray} holding its concrete value (shape, dtype and
 * data of its primal), so printing, `item()` and JavaScript control flow see real numbers.
 */
export abstract class Tracer extends NdArray {
  /** @internal */
  readonly _level: Level
  /** The value this tracer stands for, one level down. */
  abstract readonly primal: NdArray

  /** `shape` (default the primal's) is what the traced function sees (vmap: without the batch axis). */
  constructor(level: Level, primal: NdArray, shape: Shape = primal.shape) {
    // a value deferred by grad's recording is computed before another level wraps it (./deferred)
    settle(primal)
    super(shape, primal.dtype, shape === primal.shape ? primal._data : primal._data.subarray(0, sizeOf(shape)))
    // the element count of the shape, also over a primal holding no data (a meta value)
    if (this.size !== sizeOf(shape)) Object.defineProperty(this, 'size', { value: sizeOf(shape), enumerable: true })
    this._level = level
  }

  /** @internal The data, unless some level below this tracer is staging it (see `refuseAbstract`). */
  override _values(op: string): TypedArray {
    live(this)
    refuseAbstract(this, op)
    return super._values(op)
  }

  /** Under `jit`: `Traced<float32[3]>`, as the value is not known while tracing. */
  override toString(): string {
    const by = escapedFrom(this)
    if (by !== undefined) return `Traced<${this.dtype}[${this.shape.join(',')}]> (escaped from ${by})`
    return isAbstract(this) ? `Traced<${this.dtype}[${this.shape.join(',')}]>` : super.toString()
  }
}

/** True when `x` is, or stands for, a tracer of an active staging level. */
export const isAbstract = (x: NdArray): boolean => abstractBy(x) !== undefined

/** The transform (jit, vmap) of the active abstract level `x` is traced by, if any. */
const abstractBy = (x: NdArray): 'jit' | 'vmap' | undefined => {
  let v = x
  while (v instanceof Tracer) {
    if (v._level.abstract !== undefined && v._level.active) return v._level.abstract
    v = v.primal
  }
  return undefined
}

/**
 * Throws a ConcretizationTypeError naming `op` when `x` is staged by `jit`: its data is only the
 * example the trace ran with, and code that used it would be replayed with that value baked in.
 */
export const refuseAbstract = (x: NdArray, op: string): void => {
  const by = abstractBy(x)
  if (by === 'jit') {
    throw new ConcretizationTypeError(
      `${op}: Abstract tracer value encountered where concrete value is expected: the value of a ${x.dtype}${fmtShape(x.shape)} array traced by jit is not known while tracing: jit records the operations on arrays, not their values. Keep value-dependent JavaScript (if, loops on values, item(), toArray()) out of the jitted function, or pass that argument as static (jit's staticArgnums)`,
    )
  }
  if (by === 'vmap') {
    throw new ConcretizationTypeError(
      `${op}: Abstract tracer value encountered where concrete value is expected: a ${x.dtype}${fmtShape(x.shape)} array traced by vmap stands for one value per batch element, so it has no single value: keep value-dependent JavaScript (if, loops on values, item(), toArray()) out of the mapped function, or leave that argument unmapped (inAxes null)`,
    )
  }
}

// -------------------------------------------------------------------------------------
// the stack
// -------------------------------------------------------------------------------------

let nextLevelId = 1
const stack: Level[] = []

/** Allocates the id of a new level (used by `Level` constructors). */
export const newLevelId = (): number => nextLevelId++

/** Runs `body` with `level` pushed on the stack, popping and deactivating it however body ends. */
export const withLevel = <L extends Level, R>(level: L, body: (level: L) => R): R => {
  stack.push(level)
  try {
    return body(level)
  } finally {
    level.active = false
    const top = stack.pop()
    if (top !== level) throw new InternalError('level stack out of order')
  }
}

/** Number of open levels (for tests that check nothing is left behind). */
export const levelDepth = (): number => stack.length

/**
 * Strips the tracers of closed levels down to values of live levels (or concrete arrays). A value
 * that escaped a public transform (`grad`, `vjp`, `jvp`, `vmap`, `jit`, …) raises an
 * UnexpectedTracerError, as in JAX: a batch or an abstract value has no single value, and a
 * differentiating transform may have reused the buffers of its intermediates once it returned.
 * Tracers of levels without a transform name (the facade's graph, internal recordings) stand for
 * their primal values.
 */
export const live = (x: NdArray): NdArray => {
  let v = x
  while (v instanceof Tracer && !v._level.active) {
    const by = escapeName(v._level)
    if (by !== undefined) throw leaked(x, by)
    v = v.primal
  }
  return v
}

/** The name under which a closed level's tracers raise when used, if they do. */
const escapeName = (l: Level): string | undefined => l.abstract ?? l.transform

/** The transform that traced `x` and has returned, if `x` escaped one. */
const escapedFrom = (x: NdArray): string | undefined => {
  let v = x
  while (v instanceof Tracer && !v._level.active) {
    const by = escapeName(v._level)
    if (by !== undefined) return by
    v = v.primal
  }
  return undefined
}

/** What a value that escaped `by` stands for, in the error's words. */
const escapedMeaning = (by: string): string =>
  by === 'vmap'
    ? 'it stands for a whole batch'
    : by === 'jit'
      ? 'it stands for any value of its shape'
      : `it was an intermediate value of ${by}, whose storage may since have been reused`

const leaked = (x: NdArray, by: string): UnexpectedTracerError =>
  new UnexpectedTracerError(
    `encountered an unexpected tracer: a ${x.dtype}${fmtShape(x.shape)} value traced by ${by} escaped the function ${by} transformed (through a closure, a global or a side effect) and was used after ${by} returned; ${escapedMeaning(by)}. Return such values from the transformed function instead of storing them`,
  )

// -------------------------------------------------------------------------------------
// bind
// -------------------------------------------------------------------------------------

/**
 * Applies a primitive: the one interception point of the engine. Evaluates the kernel when no
 * input is traced, otherwise hands the call to the innermost level among the inputs.
 */
export const bind = (prim: AnyPrimitive, inputs: ReadonlyArray<NdArray>, params: unknown): NdArray => {
  // NOTE: the loop of `topLevel`, written out: bind is the hot path of every op
  let top: Level | undefined
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]
    if (x instanceof Tracer) {
      const l = x._level
      if (!l.active) return bind(prim, inputs.map(live), params)
      if (top === undefined || l.id > top.id) top = l
    }
  }
  if (top === undefined) return prim.impl(inputs, params)
  return top.process(prim, inputs, params)
}

/**
 * Applies a `multipleResults` primitive, as {@link bind} applies a single-result one: returns
 * one array per result.
 */
export const bindMulti = (
  prim: AnyMultiPrimitive,
  inputs: ReadonlyArray<NdArray>,
  params: unknown,
): ReadonlyArray<NdArray> => {
  const top = topLevel(inputs)
  if (top === STALE) return bindMulti(prim, inputs.map(live), params)
  if (top === undefined) return prim.impl(inputs, params)
  if (top.processMulti === undefined)
    throw new ValueError(`${prim.name}: this transform does not support primitives with multiple results`)
  return top.processMulti(prim, inputs, params)
}

/** Marks inputs that include a tracer of a closed level (they are re-bound as their live values). */
const STALE: Level = { id: -1, active: false, process: () => stale() }
const stale = (): never => {
  throw new InternalError('the stale marker level was called')
}

/** The innermost active level among the inputs' tracers, STALE, or undefined for concrete inputs. */
const topLevel = (inputs: ReadonlyArray<NdArray>): Level | undefined => {
  let top: Level | undefined
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]
    if (x instanceof Tracer) {
      const l = x._level
      if (!l.active) return STALE
      if (top === undefined || l.id > top.id) top = l
    }
  }
  return top
}

/** The value of `x` seen from below `level`: its primal if it is that level's tracer. */
export const primalAt = (level: Level, x: NdArray): NdArray =>
  x instanceof Tracer && x._level === level ? x.primal : x

/** The concrete (untraced) value of `x`. */
export const concrete = (x: NdArray): NdArray => {
  let v = x
  while (v instanceof Tracer) v = v.primal
  settle(v)
  return v
}

/**
 * The values `x` stands for, when they exist while tracing: its own data outside transforms,
 * every batch element's under `vmap` (the batched array below it); undefined when a `jit` level
 * stages it. For checks that must hold for every value (index bounds), not for computing with.
 */
export const valuesBelow = (x: NdArray): TypedArray | undefined => {
  let v = x
  while (v instanceof Tracer) {
    if (v._level.abstract === 'jit' && v._level.active) return undefined
    v = v.primal
  }
  return v.toTypedArray()
}

/**
 * The optimizer state of `jax.example_libraries.optimizers` and the `optimizer` decorator that
 * lifts a per-array rule `(init, update, getParams)` to pytrees of parameters; the state's
 * (un)packing for serialisation (`unpackOptimizerState` / `packOptimizerState`).
 *
 * @category exampleLibraries
 * @since 0.2.0
 */
import { TreeMismatchError, ValueError } from '../../../ndarray/errors'
import type { NdArray } from '../../../ndarray/NdArray'
import { flatten, sameStructure, unflatten, describe, type TreeDef } from '../../../tree/treedef'
import { registerPytreeNode } from '../../../tree/registry'
import { asArray, type ArrayLike } from '../../convert'

/** An iteration index: a JS number, or a (possibly traced) integer scalar array. @category exampleLibraries @since 0.2.0 */
export type Step = number | NdArray

/** A step-size schedule: iteration index → step size (JAX's `Schedule`). @category exampleLibraries @since 0.2.0 */
export type Schedule = (i: Step) => ArrayLike

let registered = false

/**
 * The state of a pytree optimizer (JAX's `OptimizerState` namedtuple): one flat list of state
 * leaves per parameter leaf, the parameters' structure and each per-leaf state's structure. It
 * is a pytree (its leaves are the state arrays), so it passes through `jit`, `vmap` and
 * `tree.map`; `P` only records the parameters' type.
 * @example
 * import { exampleLibraries, array, tree } from 'wengert'
 * const [init] = exampleLibraries.optimizers.momentum(0.1, 0.9)
 * const state = init({ w: array([1, 2]) })
 * assert.ok(state instanceof exampleLibraries.optimizers.OptimizerState)
 * assert.strictEqual(tree.leaves(state).length, 2) // w and its velocity
 * @category exampleLibraries
 * @since 0.2.0
 */
export class OptimizerState<P = unknown> {
  /** Records the parameters' type only. */
  declare readonly __params?: P
  // the structures are private fields: typed pytree helpers (`tree.leaves`, …) then see the
  // state arrays only, not the recursive TreeDef type
  readonly #treeDef: TreeDef
  readonly #subtreeDefs: ReadonlyArray<TreeDef>
  constructor(
    /** Per parameter leaf, the leaves of its state. */
    readonly packedState: ReadonlyArray<ReadonlyArray<unknown>>,
    treeDef: TreeDef,
    subtreeDefs: ReadonlyArray<TreeDef>,
  ) {
    this.#treeDef = treeDef
    this.#subtreeDefs = subtreeDefs
    if (!registered) {
      registered = true
      registerPytreeNode(
        OptimizerState,
        (st) => [[st.packedState], OptimizerState.structures(st)] as const,
        (aux, [packed]) => new OptimizerState(packed, aux[0], aux[1]),
      )
    }
  }
  /** The structure of the parameters and, per parameter leaf, of its state (JAX's `tree_def`, `subtree_defs`). */
  static structures(s: OptimizerState): readonly [TreeDef, ReadonlyArray<TreeDef>] {
    return [s.#treeDef, s.#subtreeDefs]
  }
  /** Destructures as JAX's namedtuple: `[packedState, treeDef, subtreeDefs]`. */
  *[Symbol.iterator](): Iterator<unknown> {
    yield this.packedState
    yield this.#treeDef
    yield this.#subtreeDefs
  }
}

/** Initialises the state of one parameter array. @category exampleLibraries @since 0.2.0 */
export type InitFn<S> = (x0: NdArray) => S
/** Updates the state of one parameter array from its gradient. @category exampleLibraries @since 0.2.0 */
export type UpdateFn<S> = (i: Step, g: NdArray, state: S) => S
/** Reads one parameter array out of its state. @category exampleLibraries @since 0.2.0 */
export type ParamsFn<S> = (state: S) => NdArray

/**
 * A pytree optimizer (JAX's `Optimizer` namedtuple): the triple `[init, update, getParams]`, also
 * readable as `initFn`, `updateFn`, `paramsFn`.
 * @category exampleLibraries
 * @since 0.2.0
 */
export type Optimizer = readonly [
  init: <P>(x0: P) => OptimizerState<P>,
  update: <P>(i: Step, grads: P, state: OptimizerState<P>) => OptimizerState<P>,
  getParams: <P>(state: OptimizerState<P>) => P,
] & {
  readonly initFn: <P>(x0: P) => OptimizerState<P>
  readonly updateFn: <P>(i: Step, grads: P, state: OptimizerState<P>) => OptimizerState<P>
  readonly paramsFn: <P>(state: OptimizerState<P>) => P
}

/** The rule of an optimizer on single arrays, as `optimizer` takes it. @category exampleLibraries @since 0.2.0 */
export type ArrayRule<S> = readonly [init: InitFn<S>, update: UpdateFn<S>, getParams: ParamsFn<S>]

/** Flattens each per-leaf state: [leaves per state, structure per state]. */
const flattenStates = (states: ReadonlyArray<unknown>): [unknown[][], TreeDef[]] => {
  const flat = states.map((s) => flatten(s))
  return [flat.map((f) => f[0]), flat.map((f) => f[1])]
}

const rebuildStates = (s: OptimizerState): unknown[] =>
  OptimizerState.structures(s)[1].map((d, k) => unflatten(d, s.packedState[k] as ReadonlyArray<unknown>))

const checkState = (op: string, s: unknown): OptimizerState => {
  if (!(s instanceof OptimizerState))
    throw new ValueError(`optimizers.${op}: expected an OptimizerState (from the optimizer's init), got ${typeof s}`)
  return s
}

/** A parameter leaf as an array (JS numbers become float32 arrays, as JAX's weak floats). */
const leafArray = (x: unknown): NdArray => asArray('optimizers.init', x as ArrayLike)

/** Lifts a per-array rule to pytrees (the body of {@link optimizer}). */
export const treeOptimizer = <S>(rule: ArrayRule<S>): Optimizer => {
  const [init, update, getParams] = rule
  const initFn = <P>(x0: P): OptimizerState<P> => {
    const [leaves, def] = flatten(x0)
    const [states, subtrees] = flattenStates(leaves.map((x) => init(leafArray(x))))
    return new OptimizerState<P>(states, def, subtrees)
  }
  const updateFn = <P>(i: Step, grads: P, state: OptimizerState<P>): OptimizerState<P> => {
    const s = checkState('update', state)
    const [treeDef, subtreeDefs] = OptimizerState.structures(s)
    const [gs, def] = flatten(grads)
    if (!sameStructure(def, treeDef))
      throw new TreeMismatchError(
        `optimizer update function was passed a gradient tree that did not match the parameter tree structure with which it was initialized: parameter tree ${describe(treeDef)} and grad tree ${describe(def)}.`,
      )
    const olds = rebuildStates(s)
    const [states, subtrees] = flattenStates(
      gs.map((g, k) => update(i, asArray('optimizers.update', g as ArrayLike), olds[k] as S)),
    )
    subtrees.forEach((d, k) => {
      const before = subtreeDefs[k] as TreeDef
      if (!sameStructure(d, before))
        throw new TreeMismatchError(
          `optimizer update function produced an output structure that did not match its input structure: input ${describe(before)} and output ${describe(d)}.`,
        )
    })
    return new OptimizerState<P>(states, treeDef, subtreeDefs)
  }
  const paramsFn = <P>(state: OptimizerState<P>): P => {
    const s = checkState('get_params', state)
    return unflatten(
      OptimizerState.structures(s)[0],
      rebuildStates(s).map((st) => getParams(st as S)),
    ) as P
  }
  return Object.assign([initFn, updateFn, paramsFn] as const, { initFn, updateFn, paramsFn })
}

/**
 * Turns a maker of a per-array optimizer rule into a maker of pytree optimizers (JAX's
 * `@optimizer` decorator): the rule's `init`, `update` and `getParams` see single arrays; the
 * result's see pytrees of parameters and an {@link OptimizerState}.
 * @example
 * import { exampleLibraries, array, sub, mul } from 'wengert'
 * const { optimizer } = exampleLibraries.optimizers
 * const halving = optimizer((rate: number) => [(x0) => x0, (_i, g, x) => sub(x, mul(rate, g)), (x) => x] as const)
 * const [init, update, getParams] = halving(0.5)
 * const s = update(0, { a: array([2]) }, init({ a: array([1]) }))
 * assert.deepStrictEqual(getParams(s).a.toArray(), [0])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const optimizer =
  <A extends unknown[], S>(maker: (...args: A) => ArrayRule<S>): ((...args: A) => Optimizer) =>
  (...args: A) =>
    treeOptimizer(maker(...args))

/**
 * Marks where a parameter pytree ends and a per-leaf state pytree begins in an unpacked state
 * (JAX's `JoinPoint`). It is a leaf of the outer tree.
 * @category exampleLibraries
 * @since 0.2.0
 */
export class JoinPoint {
  constructor(
    /** The per-leaf state below the mark. */
    readonly subtree: unknown,
  ) {}
  /** Iterates over the leaves of the marked state (JAX's `__iter__`). */
  *[Symbol.iterator](): Iterator<unknown> {
    yield* flatten(this.subtree)[0]
  }
}

/**
 * The state as a pytree of the parameters' shape whose leaves are {@link JoinPoint}s holding
 * each parameter's state (JAX's `unpack_optimizer_state`, for pickling-style serialisation).
 * @example
 * import { exampleLibraries, array, type NdArray } from 'wengert'
 * const { momentum, unpackOptimizerState, packOptimizerState, JoinPoint } = exampleLibraries.optimizers
 * const [init, , getParams] = momentum(0.1, 0.9)
 * const marked = unpackOptimizerState(init({ w: array([1, 2]) })) as { w: InstanceType<typeof JoinPoint> }
 * assert.ok(marked.w instanceof JoinPoint)
 * const back = packOptimizerState<{ w: NdArray }>(marked)
 * assert.deepStrictEqual(getParams(back).w.toArray(), [1, 2])
 * @category exampleLibraries
 * @since 0.2.0
 */
export const unpackOptimizerState = <P>(optState: OptimizerState<P>): unknown => {
  const s = checkState('unpack_optimizer_state', optState)
  return unflatten(
    OptimizerState.structures(s)[0],
    rebuildStates(s).map((sub) => new JoinPoint(sub)),
  )
}

/**
 * The inverse of {@link unpackOptimizerState} (JAX's `pack_optimizer_state`): every leaf of
 * `marked` must be a {@link JoinPoint}.
 * @example
 * import { exampleLibraries, array, type NdArray } from 'wengert'
 * const { sgd, unpackOptimizerState, packOptimizerState } = exampleLibraries.optimizers
 * const [init, , getParams] = sgd(0.1)
 * const s = packOptimizerState<NdArray[]>(unpackOptimizerState(init([array(3)])))
 * assert.strictEqual(getParams(s)[0]?.item(), 3)
 * @category exampleLibraries
 * @since 0.2.0
 */
export const packOptimizerState = <P = unknown>(marked: unknown): OptimizerState<P> => {
  const [sentinels, def] = flatten(marked)
  if (!sentinels.every((x) => x instanceof JoinPoint))
    throw new ValueError('pack_optimizer_state: every leaf of the marked pytree must be a JoinPoint')
  const [states, subtrees] = flattenStates((sentinels as JoinPoint[]).map((j) => j.subtree))
  return new OptimizerState<P>(states, def, subtrees)
}

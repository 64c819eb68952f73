/**
 * The shape of a primitive definition: its kernel call, shape/dtype rule, JVP rule and VJP rule,
 * side by side in one object.
 *
 * @category core
 * @since 0.1.0
 */
import type { BinaryOp, UnaryOp } from '../ndarray/kernels/expressions'
import type { NdArray } from '../ndarray/NdArray'
import { ValueError } from '../ndarray/errors'
import type { Aval } from './equation'
import type { OnnxMultiRule, OnnxRule } from './onnxRule'
import { bind, bindMulti } from './trace'
import { Zero, type Linear } from './zero'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Maps a tuple of arrays to a tuple of something else, keeping arity. */
export type Each<I extends ReadonlyArray<NdArray>, T> = { readonly [K in keyof I]: T }

/** What both rules receive: the primal inputs, the primal output and the params. */
export interface RuleContext<I extends ReadonlyArray<NdArray>, P> {
  readonly inputs: I
  readonly output: NdArray
  readonly params: P
  /** Extra values saved by a primitive's `forward` (custom VJPs); undefined otherwise. */
  readonly residuals?: unknown
}

/** The VJP rule also learns which inputs need a cotangent, so it can skip the others. */
export interface VjpContext<I extends ReadonlyArray<NdArray>, P> extends RuleContext<I, P> {
  readonly needs: Each<I, boolean>
}

/** What every primitive definition has. */
interface BaseDef<N extends string, I extends ReadonlyArray<NdArray>, P> {
  /** Printed name, JAX style (`reduce_sum`). */
  readonly name: N
  /** Evaluates on concrete arrays (calls `src/ndarray` kernels). */
  readonly impl: (inputs: I, params: P) => NdArray
  /** Shape and dtype rule. */
  readonly shape: (avals: Each<I, Aval>, params: P) => Aval
  /**
   * How `vmap` applies the primitive to a batch (required: a definition without one does not
   * compile). Element-wise primitives say {@link vectorized}; axis-parameterised ones
   * {@link leading} with their params shifted past the batch axis; others a function.
   */
  readonly batch: BatchRule<P>
  /**
   * Linear in its float inputs, up to a constant (pad's fill value) — transpose-closed movement
   * and linear ops; the laws check it.
   */
  readonly linear?: boolean
  /** Optional: compute output and residuals together (custom VJPs). */
  readonly forward?: (inputs: I, params: P) => readonly [NdArray, unknown]
  /** Prints params on the tape; default JSON of the params. */
  readonly formatParams?: (params: P) => string
  /**
   * The element-wise kernel this primitive runs (same dtype in and out), when it is one: `jit`
   * evaluates such equations on size-1 values as plain JavaScript arithmetic.
   */
  readonly ewise?: Ewise
  /**
   * How `exportOnnx` writes this primitive as ONNX nodes (see `./onnxRule`). Absent: exporting a
   * program that uses it raises an error naming it.
   */
  readonly onnx?: OnnxRule<P>
}

/**
 * A batching rule written as a function: applies `prim` to `vals` batched along `bdims` (null:
 * unbatched) with `size` elements; returns the batched output and its batch axis (null: the
 * output is the same for every element). `axisName` is the batch axis's name when the vmap was
 * given one (collectives reduce over it; rules that batch a sub-program pass it on).
 */
export type BatchFn<P> = (
  prim: AnyPrimitive,
  vals: ReadonlyArray<NdArray>,
  bdims: ReadonlyArray<number | null>,
  params: P,
  size: number,
  axisName?: string,
) => readonly [NdArray, number | null]

/**
 * How a primitive batches (JAX: its `batching.primitive_batchers` entry, which `defvectorized`
 * and friends fill in): a function, or one of the two mechanical forms that `core/batching`
 * applies — {@link vectorized} and {@link leading}. The mechanical forms are plain data, so a
 * family module can use them at its top level without waiting for `core/batching` to load.
 */
export type BatchRule<P> = BatchFn<P> | Vectorized | Leading<P>

/** See {@link vectorized}. */
export interface Vectorized {
  readonly kind: 'vectorized'
}

/** See {@link leading}. */
export interface Leading<P> {
  readonly kind: 'leading'
  readonly params: (params: P, size: number) => P
  readonly materialize: boolean
}

/** The erased batching rule the interpreter holds. */
export type PrimBatchRule = BatchRule<unknown>

/**
 * Element-wise with NumPy broadcasting (JAX: `defvectorized`/`defbroadcasting`): batched inputs
 * get their batch axis in front and size-1 axes up to the output's rank, unbatched ones
 * broadcast against them; the params are unchanged.
 */
export const vectorized: Vectorized = { kind: 'vectorized' }

/**
 * Every batched input gets its batch axis in front (with `materialize`, unbatched inputs are
 * broadcast to the batch too) and the primitive is bound once with `params(p, size)`: the
 * params shifted past the new leading axis. The output's batch axis is 0.
 */
export const leading = <P>(params: (p: P, size: number) => P, materialize = false): Leading<P> => ({
  kind: 'leading',
  params,
  materialize,
})

/** Axes shifted by one, past a new leading batch axis. */
export const shiftAxes = (axes: ReadonlyArray<number>): number[] => axes.map((a) => a + 1)

/** An element-wise kernel by name (see `src/ndarray/kernels/elementwise`). */
export type Ewise =
  { readonly kind: 'unary'; readonly op: UnaryOp } | { readonly kind: 'binary'; readonly op: BinaryOp }

/** A differentiable primitive: both rules, side by side with the kernel call. */
export interface SmoothDef<N extends string, I extends ReadonlyArray<NdArray>, P> extends BaseDef<N, I, P> {
  readonly derivative?: 'smooth'
  /** Tangent of the output, given input tangents (some may be symbolic zeros, never all). */
  readonly jvp: (ctx: RuleContext<I, P>, tangents: Each<I, Linear>) => Linear
  /** Cotangents of the inputs, given the output's cotangent (never a zero). */
  readonly vjp: (ctx: VjpContext<I, P>, yBar: NdArray) => Each<I, Linear>
  /** Optional: `vjp` on one-element float operands, as numbers (see {@link ScalarVjp}). */
  readonly scalarVjp?: ScalarVjp<I, P>
}

/**
 * A primitive's VJP rule on numbers, for operands and output that are one-element float arrays of
 * one dtype and shape: the cotangent of input `i` given the output's cotangent `yBar`. `x0` and
 * `x1` are the inputs' values (`x1` is `x0` for one input), `out` the output's, `f64` the dtype
 * (float64, else float32); `ctx` is the rule's context. It must give the bits of `vjp`'s result on
 * those operands (test/core/scalarVjp.test.ts checks every primitive that has one).
 * NOTE: what the backward sweep runs for a chain of scalar operations (W3: per-op cost): no
 * array, `bind` or result list per equation (./scalarSweep).
 */
export type ScalarVjp<I extends ReadonlyArray<NdArray>, P> = (
  i: number,
  yBar: number,
  x0: number,
  x1: number,
  out: number,
  f64: boolean,
  ctx: VjpContext<I, P>,
) => number

/**
 * A primitive whose every derivative is zero: integer/bool output (comparisons, argmax) or
 * piecewise constant (floor, sign) or stop_gradient. It has no rules to write.
 */
export interface FlatDef<N extends string, I extends ReadonlyArray<NdArray>, P> extends BaseDef<N, I, P> {
  readonly derivative: 'none'
}

/** One primitive, fully typed. */
export type PrimitiveDef<N extends string, I extends ReadonlyArray<NdArray>, P> = SmoothDef<N, I, P> | FlatDef<N, I, P>

/** A primitive with its types erased, as the interpreter and the registry hold it. */
export interface AnyPrimitive {
  readonly name: string
  readonly linear: boolean
  readonly derivative: 'smooth' | 'none'
  readonly impl: (inputs: ReadonlyArray<NdArray>, params: unknown) => NdArray
  readonly shape: (avals: ReadonlyArray<Aval>, params: unknown) => Aval
  readonly jvp: (ctx: RuleContext<ReadonlyArray<NdArray>, unknown>, tangents: ReadonlyArray<Linear>) => Linear
  readonly vjp: (ctx: VjpContext<ReadonlyArray<NdArray>, unknown>, yBar: NdArray) => ReadonlyArray<Linear>
  /** The VJP rule on numbers (see {@link ScalarVjp}), when the primitive has one. */
  readonly scalarVjp?: ScalarVjp<ReadonlyArray<NdArray>, unknown> | undefined
  readonly forward: ((inputs: ReadonlyArray<NdArray>, params: unknown) => readonly [NdArray, unknown]) | undefined
  readonly formatParams: (params: unknown) => string
  readonly ewise: Ewise | undefined
  readonly batch: PrimBatchRule
  /** The ONNX export rule, when the primitive has one. */
  readonly onnx?: OnnxRule<unknown>
  /** Absent (single result); `true` on {@link AnyMultiPrimitive}. */
  readonly multipleResults?: false
}

/** A primitive: the typed definition plus its erased view. */
export type Primitive<N extends string, I extends ReadonlyArray<NdArray>, P> = AnyPrimitive & PrimitiveDef<N, I, P>

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** A list printed as a Python tuple, as jaxprs print params: `(1,)`, `(0, 1)`, `()`. */
const pyTuple = (v: ReadonlyArray<unknown>): string => (v.length === 1 ? `(${String(v[0])},)` : `(${v.join(', ')})`)

const defaultFormat = (params: unknown): string => {
  if (params === null || typeof params !== 'object') return ''
  const entries = Object.entries(params as Record<string, unknown>)
  if (entries.length === 0) return ''
  return `[${entries
    .map(([k, v]) => `${k}=${Array.isArray(v) ? pyTuple(v) : typeof v === 'function' ? v.name || 'fn' : String(v)}`)
    .join(' ')}]`
}

/** Defines a single-result primitive (see {@link definePrimitive}). */
const defineSingle = <N extends string, I extends ReadonlyArray<NdArray>, P>(
  def: PrimitiveDef<N, I, P>,
): Primitive<N, I, P> => {
  // the type requires `batch`; this catches definitions that bypass it (plain JavaScript, casts)
  if ((def as { readonly batch?: unknown }).batch === undefined)
    throw new ValueError(
      `definePrimitive: primitive '${def.name}' has no batching rule; give its definition a \`batch\` ` +
        `(vectorized, leading(...) or a function; see src/core/primitives/README.md)`,
    )
  const erased = {
    ...def,
    linear: def.linear ?? false,
    derivative: def.derivative ?? 'smooth',
    forward: def.forward,
    formatParams: def.formatParams ?? defaultFormat,
    ewise: def.ewise,
    batch: def.batch as PrimBatchRule,
    jvp: def.derivative === 'none' ? (ctx: RuleContext<I, P>) => Zero.like(ctx.output) : def.jvp,
    vjp: def.derivative === 'none' ? (ctx: VjpContext<I, P>) => ctx.inputs.map((x) => Zero.like(x)) : def.vjp,
    scalarVjp: def.derivative === 'none' ? undefined : def.scalarVjp,
  }
  // NOTE: the one erasing cast of the engine: a definition is callable with any inputs the
  // interpreter hands it because `bind` is only reached through typed wrappers ({@link bound}).
  return erased as unknown as Primitive<N, I, P>
}

/** Params of a primitive that has none. */
export type NoParams = Record<string, never>
const NONE: NoParams = {}

/** Binds one primitive with its typed inputs and params. */
export type Binder<I extends ReadonlyArray<NdArray>, P> = (inputs: I, params: P) => NdArray

/**
 * A primitive's bound wrapper (JAX: `lax.reduce_sum` beside `reduce_sum_p`): takes the
 * arguments in the form rules and ops write them and calls `bind`; `.primitive` is the
 * definition. Family modules export these, so `core/lax` re-exports them and the registry reads
 * the definitions from them: no second list of primitives.
 */
export type Bound<Pr extends AnyPrimitive, F> = F & { readonly primitive: Pr }

/**
 * The type of a family module's export: primitive `N` with inputs `I` and params `P`, called as
 * `F` (by default its inputs, positionally). NOTE: family exports carry this annotation because
 * their rules call each other (through `core/lax`): without it TypeScript would infer each
 * export's type from rules that refer back to it.
 */
export type BoundPrimitive<
  N extends string,
  I extends ReadonlyArray<NdArray>,
  P = NoParams,
  F extends (...args: never) => NdArray = (...inputs: I) => NdArray,
> = Bound<Primitive<N, I, P>, F>

/** Anything a family module exports that is a bound primitive. */
export type AnyBound = Bound<AnyPrimitive, (...args: never) => NdArray>

/**
 * The bound wrapper of `prim`. Without `call`, the primitive takes no params and the wrapper its
 * inputs positionally; with `call`, `call(bind)` is the wrapper: it receives a binder for this
 * primitive and returns the function that canonicalises arguments (and may skip no-op binds,
 * as `reshape` to the same shape does).
 */
export function bound<N extends string, I extends ReadonlyArray<NdArray>>(
  prim: Primitive<N, I, NoParams>,
): Bound<Primitive<N, I, NoParams>, (...inputs: I) => NdArray>
export function bound<N extends string, I extends ReadonlyArray<NdArray>, P, F extends (...args: never) => NdArray>(
  prim: Primitive<N, I, P>,
  call: (bind: Binder<I, P>) => F,
): Bound<Primitive<N, I, P>, F>
export function bound(
  prim: AnyPrimitive,
  call?: (bind: Binder<ReadonlyArray<NdArray>, unknown>) => (...args: never) => NdArray,
): AnyBound {
  const f =
    call === undefined
      ? (...inputs: ReadonlyArray<NdArray>): NdArray => bind(prim, inputs, NONE)
      : call((inputs, params) => bind(prim, inputs, params))
  if (call === undefined) DIRECT.set(f, prim)
  return Object.assign(f, { primitive: prim })
}

/** The wrappers made by {@link bound} without `call`, and their primitives. */
const DIRECT = new WeakMap<object, AnyPrimitive>()

/**
 * The primitive `f` applies when `f` is a bound wrapper that passes its arguments as the
 * primitive's inputs, positionally and without params (`lax.mul`, `lax.exp`): calling `f(...xs)`
 * is `bind(primitive, xs, NO_PARAMS)`. Undefined for any other function. The facade's eager ops
 * use it to record such a call as one equation without tracing it.
 */
export const directPrimitive = (f: unknown): AnyPrimitive | undefined =>
  typeof f === 'function' ? DIRECT.get(f) : undefined

/** The params every primitive without params is bound with (see {@link directPrimitive}). */
export const NO_PARAMS: NoParams = NONE

/** True for a bound single-result primitive (what the registry collects from the family modules). */
export const isBound = (u: unknown): u is AnyBound =>
  typeof u === 'function' &&
  typeof (u as { primitive?: { impl?: unknown } }).primitive?.impl === 'function' &&
  (u as unknown as { primitive: { multipleResults?: unknown } }).primitive.multipleResults !== true

/** True for a bound `multipleResults` primitive (see {@link boundMulti}). */
export const isBoundMulti = (u: unknown): u is AnyBoundMulti =>
  typeof u === 'function' &&
  typeof (u as { primitive?: { impl?: unknown } }).primitive?.impl === 'function' &&
  (u as unknown as { primitive: { multipleResults?: unknown } }).primitive.multipleResults === true

// -------------------------------------------------------------------------------------
// multiple results
// -------------------------------------------------------------------------------------

/** What both rules of a `multipleResults` primitive receive: its outputs are a tuple. */
export interface MultiRuleContext<I extends ReadonlyArray<NdArray>, P> {
  readonly inputs: I
  readonly outputs: ReadonlyArray<NdArray>
  readonly params: P
  /** Extra values saved by a primitive's `forward` (custom rules); undefined otherwise. */
  readonly residuals?: unknown
}

/** The VJP rule of a `multipleResults` primitive also learns which inputs need a cotangent. */
export interface MultiVjpContext<I extends ReadonlyArray<NdArray>, P> extends MultiRuleContext<I, P> {
  readonly needs: Each<I, boolean>
}

/**
 * Batching rule of a `multipleResults` primitive: `vals` batched along `bdims` (null:
 * unbatched), `size` elements; returns the batched outputs and the batch axis of each.
 * `axisName` as for {@link BatchFn}.
 */
export type MultiBatchRule = (
  prim: AnyMultiPrimitive,
  vals: ReadonlyArray<NdArray>,
  bdims: ReadonlyArray<number | null>,
  params: unknown,
  size: number,
  axisName?: string,
) => readonly [ReadonlyArray<NdArray>, ReadonlyArray<number | null>]

interface MultiBaseDef<N extends string, I extends ReadonlyArray<NdArray>, P> {
  readonly name: N
  /** Marks the variant: `impl`, `shape`, `jvp` and `vjp` work on tuples of outputs. */
  readonly multipleResults: true
  /** Evaluates on concrete arrays: one array per result. */
  readonly impl: (inputs: I, params: P) => ReadonlyArray<NdArray>
  /** Shape and dtype rule: one aval per result. */
  readonly shape: (avals: Each<I, Aval>, params: P) => ReadonlyArray<Aval>
  /** Prints params on the tape; default JSON of the params. */
  readonly formatParams?: (params: P) => string
  /** Batching rule (see {@link MultiBatchRule}). */
  readonly batch: MultiBatchRule
  /**
   * Optional: compute the outputs and residuals together (what reverse mode records beside the
   * equation for the VJP rule, which reads them as `residuals`; control flow saves per-step values).
   */
  readonly forward?: (inputs: I, params: P) => readonly [ReadonlyArray<NdArray>, unknown]
  /** How `exportOnnx` writes this primitive (see `./onnxRule`); absent: exporting it raises an error naming it. */
  readonly onnx?: OnnxMultiRule<P>
  /**
   * True for primitives that staging (`jit`, sub-program tracing) records without running, as JAX
   * traces abstractly: loops whose one run costs as much as the whole call. The trace continues
   * on zeros of the output avals, and `jit`'s first call takes its results from the compiled
   * program instead of the trace.
   */
  readonly abstractTrace?: boolean
}

/** A differentiable `multipleResults` primitive. */
export interface SmoothMultiDef<N extends string, I extends ReadonlyArray<NdArray>, P> extends MultiBaseDef<N, I, P> {
  readonly derivative?: 'smooth'
  /** Tangents of the outputs, given input tangents (some may be symbolic zeros, never all). */
  readonly jvp: (ctx: MultiRuleContext<I, P>, tangents: Each<I, Linear>) => ReadonlyArray<Linear>
  /** Cotangents of the inputs, given one cotangent per output (some may be symbolic zeros, never all). */
  readonly vjp: (ctx: MultiVjpContext<I, P>, yBars: ReadonlyArray<Linear>) => Each<I, Linear>
}

/** A `multipleResults` primitive whose every derivative is zero (sort indices, argsort). */
export interface FlatMultiDef<N extends string, I extends ReadonlyArray<NdArray>, P> extends MultiBaseDef<N, I, P> {
  readonly derivative: 'none'
}

/** One `multipleResults` primitive, fully typed. */
export type MultiPrimitiveDef<N extends string, I extends ReadonlyArray<NdArray>, P> =
  SmoothMultiDef<N, I, P> | FlatMultiDef<N, I, P>

/** A `multipleResults` primitive with its types erased, as the interpreter holds it (see {@link bindMulti}). */
export interface AnyMultiPrimitive {
  readonly name: string
  readonly multipleResults: true
  readonly linear: false
  readonly derivative: 'smooth' | 'none'
  readonly impl: (inputs: ReadonlyArray<NdArray>, params: unknown) => ReadonlyArray<NdArray>
  readonly shape: (avals: ReadonlyArray<Aval>, params: unknown) => ReadonlyArray<Aval>
  readonly jvp: (
    ctx: MultiRuleContext<ReadonlyArray<NdArray>, unknown>,
    tangents: ReadonlyArray<Linear>,
  ) => ReadonlyArray<Linear>
  readonly vjp: (
    ctx: MultiVjpContext<ReadonlyArray<NdArray>, unknown>,
    yBars: ReadonlyArray<Linear>,
  ) => ReadonlyArray<Linear>
  readonly formatParams: (params: unknown) => string
  readonly batch: MultiBatchRule
  readonly forward?: (inputs: ReadonlyArray<NdArray>, params: unknown) => readonly [ReadonlyArray<NdArray>, unknown]
  /** The ONNX export rule, when the primitive has one. */
  readonly onnx?: OnnxMultiRule<unknown>
  /** Staged without running (see the definition's `abstractTrace`). */
  readonly abstractTrace?: boolean
}

/** A `multipleResults` primitive: the typed definition plus its erased view. */
export type MultiPrimitive<N extends string, I extends ReadonlyArray<NdArray>, P> = AnyMultiPrimitive &
  MultiPrimitiveDef<N, I, P>

const defineMulti = <N extends string, I extends ReadonlyArray<NdArray>, P>(
  def: MultiPrimitiveDef<N, I, P>,
): MultiPrimitive<N, I, P> => {
  const erased = {
    ...def,
    linear: false,
    derivative: def.derivative ?? 'smooth',
    formatParams: def.formatParams ?? defaultFormat,
    jvp: def.derivative === 'none' ? (ctx: MultiRuleContext<I, P>) => ctx.outputs.map((y) => Zero.like(y)) : def.jvp,
    vjp: def.derivative === 'none' ? (ctx: MultiVjpContext<I, P>) => ctx.inputs.map((x) => Zero.like(x)) : def.vjp,
  }
  // NOTE: the same erasing cast as for single-result primitives (see defineSingle)
  return erased as unknown as MultiPrimitive<N, I, P>
}

/**
 * Defines a primitive. Rules written here see only canonical params; `derivative: 'none'`
 * primitives get zero rules. With `multipleResults: true` the primitive returns a tuple of
 * arrays (bound with `bindMulti`): its `impl` and `shape` return one array or aval per result,
 * its `jvp` one tangent per result, and its `vjp` receives one cotangent per result.
 */
export function definePrimitive<N extends string, I extends ReadonlyArray<NdArray>, P>(
  def: MultiPrimitiveDef<N, I, P>,
): MultiPrimitive<N, I, P>
export function definePrimitive<N extends string, I extends ReadonlyArray<NdArray>, P>(
  def: PrimitiveDef<N, I, P>,
): Primitive<N, I, P>
export function definePrimitive<N extends string, I extends ReadonlyArray<NdArray>, P>(
  def: PrimitiveDef<N, I, P> | MultiPrimitiveDef<N, I, P>,
): Primitive<N, I, P> | MultiPrimitive<N, I, P> {
  return isMultiDef(def) ? defineMulti(def) : defineSingle(def)
}

const isMultiDef = <N extends string, I extends ReadonlyArray<NdArray>, P>(
  def: PrimitiveDef<N, I, P> | MultiPrimitiveDef<N, I, P>,
): def is MultiPrimitiveDef<N, I, P> => (def as { readonly multipleResults?: boolean }).multipleResults === true

/** Binds one `multipleResults` primitive with its typed inputs and params. */
export type MultiBinder<I extends ReadonlyArray<NdArray>, P> = (inputs: I, params: P) => ReadonlyArray<NdArray>

/**
 * The type of a family module's `multipleResults` export, as {@link BoundPrimitive} for
 * single-result ones: primitive `N` with inputs `I` and params `P`, called as `F`.
 */
export type BoundMultiPrimitive<
  N extends string,
  I extends ReadonlyArray<NdArray>,
  P,
  F extends (...args: never) => ReadonlyArray<NdArray>,
> = F & { readonly primitive: MultiPrimitive<N, I, P> }

/** Anything a family module exports that is a bound `multipleResults` primitive. */
export type AnyBoundMulti = ((...args: never) => ReadonlyArray<NdArray>) & { readonly primitive: AnyMultiPrimitive }

/**
 * The bound wrapper of a `multipleResults` primitive (see {@link bound}): `call(bind)` is the
 * wrapper, given a binder that applies the primitive with `bindMulti`.
 */
export const boundMulti = <
  N extends string,
  I extends ReadonlyArray<NdArray>,
  P,
  F extends (...args: never) => ReadonlyArray<NdArray>,
>(
  prim: MultiPrimitive<N, I, P>,
  call: (bind: MultiBinder<I, P>) => F,
): BoundMultiPrimitive<N, I, P, F> =>
  Object.assign(
    call((inputs, params) => bindMulti(prim, inputs, params)),
    { primitive: prim },
  )

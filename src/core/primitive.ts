/**
 * The shape of a primitive definition: its kernel call, shape/dtype rule, JVP rule and VJP rule,
 * side by side in one object.
 *
 * @category core
 * @since 0.1.0
 */
import type { BinaryOp, UnaryOp } from '../ndarray/kernels/expressions'
import type { NdArray } from '../ndarray/NdArray'
import type { Aval } from './equation'
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
   * Batching rule for primitives outside the closed set (custom calls); the registered ones have
   * theirs in `core/batching`. Returns the batched output and its batch axis.
   */
  readonly batch?: PrimBatchRule
}

/** See `BaseDef.batch`: `vals` batched along `bdims` (null: unbatched), `size` elements. */
export type PrimBatchRule = (
  prim: AnyPrimitive,
  vals: ReadonlyArray<NdArray>,
  bdims: ReadonlyArray<number | null>,
  params: unknown,
  size: number,
) => readonly [NdArray, number | null]

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
}

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
  readonly forward: ((inputs: ReadonlyArray<NdArray>, params: unknown) => readonly [NdArray, unknown]) | undefined
  readonly formatParams: (params: unknown) => string
  readonly ewise: Ewise | undefined
  readonly batch: PrimBatchRule | undefined
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
  const erased = {
    ...def,
    linear: def.linear ?? false,
    derivative: def.derivative ?? 'smooth',
    forward: def.forward,
    formatParams: def.formatParams ?? defaultFormat,
    ewise: def.ewise,
    batch: def.batch as PrimBatchRule | undefined,
    jvp: def.derivative === 'none' ? (ctx: RuleContext<I, P>) => Zero.like(ctx.output) : def.jvp,
    vjp: def.derivative === 'none' ? (ctx: VjpContext<I, P>) => ctx.inputs.map((x) => Zero.like(x)) : def.vjp,
  }
  // NOTE: the one erasing cast of the engine: a definition is callable with any inputs the
  // interpreter hands it because `bind` is only reached through typed wrappers (src/core/lax.ts).
  return erased as unknown as Primitive<N, I, P>
}

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
 */
export type MultiBatchRule = (
  prim: AnyMultiPrimitive,
  vals: ReadonlyArray<NdArray>,
  bdims: ReadonlyArray<number | null>,
  params: unknown,
  size: number,
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

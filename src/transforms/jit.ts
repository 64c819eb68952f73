/**
 * `jit(f)`: traces `f` once per argument signature into a program of primitives and replays
 * the program on later calls, with no tracing, no derivative rules and no tape on the way.
 *
 * @category transforms
 * @since 0.1.0
 */
import { ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { liveEquations, type Tape, type Var } from '../core/equation'
import { printTape } from '../core/tape'
import { compileProgram, type Program } from '../core/program'
import { StagingLevel, StagingTracer } from '../core/staging'
import { levelDepth, live, withLevel } from '../core/trace'
import { markWeak, weakOfNumber, withWeakTracing, type WeakKind } from '../core/weak'
import { array } from '../ndarray/create'
import { flatten, structureKey, unflatten, type TreeDef } from '../tree'
import { hashKey } from '../tree/hashKey'
import { checkOptions } from '../internal/options'
import { checkFn, normalizeArgnums, type Argnums } from './common'
import { normalizeArgnames, refuseUnsupported, splitNamed } from './jitStatic'

/** Options of `jit`. */
export interface JitOptions {
  /**
   * Arguments that are not traced: the function is traced anew for each distinct value (by value
   * for numbers, strings, booleans and JS arrays and plain objects of them, by `===`-identity for
   * other objects and functions; an NdArray is not hashable and raises). JAX: static_argnums.
   */
  readonly staticArgnums?: Argnums
  /**
   * Keys of the last argument, an options object, whose values are not traced (JAX:
   * static_argnames; JavaScript has no keyword arguments, so a trailing options object stands for
   * them): each call must pass that object with every listed key present (`undefined` allowed);
   * its other keys are traced as usual. Static values are compared as `staticArgnums` are.
   */
  readonly staticArgnames?: string | ReadonlyArray<string>
  /**
   * Warn (console.warn) each time this function is traced, naming the argument whose signature
   * changed; {@link setLogCompiles} turns it on for every jitted function. JAX: log_compiles.
   */
  readonly logCompiles?: boolean
}

/** What `jit(f).lower(...args)` returns: the staged program of `f` for those arguments. */
export interface Lowered {
  /** The program: inputs are the array leaves of the non-static arguments, in order. */
  readonly tape: Tape
  /** The program printed as `printTape` prints it. */
  asText(): string
}

/** A jitted function; `lower(...args)` traces it without running the compiled program. */
export type Jitted<A extends readonly unknown[], R> = ((...args: A) => R) & {
  readonly lower: (...args: A) => Lowered
}

let logAll = false
/**
 * Turns on (or off) a warning for every trace of every jitted function, naming the function and
 * what changed in its arguments' signature (as `jax.config.update('jax_log_compiles', True)`).
 * Returns the previous setting.
 * @example
 * import { setLogCompiles } from 'wengert'
 * const before = setLogCompiles(true)
 * assert.strictEqual(setLogCompiles(before), true)
 * @category transforms
 * @since 0.2.0
 */
export const setLogCompiles = (on: boolean): boolean => {
  const prev = logAll
  logAll = on
  return prev
}

/** How a program's result is rebuilt: per output leaf, a program output or a fixed value. */
type OutSlot = { readonly k: number } | { readonly value: unknown }

interface Staged {
  readonly tape: Tape
  readonly program: Program
  readonly outDef: TreeDef
  readonly outSlots: ReadonlyArray<OutSlot>
}

/**
 * Traced signatures kept per jitted function: at most 64; the least recently used one is dropped
 * (and traced again if it comes back).
 */
const MAX_TRACES = 64

/**
 * The traces of each function, per static-argument options, shared by every `jit` of that
 * function: JAX keys its cache by the function, so `jit(f)(x)` twice traces `f` once.
 */
const sharedCaches = new WeakMap<object, Map<string, Map<string, Staged>>>()

const cacheFor = (f: object, options: JitOptions): Map<string, Staged> => {
  let byOptions = sharedCaches.get(f)
  if (byOptions === undefined) {
    byOptions = new Map()
    sharedCaches.set(f, byOptions)
  }
  const key = JSON.stringify([options.staticArgnums ?? null, options.staticArgnames ?? null])
  let cache = byOptions.get(key)
  if (cache === undefined) {
    cache = new Map()
    byOptions.set(key, cache)
  }
  return cache
}

/**
 * Compiles `f` for speed: the first call with a given signature (the pytree structure of the
 * arguments, the shape and dtype of each array leaf, and the values of the other leaves and
 * of `staticArgnums`) runs `f` once while recording its primitives — transforms inside `f`
 * (`grad`, `jvp`, …) included — and compiles the recording; later calls with that signature run
 * the compiled program. As JAX's, the traces are kept per function: `jit(f)` called
 * again on the same `f` (with the same static-argument options) reuses them. Element-wise code on single values (scalar loops and their gradients)
 * runs as plain JavaScript arithmetic, bit for bit as the kernels compute it.
 *
 * As in JAX: `f` must be pure — its JavaScript side effects happen while tracing only; inside
 * `f` array leaves are traced values whose data is unknown (`item()`, `toArray()` and JavaScript
 * branches on values throw a ConcretizationTypeError; pass such arguments as static). JavaScript
 * numbers among the arguments are traced as weak scalars, as JAX traces Python scalars: a new
 * value does not retrace (only a switch between integer and fractional values does), next to an
 * array a number takes its dtype as an untraced number would, and JavaScript arithmetic on one
 * (`lr * 2`) raises the ConcretizationTypeError — list it in `staticArgnums` to use it as a
 * number. Leaves that are neither arrays nor numbers are static (keyed by value). Called under another transform (`grad(jit(f))`), `jit` runs `f` as it is: the results
 * are the same, the outer transform sees every primitive.
 *
 * JAX's `static_argnames` is `staticArgnames`: JavaScript has no keyword arguments, so it names
 * keys of the function's last argument, an options object (`f(x, { training: true })`); those
 * values are static, the object's other keys are traced. `donateArgnums`/`donateArgnames` are
 * refused (nothing to donate: arrays live in JavaScript memory).
 *
 * @example
 * import { jit, grad, array, add, mul, exp, sum, type NdArray } from 'wengert'
 * const step = (x: NdArray) => add(mul(x, 0.99), exp(mul(x, -0.5)))
 * const g = jit(grad((x: NdArray) => { for (let i = 0; i < 100; i++) x = step(x); return sum(x) }))
 * const x = array(0.5, { dtype: 'float64' })
 * assert.strictEqual(g(x).item(), grad((x: NdArray) => { for (let i = 0; i < 100; i++) x = step(x); return sum(x) })(x).item())
 * // staticArgnames: `training` is static (a JS branch on it is fine), `scale` is traced
 * const h = jit((v: NdArray, o: { training: boolean; scale: NdArray }) => (o.training ? mul(v, o.scale) : v), {
 *   staticArgnames: ['training'],
 * })
 * assert.strictEqual(h(x, { training: true, scale: array(4, { dtype: 'float64' }) }).item(), 2)
 * @category transforms
 * @since 0.1.0
 */
export const jit = <A extends readonly unknown[], R>(f: (...args: A) => R, options: JitOptions = {}): Jitted<A, R> => {
  checkFn('jit', f)
  refuseUnsupported(options)
  checkOptions('jit', options, ['staticArgnums', 'staticArgnames', 'logCompiles'])
  const names = normalizeArgnames(options.staticArgnames)
  const cache = cacheFor(f, options)
  let lastParts: ReadonlyArray<string> | undefined
  // the static argument positions, normalised once per argument count
  const staticsByArity = new Map<number, ReadonlyArray<number>>()
  const staticsFor = (n: number): ReadonlyArray<number> => {
    let statics = staticsByArity.get(n)
    if (statics === undefined) {
      statics = options.staticArgnums === undefined ? [] : normalizeArgnums('jit', options.staticArgnums, n)
      staticsByArity.set(n, statics)
    }
    return statics
  }
  /** The signature of a call, and how its traced arguments become `f`'s arguments. */
  const sign = (args: A): [Signature, (callArgs: unknown[]) => unknown[]] => {
    const statics = staticsFor(args.length)
    // the whole options object listed in staticArgnums is static already
    if (names.length === 0 || statics.includes(args.length - 1)) return [signature(args, statics), (a) => a]
    const named = splitNamed(args, names)
    const sig = signature(named.args, statics)
    sig.parts.push(named.key)
    return [sig, (a) => [...a.slice(0, -1), named.merge(a[a.length - 1])]]
  }
  const call = (...args: A): R => {
    if (levelDepth() > 0) return f(...args)
    const [sig, finish] = sign(args)
    const key = sig.parts.join('|')
    const hit = cache.get(key)
    if (hit !== undefined) {
      cache.delete(key)
      cache.set(key, hit)
      return replay(hit, sig.inputs) as R
    }
    if (options.logCompiles === true || logAll) console.warn(compileMessage(f, lastParts, sig.parts, cache.size))
    const [staged, result] = trace(f, args, sig.defs, sig.leafLists, finish)
    lastParts = sig.parts
    cache.set(key, staged)
    if (cache.size > MAX_TRACES) cache.delete(cache.keys().next().value as string)
    // a trace that staged loops without running them (abstractTrace) holds placeholders, not results
    return (result === NOT_RUN ? replay(staged, sig.inputs) : result) as R
  }
  const lower = (...args: A): Lowered => {
    if (levelDepth() > 0) throw new ValueError('jit: lower() must be called outside every transform')
    const [sig, finish] = sign(args)
    const [staged] = trace(f, args, sig.defs, sig.leafLists, finish)
    return { tape: staged.tape, asText: () => printTape(staged.tape) }
  }
  return Object.assign(call, { lower })
}

/** The result of a staged program on the array leaves of a call. */
const replay = (staged: Staged, inputs: ReadonlyArray<NdArray>): unknown => {
  const outs = staged.program.run(inputs)
  return unflatten(
    staged.outDef,
    staged.outSlots.map((s) => ('k' in s ? outs[s.k] : s.value)),
  )
}

/** What `trace` returns for the result when the trace's values are placeholders (see StagingLevel.ranAll). */
const NOT_RUN: unique symbol = Symbol('not run')

/** A call's signature (one cache-key part per argument) and the array leaves that are the program's inputs. */
interface Signature {
  readonly parts: string[]
  readonly inputs: NdArray[]
  readonly defs: Array<TreeDef | undefined>
  readonly leafLists: unknown[][]
}

const signature = (args: ReadonlyArray<unknown>, statics: ReadonlyArray<number>): Signature => {
  const sig: Signature = { parts: [], inputs: [], defs: [], leafLists: [] }
  for (let i = 0; i < args.length; i++) {
    if (statics.includes(i)) {
      sig.parts.push(`static ${hashKey(args[i])}`)
      sig.defs.push(undefined)
      sig.leafLists.push([])
      continue
    }
    const [leaves0, def] = flatten(args[i])
    let part = structureKey(def)
    const leaves = leaves0.map((l) => {
      if (l instanceof NdArray) {
        const x = live(l)
        sig.inputs.push(x)
        part += `:${x.dtype}[${x.shape.join(',')}]`
        return l
      }
      if (typeof l !== 'number') {
        part += `:${hashKey(l)}`
        return l
      }
      // a number is traced as a weak scalar: its kind (integer or not) is in the key, its value is not
      const w = weakOfNumber(l)
      const x = array(l, { dtype: w.dtype })
      sig.inputs.push(x)
      part += `:weak ${w.kind}/${w.dtype}`
      return new WeakLeaf(x, w.kind)
    })
    sig.parts.push(part)
    sig.defs.push(def)
    sig.leafLists.push(leaves)
  }
  return sig
}

/** The warning of `logCompiles`: which function is traced, and what differs from its last trace. */
const compileMessage = (
  f: (...args: never[]) => unknown,
  last: ReadonlyArray<string> | undefined,
  parts: ReadonlyArray<string>,
  cached: number,
): string => {
  const name = f.name || 'anonymous'
  if (last === undefined) return `jit: tracing ${name} for the first time (${parts.length} arguments)`
  if (last.length !== parts.length)
    return `jit: retracing ${name}: called with ${parts.length} arguments, last traced with ${last.length}`
  const i = parts.findIndex((p, k) => p !== last[k])
  const why =
    i < 0 ? 'a signature evicted from the cache came back' : `argument ${i} changed from ${last[i]} to ${parts[i]}`
  return `jit: retracing ${name} (${cached} signatures cached, at most ${MAX_TRACES}): ${why}`
}

/** Runs `f` on staged inputs; returns the compiled program and this call's result. */
const trace = <A extends readonly unknown[], R>(
  f: (...args: A) => R,
  args: A,
  defs: ReadonlyArray<TreeDef | undefined>,
  leafLists: ReadonlyArray<ReadonlyArray<unknown>>,
  finish: (callArgs: unknown[]) => unknown[],
): [Staged, unknown] => {
  const level = new StagingLevel()
  const input = (l: unknown): unknown =>
    l instanceof NdArray ? level.input(live(l)) : l instanceof WeakLeaf ? weakInput(level, l) : l
  return withWeakTracing(() =>
    withLevel(level, () => {
      const callArgs = finish(
        args.map((a, i) => {
          const def = defs[i]
          return def === undefined ? a : unflatten(def, (leafLists[i] as ReadonlyArray<unknown>).map(input))
        }),
      ) as unknown as A
      return stage(f, callArgs, level)
    }),
  )
}

/** A number argument of a jitted function, as the weak scalar it is traced as. */
class WeakLeaf {
  constructor(
    readonly value: NdArray,
    readonly kind: WeakKind,
  ) {}
}

/**
 * The traced input of a number argument: weak, and arithmetic on it in JavaScript (`lr * 2`)
 * raises jit's ConcretizationTypeError (through `item()`) instead of computing NaN.
 */
const weakInput = (level: StagingLevel, l: WeakLeaf): NdArray => {
  const t = markWeak(level.input(l.value), l.kind)
  Object.defineProperty(t, 'valueOf', { value: () => t.item(), enumerable: false })
  return t
}

/** Runs `f` on the staged arguments; returns the compiled program and this call's result. */
const stage = <A extends readonly unknown[], R>(
  f: (...args: A) => R,
  callArgs: A,
  level: StagingLevel,
): [Staged, unknown] => {
  const [outLeaves, outDef] = flatten(f(...callArgs))
  const outVars: Var[] = []
  const outSlots: OutSlot[] = []
  const result: unknown[] = []
  for (const l of outLeaves) {
    if (!(l instanceof NdArray)) {
      if (typeof l === 'function')
        throw new ValueError('jit: the function returned a function; return arrays, numbers or pytrees of them')
      outSlots.push({ value: l })
      result.push(l)
      continue
    }
    const x = live(l)
    if (x instanceof StagingTracer && x._level === level) {
      outSlots.push({ k: outVars.length })
      outVars.push(x.variable)
      result.push(x.primal)
    } else {
      outSlots.push({ value: x })
      result.push(x)
    }
  }
  const equations = liveEquations(
    level.equations,
    level.nVars,
    outVars.map((v) => v.id),
  )
  const tape: Tape = { inputs: level.inputs, equations, outputs: outVars, toString: () => printTape(tape) }
  const program = compileProgram(tape)
  return [{ tape, program, outDef, outSlots }, level.ranAll ? unflatten(outDef, result) : NOT_RUN]
}

/**
 * `jit(f)`: traces `f` once per argument signature into a program of primitives and replays
 * the program on later calls, with no tracing, no derivative rules and no tape on the way.
 *
 * @category transforms
 * @since 0.1.0
 */
import { ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { liveEquations, type Var } from '../core/equation'
import { compileProgram, type Program } from '../core/program'
import { StagingLevel, StagingTracer } from '../core/staging'
import { levelDepth, live, withLevel } from '../core/trace'
import { flatten, structureKey, unflatten, type TreeDef } from '../tree'
import { checkOptions } from '../internal/options'
import { checkFn, normalizeArgnums, type Argnums } from './common'

/** Options of `jit`. */
export interface JitOptions {
  /**
   * Arguments that are not traced: the function is traced anew for each distinct value (by
   * `===`-identity for objects, by value for numbers, strings and booleans). JAX: static_argnums.
   */
  readonly staticArgnums?: Argnums
}

/** How a program's result is rebuilt: per output leaf, a program output or a fixed value. */
type OutSlot = { readonly k: number } | { readonly value: unknown }

interface Staged {
  readonly program: Program
  readonly outDef: TreeDef
  readonly outSlots: ReadonlyArray<OutSlot>
}

/** Traced signatures kept per jitted function (least recently used ones are dropped). */
const MAX_TRACES = 64

let nextObjectId = 1
const objectIds = new WeakMap<object, number>()
/** A cache-key part for a value that is not traced. */
const staticKey = (u: unknown): string => {
  if (typeof u === 'number') return `n${Object.is(u, -0) ? '-0' : String(u)}`
  if (typeof u === 'string') return `s${JSON.stringify(u)}`
  if (typeof u === 'boolean' || typeof u === 'bigint' || u === undefined || u === null) return `p${String(u)}`
  if (typeof u === 'symbol') return `y${String(u.description)}`
  const o = u as object
  let id = objectIds.get(o)
  if (id === undefined) {
    id = nextObjectId++
    objectIds.set(o, id)
  }
  return `o${id}`
}

/**
 * Compiles `f` for speed: the first call with a given signature (the pytree structure of the
 * arguments, the shape and dtype of each array leaf, and the values of the other leaves and
 * of `staticArgnums`) runs `f` once while recording its primitives — transforms inside `f`
 * (`grad`, `jvp`, …) included — and compiles the recording; later calls with that signature run
 * the compiled program. Element-wise code on single values (scalar loops and their gradients)
 * runs as plain JavaScript arithmetic, bit for bit as the kernels compute it.
 *
 * As in JAX: `f` must be pure — its JavaScript side effects happen while tracing only; inside
 * `f` array leaves are traced values whose data is unknown (`item()`, `toArray()` and JavaScript
 * branches on values throw a ConcretizationTypeError; pass such arguments as static). JavaScript
 * numbers among the arguments are static (each value traces once), as are leaves that are not
 * arrays. Called under another transform (`grad(jit(f))`), `jit` runs `f` as it is: the results
 * are the same, the outer transform sees every primitive.
 *
 * @example
 * import { jit, grad, array, add, mul, exp, sum, type NdArray } from 'wengert'
 * const step = (x: NdArray) => add(mul(x, 0.99), exp(mul(x, -0.5)))
 * const g = jit(grad((x: NdArray) => { for (let i = 0; i < 100; i++) x = step(x); return sum(x) }))
 * const x = array(0.5, { dtype: 'float64' })
 * assert.strictEqual(g(x).item(), grad((x: NdArray) => { for (let i = 0; i < 100; i++) x = step(x); return sum(x) })(x).item())
 * @category transforms
 * @since 0.1.0
 */
export const jit = <A extends readonly unknown[], R>(
  f: (...args: A) => R,
  options: JitOptions = {},
): ((...args: A) => R) => {
  checkFn('jit', f)
  checkOptions('jit', options, ['staticArgnums'])
  const cache = new Map<string, Staged>()
  // the static argument positions, normalised once per argument count
  const staticsByArity = new Map<number, ReadonlyArray<number>>()
  return (...args: A): R => {
    if (levelDepth() > 0) return f(...args)
    let statics = staticsByArity.get(args.length)
    if (statics === undefined) {
      statics = options.staticArgnums === undefined ? [] : normalizeArgnums('jit', options.staticArgnums, args.length)
      staticsByArity.set(args.length, statics)
    }
    // the signature, and the array leaves that are the program's inputs
    const inputs: NdArray[] = []
    const defs: Array<TreeDef | undefined> = []
    const leafLists: unknown[][] = []
    let key = ''
    for (let i = 0; i < args.length; i++) {
      if (statics.includes(i)) {
        key += `|S${staticKey(args[i])}`
        defs.push(undefined)
        leafLists.push([])
        continue
      }
      const [leaves, def] = flatten(args[i])
      key += `|${structureKey(def)}`
      for (const l of leaves) {
        if (l instanceof NdArray) {
          const x = live(l)
          inputs.push(x)
          key += `:${x.dtype}[${x.shape.join(',')}]`
        } else key += `:${staticKey(l)}`
      }
      defs.push(def)
      leafLists.push(leaves)
    }
    const hit = cache.get(key)
    if (hit !== undefined) {
      cache.delete(key)
      cache.set(key, hit)
      const outs = hit.program.run(inputs)
      return unflatten(
        hit.outDef,
        hit.outSlots.map((s) => ('k' in s ? outs[s.k] : s.value)),
      ) as R
    }
    const [staged, result] = trace(f, args, defs, leafLists)
    cache.set(key, staged)
    if (cache.size > MAX_TRACES) cache.delete(cache.keys().next().value as string)
    return result as R
  }
}

/** Runs `f` on staged inputs; returns the compiled program and this call's result. */
const trace = <A extends readonly unknown[], R>(
  f: (...args: A) => R,
  args: A,
  defs: ReadonlyArray<TreeDef | undefined>,
  leafLists: ReadonlyArray<ReadonlyArray<unknown>>,
): [Staged, unknown] => {
  const level = new StagingLevel()
  return withLevel(level, () => {
    const callArgs = args.map((a, i) => {
      const def = defs[i]
      if (def === undefined) return a
      return unflatten(
        def,
        (leafLists[i] as ReadonlyArray<unknown>).map((l) => (l instanceof NdArray ? level.input(live(l)) : l)),
      )
    }) as unknown as A
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
    const program = compileProgram({ inputs: level.inputs, equations, outputs: outVars })
    return [{ program, outDef, outSlots }, unflatten(outDef, result)]
  })
}

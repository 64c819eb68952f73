/**
 * `checkGrads(f, args, options)`: JAX's `check_grads`. Checks forward mode against central
 * differences, reverse mode against them by the dot-product test, and (for `order > 1`) the same
 * checks of `f`'s JVP and VJP functions, recursively.
 *
 * @category laws
 * @since 0.1.0
 */
import { allocate, isFloat, type DType } from '../ndarray/dtype'
import { requireFunction, requireList } from '../internal/args'
import { ValueError, WengertError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { key, normal, split, type PRNGKey } from '../ndarray/random'
import { flatten, unflatten } from '../tree'
import { jvp } from '../transforms/jvp'
import { vjp } from '../transforms/vjp'
import {
  defaultTolerance,
  innerProduct,
  numericalJvp,
  numericalVjp,
  worstMismatch,
  type Mismatch,
  type Tolerance,
} from './finiteDifferences'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A differentiation mode of {@link checkGrads}: forward (`jvp`) or reverse (`vjp`). */
export type CheckMode = 'fwd' | 'rev'

/**
 * Options of {@link checkGrads}. Tolerances default by dtype ({@link defaultTolerance}): any
 * float32 argument selects the float32 defaults.
 */
export interface CheckGradsOptions {
  /** Highest derivative order checked. Default 2. */
  readonly order?: number
  /** Modes checked at every order. Default `['fwd', 'rev']`. */
  readonly modes?: ReadonlyArray<CheckMode>
  /** Absolute tolerance. Default 1e-6 (float64), 1e-2 (float32). */
  readonly atol?: number
  /** Relative tolerance. Default 1e-6 (float64), 1e-2 (float32). */
  readonly rtol?: number
  /** Base step of central differences. Default 1e-6 (float64), 1e-3 (float32). */
  readonly eps?: number
  /** Seed of the random tangents and cotangents. Default 0. */
  readonly seed?: number
}

/**
 * A derivative that does not agree with its reference. The message shows the worst mismatch:
 * which check (`JVP`, `VJP`, `VJP of JVP`, …), which argument and element, the expected value and
 * the value computed.
 *
 * @example
 * import { GradCheckError, checkGrads, customVjp, array, sin, mul } from 'wengert'
 * const badSin = customVjp(sin, (x) => [sin(x), x], (x, g) => [mul(g, x as import('wengert').NdArray)])
 * try {
 *   checkGrads(badSin, [array([0.5, 1], { dtype: 'float64' })], { modes: ['rev'], order: 1 })
 *   assert.fail('expected a GradCheckError')
 * } catch (e) {
 *   assert.ok(e instanceof GradCheckError)
 *   assert.strictEqual(e.check, 'VJP')
 *   assert.match(e.message, /argument 0, element \[[01]\]/)
 * }
 * @category laws
 * @since 0.1.0
 */
export class GradCheckError extends WengertError {
  constructor(
    message: string,
    /** The failing check: `JVP`, `VJP`, `JVP of VJP`, … */
    readonly check: string,
    /** The worst element, when the failure could be pinned to one. */
    readonly mismatch: (Mismatch & { readonly argument: string }) | undefined,
  ) {
    super(message)
  }
}

/** A function of a flat list of float arrays returning a flat list of arrays. */
interface FlatFn {
  readonly fn: (...xs: NdArray[]) => NdArray[]
  /** A name for each input, for messages. */
  readonly labels: ReadonlyArray<string>
}

interface Ctx {
  readonly tol: Tolerance
  readonly modes: ReadonlyArray<CheckMode>
  nextKey(): PRNGKey
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const fmt = (v: number): string =>
  !Number.isFinite(v) || v === 0
    ? String(v)
    : Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6
      ? v.toExponential(3)
      : String(Number(v.toPrecision(6)))
const fmtIndex = (index: ReadonlyArray<number>): string => `[${index.join(', ')}]`

const outLeaves = (out: unknown): NdArray[] =>
  flatten(out)[0].map((l, i) => {
    if (l instanceof NdArray) return l
    if (typeof l === 'number') return new NdArray([], 'float64', Float64Array.of(l))
    throw new ValueError(`checkGrads: output leaf ${i} must be an array or a number, got ${typeof l}`)
  })

const randomLike = (ctx: Ctx, x: NdArray): NdArray =>
  isFloat(x.dtype) ? normal(ctx.nextKey(), x.shape, { dtype: x.dtype as 'float32' | 'float64' }) : x

/** Zeros in every position except argument `only` (for localising a failure). */
const onlyArg = (ts: ReadonlyArray<NdArray>, only: number): NdArray[] => ts.map((t, i) => (i === only ? t : zerosOf(t)))

const zerosOf = (x: NdArray): NdArray => new NdArray(x.shape, x.dtype, allocate(x.dtype, x.size))

const tolText = (tol: Tolerance): string => `atol ${fmt(tol.atol)} + rtol ${fmt(tol.rtol)}`

// -------------------------------------------------------------------------------------
// the checks
// -------------------------------------------------------------------------------------

/** Forward mode against central differences, element by element. */
const checkJvp = (flat: FlatFn, xs: ReadonlyArray<NdArray>, ctx: Ctx, check: string): void => {
  const ts = xs.map((x) => randomLike(ctx, x))
  const compare = (tangents: ReadonlyArray<NdArray>): Mismatch | undefined => {
    const [ys, yDots] = jvp((...a: NdArray[]) => flat.fn(...a), [...xs], [...tangents])
    const floats = ys.map((y, i) => (isFloat(y.dtype) ? i : -1)).filter((i) => i >= 0)
    const num = numericalJvp(flat.fn, xs, tangents, { eps: ctx.tol.eps })
    const m = worstMismatch(
      floats.map((i) => num[i] as NdArray),
      floats.map((i) => yDots[i] as NdArray),
      ctx.tol,
    )
    return m === undefined ? undefined : { ...m, array: floats[m.array] as number }
  }
  const m = compare(ts)
  if (m === undefined) return
  // localise: the argument whose tangent alone gives the worst mismatch
  let arg = -1
  let worst = 0
  if (xs.length > 1) {
    xs.forEach((_, i) => {
      const mi = compare(onlyArg(ts, i))
      if (mi !== undefined && mi.error / mi.allowed > worst) {
        worst = mi.error / mi.allowed
        arg = i
      }
    })
  } else arg = 0
  const argument = arg >= 0 ? (flat.labels[arg] as string) : 'several arguments together'
  throw new GradCheckError(
    `checkGrads: ${check} does not match central differences: output ${m.array}, element ${fmtIndex(m.index)} ` +
      `(tangent on ${argument}): expected ${fmt(m.expected)} (central differences) but got ${fmt(m.got)} (forward mode); ` +
      `|difference| ${fmt(m.error)} > allowed ${fmt(m.allowed)} (${tolText(ctx.tol)}·|expected|)`,
    check,
    { ...m, argument },
  )
}

/** Largest total input size for which a VJP failure is pinned to one element. */
const LOCALISE_MAX = 4096

/** Reverse mode against central differences by the dot-product test ⟨ȳ, J·t⟩ = ⟨Jᵀȳ, t⟩. */
const checkVjp = (flat: FlatFn, xs: ReadonlyArray<NdArray>, ctx: Ctx, check: string): void => {
  const ts = xs.map((x) => randomLike(ctx, x))
  const [ys, pull] = vjp((...a: NdArray[]) => flat.fn(...a), ...xs)
  const yBars = ys.map((y) => (isFloat(y.dtype) ? randomLike(ctx, y) : zerosOf(y)))
  const xBars = pull(yBars) as NdArray[]
  const floats = ys.map((y, i) => (isFloat(y.dtype) ? i : -1)).filter((i) => i >= 0)
  const num = numericalJvp(flat.fn, xs, ts, { eps: ctx.tol.eps })
  const lhs = innerProduct(
    floats.map((i) => yBars[i] as NdArray),
    floats.map((i) => num[i] as NdArray),
  )
  const rhs = innerProduct(xBars, ts)
  const allowed = ctx.tol.atol + ctx.tol.rtol * Math.max(lhs.scale, rhs.scale)
  const error = Math.abs(lhs.value - rhs.value)
  if (error <= allowed) return
  // pin it to an element: Jᵀȳ by central differences, one element at a time
  const size = xs.reduce((s, x) => s + x.size, 0)
  if (size <= LOCALISE_MAX) {
    const expected = numericalVjp(
      (...a: NdArray[]) => flat.fn(...a).filter((_, i) => floats.includes(i)),
      xs,
      floats.map((i) => yBars[i] as NdArray),
      { eps: ctx.tol.eps },
    )
    const m = worstMismatch(expected, xBars, ctx.tol)
    if (m !== undefined) {
      const argument = flat.labels[m.array] as string
      throw new GradCheckError(
        `checkGrads: ${check} does not match central differences: ${argument}, element ${fmtIndex(m.index)}: ` +
          `expected ${fmt(m.expected)} (central differences) but got ${fmt(m.got)} (reverse mode); ` +
          `|difference| ${fmt(m.error)} > allowed ${fmt(m.allowed)} (${tolText(ctx.tol)}·|expected|)`,
        check,
        { ...m, argument },
      )
    }
  }
  throw new GradCheckError(
    `checkGrads: ${check} does not match central differences (dot-product test): ⟨ȳ, J·t⟩ = ${fmt(lhs.value)} ` +
      `(central differences) but ⟨Jᵀȳ, t⟩ = ${fmt(rhs.value)} (reverse mode); |difference| ${fmt(error)} > allowed ${fmt(allowed)}`,
    check,
    undefined,
  )
}

const recurse = (flat: FlatFn, xs: ReadonlyArray<NdArray>, order: number, ctx: Ctx, prefix: string): void => {
  const name = (m: string): string => (prefix === '' ? m : `${m} of ${prefix}`)
  if (ctx.modes.includes('fwd')) {
    const check = name('JVP')
    checkJvp(flat, xs, ctx, check)
    if (order > 1) {
      // the JVP as a function of (primals, tangents), evaluated at tangents = primals (as JAX)
      const n = xs.length
      const fJvp: FlatFn = {
        fn: (...a: NdArray[]) => {
          const [ys, yDots] = jvp((...p: NdArray[]) => flat.fn(...p), a.slice(0, n), a.slice(n))
          return [...ys, ...yDots]
        },
        labels: [...flat.labels, ...flat.labels.map((l) => `tangent of ${l}`)],
      }
      recurse(fJvp, [...xs, ...xs], order - 1, ctx, check)
    }
  }
  if (ctx.modes.includes('rev')) {
    const check = name('VJP')
    checkVjp(flat, xs, ctx, check)
    if (order > 1) {
      // the VJP as a function of the primals, pulling back the output itself (as JAX)
      const fVjp: FlatFn = {
        fn: (...a: NdArray[]) => {
          const [ys, pull] = vjp((...p: NdArray[]) => flat.fn(...p), ...a)
          return pull(ys) as NdArray[]
        },
        labels: flat.labels,
      }
      recurse(fVjp, xs, order - 1, ctx, check)
    }
  }
}

// -------------------------------------------------------------------------------------
// checkGrads
// -------------------------------------------------------------------------------------

/**
 * Checks `f`'s derivatives at `args` up to `order` in the given modes, as JAX's `check_grads`:
 * forward mode against central differences, reverse mode by the dot-product test
 * `⟨ȳ, J·t⟩ ≈ ⟨Jᵀȳ, t⟩` with random `t` and `ȳ`, then (order 2) the same checks of the JVP
 * function `(x, t) ↦ (f(x), J·t)` and of the VJP function `x ↦ J(x)ᵀ f(x)`, and so on.
 *
 * Arguments may be pytrees; their float leaves are differentiated (JS numbers become float64
 * 0-d arrays), integer and bool leaves are held fixed. Throws a {@link GradCheckError} naming the
 * worst mismatch (check, argument, element, expected, got). Checks are deterministic for a seed.
 *
 * @example
 * import { checkGrads, GradCheckError, array, sin, mul, sum, customJvp, cos } from 'wengert'
 * const f = (x: import('wengert').NdArray, y: import('wengert').NdArray) => sum(mul(sin(x), y))
 * checkGrads(f, [array([0.1, 0.7], { dtype: 'float64' }), array([2, 3], { dtype: 'float64' })])
 * // a wrong JVP rule is caught and located
 * const wrongSin = customJvp(sin, ([x], [t]) => [sin(x!), mul(t!, sin(x!))])
 * assert.throws(() => checkGrads(wrongSin, [array([0.5], { dtype: 'float64' })], { order: 1 }), GradCheckError)
 * checkGrads(customJvp(sin, ([x], [t]) => [sin(x!), mul(t!, cos(x!))]), [array([0.5], { dtype: 'float64' })])
 * @category laws
 * @since 0.1.0
 */
export const checkGrads = <A extends readonly unknown[]>(
  f: (...args: A) => unknown,
  args: A,
  opts: CheckGradsOptions = {},
): void => {
  requireFunction('checkGrads', 'f', f)
  requireList('checkGrads', 'args', args, 'arguments')
  const order = opts.order ?? 2
  if (!Number.isInteger(order) || order < 1)
    throw new ValueError(`checkGrads: order must be a positive integer, got ${order}`)
  const modes = opts.modes ?? ['fwd', 'rev']
  for (const m of modes) {
    if (m !== 'fwd' && m !== 'rev')
      throw new ValueError(`checkGrads: unknown mode ${String(m)}; expected 'fwd' or 'rev'`)
  }
  // flatten the arguments: float leaves are the inputs of the flat function
  const perArg = args.map((a) => flatten(a))
  const [allLeaves, def] = flatten([...args])
  const leaves = allLeaves.map((l, i) => {
    if (l instanceof NdArray) return l
    if (typeof l === 'number') return new NdArray([], 'float64', Float64Array.of(l))
    throw new ValueError(`checkGrads: argument leaf ${i} must be an array or a number, got ${typeof l}`)
  })
  const labels: string[] = []
  perArg.forEach(([ls], a) =>
    ls.forEach((_, j) => labels.push(ls.length > 1 ? `argument ${a} (leaf ${j})` : `argument ${a}`)),
  )
  const diff = leaves.map((x, i) => (isFloat(x.dtype) ? i : -1)).filter((i) => i >= 0)
  if (diff.length === 0) throw new ValueError('checkGrads: no float arguments to differentiate')
  const flat: FlatFn = {
    fn: (...xs: NdArray[]) => {
      const full: unknown[] = [...leaves]
      diff.forEach((i, k) => {
        full[i] = xs[k]
      })
      return outLeaves(f(...(unflatten(def, full) as unknown as A)))
    },
    labels: diff.map((i) => labels[i] as string),
  }
  const xs = diff.map((i) => leaves[i] as NdArray)
  const base = defaultTolerance(xs.map((x): DType => x.dtype))
  const tol: Tolerance = { atol: opts.atol ?? base.atol, rtol: opts.rtol ?? base.rtol, eps: opts.eps ?? base.eps }
  let k = key(opts.seed ?? 0)
  const ctx: Ctx = {
    tol,
    modes,
    nextKey: () => {
      const [a, b] = split(k)
      k = a as PRNGKey
      return b as PRNGKey
    },
  }
  recurse(flat, xs, order, ctx, '')
}

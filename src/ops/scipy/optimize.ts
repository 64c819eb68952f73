/**
 * `scipy.optimize` as JAX has it (`jax.scipy.optimize.minimize` with method 'BFGS'): the
 * gradient comes from `valueAndGrad`, and both the BFGS iteration and its line search are
 * `lax.whileLoop`s, so `minimize` runs eagerly, under `jit` and under `vmap`.
 *
 * @category scipy
 * @since 0.3.0
 */
import { DTypeError, ShapeError, ValueError } from '../../ndarray/errors'
import { isFloat } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { valueAndGrad } from '../../transforms/grad'
import { asArray, type ArrayLike } from '../convert'
import { whileLoop } from '../control/loops'
import * as E from '../elementwise'
import { abs, isfinite, neg, sqrt, square } from '../unary'
import { astype } from '../layout'
import { eye } from '../../ndarray/create'
import { dot, matmul, outer, transpose } from '../linalg'
import { max, sum } from '../reduce'

/** Options of {@link minimize}'s BFGS method (JAX's names). @category scipy @since 0.3.0 */
export interface BfgsOptions {
  /** The most BFGS iterations. @defaultValue 200 · x0.size */
  readonly maxiter?: number
  /** Stop when the gradient's infinity norm falls below this. @defaultValue 1e-5 (or `tol`) */
  readonly gtol?: number
  /** The most line-search iterations per step. @defaultValue 10 */
  readonly lineSearchMaxiter?: number
}

/** Options of {@link minimize}. @category scipy @since 0.3.0 */
export interface MinimizeOptions {
  /** 'BFGS' (any case); the only method. */
  readonly method: string
  /** The gradient tolerance when `options.gtol` is not given. */
  readonly tol?: number | null
  /** The method's options. */
  readonly options?: BfgsOptions
}

/**
 * What {@link minimize} returns (JAX's `OptimizeResults`). `status`: 0 converged, 1 the
 * iteration limit was reached, 3 the line search failed.
 * @category scipy @since 0.3.0
 */
export interface OptimizeResults {
  /** The final point. */
  readonly x: NdArray
  /** Converged and no line search failed (a bool scalar). */
  readonly success: NdArray
  /** The solver's return code (int32). */
  readonly status: NdArray
  /** The objective at `x`. */
  readonly fun: NdArray
  /** The gradient at `x`. */
  readonly jac: NdArray
  /** The final inverse-Hessian estimate. */
  readonly hess_inv: NdArray
  /** Objective evaluations. */
  readonly nfev: NdArray
  /** Gradient evaluations. */
  readonly njev: NdArray
  /** BFGS iterations. */
  readonly nit: NdArray
}

const RESULT_FIELDS = ['x', 'success', 'status', 'fun', 'jac', 'hess_inv', 'nfev', 'njev', 'nit'] as const

/**
 * Makes an {@link OptimizeResults} record (JAX's named tuple `OptimizeResults(x, success, status,
 * fun, jac, hess_inv, nfev, njev, nit)`): every field is required and must be an array; the
 * record is frozen, with the fields in JAX's order.
 * @example
 * import { scipy, array } from 'wengert'
 * const z = array(0)
 * const r = scipy.optimize.OptimizeResults({ x: array([1]), success: array(true), status: z, fun: z,
 *   jac: array([0]), hess_inv: array([[1]]), nfev: z, njev: z, nit: z })
 * assert.deepStrictEqual(Object.keys(r), ['x', 'success', 'status', 'fun', 'jac', 'hess_inv', 'nfev', 'njev', 'nit'])
 * @category scipy @since 0.7.0
 */
export const OptimizeResults = (fields: OptimizeResults): OptimizeResults => {
  const given = Object.keys(fields ?? {})
  const unknown = given.filter((k) => !(RESULT_FIELDS as readonly string[]).includes(k))
  if (unknown.length > 0)
    throw new ValueError(
      `OptimizeResults: unexpected field(s) ${unknown.join(', ')}; expected ${RESULT_FIELDS.join(', ')}`,
    )
  const out: Record<string, NdArray> = {}
  for (const k of RESULT_FIELDS) {
    const v = (fields as unknown as Record<string, unknown>)[k]
    if (v === undefined) throw new ValueError(`OptimizeResults: missing required field '${k}'`)
    if (!(v instanceof NdArray))
      throw new ValueError(`OptimizeResults: field '${k}' must be an array, got ${v === null ? 'null' : typeof v}`)
    out[k] = v
  }
  return Object.freeze(out) as unknown as OptimizeResults
}

type ValueGrad = (x: NdArray) => [NdArray, NdArray]

interface LineResult {
  readonly a: NdArray
  readonly f: NdArray
  readonly g: NdArray
  readonly failed: NdArray
  readonly nfev: NdArray
}

interface LineState {
  readonly a: NdArray
  readonly lo: NdArray
  readonly fLo: NdArray
  readonly gLo: NdArray
  readonly hi: NdArray
  readonly done: NdArray
  readonly fDone: NdArray
  readonly gDone: NdArray
  readonly i: NdArray
}

const C1 = 1e-4
const C2 = 0.9

/**
 * A step length along `p` meeting the strong Wolfe conditions (Nocedal & Wright 2006, §3.5):
 * from the first trial `min(1, 1.01 · 2(f − f_prev)/∇f·p)` (their eq. 3.60) the interval
 * [lo, hi] is grown by doubling until it brackets such a step, then halved.
 * Without one after `maxiter` trials the last step that decreased `f` enough is taken; with
 * none the search has failed.
 */
const lineSearch = (
  vg: ValueGrad,
  x: NdArray,
  p: NdArray,
  [f0, g0, fPrev]: readonly [NdArray, NdArray, NdArray],
  maxiter: number,
): LineResult => {
  const d0 = dot(g0, p)
  const zero = E.mul(f0, 0)
  // the first trial: the step at which the model with the last decrease f_prev − f0 reaches it (SciPy's guess)
  const guess = E.div(E.mul(2.02, E.sub(f0, fPrev)), d0)
  const init: LineState = {
    a: E.where(E.logicalAnd(isfinite(guess), E.greater(guess, 0)), E.minimum(guess, 1), E.add(zero, 1)),
    lo: zero,
    fLo: f0,
    gLo: g0,
    hi: E.add(zero, Infinity),
    done: E.less(zero, zero),
    fDone: f0,
    gDone: g0,
    i: asArray('minimize', 0, 'int32'),
  }
  const step = (s: LineState): LineState => {
    const [fa, ga] = vg(E.add(x, E.mul(s.a, p)))
    const da = dot(ga, p)
    const tooHigh = E.logicalOr(E.greater(fa, E.add(f0, E.mul(C1, E.mul(s.a, d0)))), E.greaterEqual(fa, s.fLo))
    const wolfe = E.logicalAnd(E.logicalNot(tooHigh), E.lessEqual(abs(da), E.mul(-C2, d0)))
    const advance = E.logicalAnd(E.logicalNot(tooHigh), E.logicalNot(wolfe))
    // a step past the minimiser along p: the old lo becomes the far end of the bracket
    const flip = E.logicalAnd(advance, E.greaterEqual(E.mul(da, E.sub(s.hi, s.lo)), 0))
    const hi = E.where(tooHigh, s.a, E.where(flip, s.lo, s.hi))
    const lo = E.where(advance, s.a, s.lo)
    const bracketed = isfinite(hi)
    const next = E.where(bracketed, E.mul(0.5, E.add(lo, hi)), E.mul(2, s.a))
    return {
      a: E.where(wolfe, s.a, next),
      lo,
      fLo: E.where(advance, fa, s.fLo),
      gLo: E.where(advance, ga, s.gLo),
      hi,
      done: wolfe,
      fDone: fa,
      gDone: ga,
      i: E.add(s.i, 1),
    }
  }
  const out = whileLoop((s: LineState) => E.logicalAnd(E.logicalNot(s.done), E.less(s.i, maxiter)), step, init)
  const found = E.logicalOr(out.done, E.greater(out.lo, 0))
  return {
    a: E.where(out.done, out.a, out.lo),
    f: E.where(out.done, out.fDone, out.fLo),
    g: E.where(out.done, out.gDone, out.gLo),
    failed: E.logicalNot(found),
    nfev: out.i,
  }
}

interface BfgsState {
  readonly converged: NdArray
  readonly failed: NdArray
  readonly k: NdArray
  readonly nfev: NdArray
  readonly x: NdArray
  readonly f: NdArray
  readonly g: NdArray
  readonly H: NdArray
  readonly fPrev: NdArray
}

/** BFGS (Nocedal & Wright 2006, Algorithm 6.1) with the inverse-Hessian update; a step whose yᵀs is not positive keeps H. */
const bfgs = (vg: ValueGrad, x0: NdArray, maxiter: number, gtol: number, lsMaxiter: number): BfgsState => {
  const n = x0.shape[0] as number
  const [f0, g0] = vg(x0)
  const small = (g: NdArray): NdArray => E.less(max(abs(g)), gtol)
  const i32 = (v: number): NdArray => asArray('minimize', v, 'int32')
  const init: BfgsState = {
    converged: small(g0),
    failed: E.notEqual(f0, f0),
    k: i32(0),
    nfev: i32(1),
    x: x0,
    f: f0,
    g: g0,
    H: eye(n, { dtype: x0.dtype }),
    fPrev: E.add(f0, E.div(sqrt(sum(square(g0))), 2)),
  }
  const body = (s: BfgsState): BfgsState => {
    const p = neg(matmul(s.H, s.g))
    const ls = lineSearch(vg, s.x, p, [s.f, s.g, s.fPrev], lsMaxiter)
    const sk = E.mul(ls.a, p)
    const yk = E.sub(ls.g, s.g)
    const rho = E.div(1, dot(yk, sk))
    const w = E.sub(eye(n, { dtype: x0.dtype }), E.mul(rho, outer(sk, yk)))
    const hNext = E.add(matmul(matmul(w, s.H), transpose(w)), E.mul(rho, outer(sk, sk)))
    const update = E.logicalAnd(isfinite(rho), E.greater(rho, 0))
    return {
      converged: small(ls.g),
      failed: ls.failed,
      k: E.add(s.k, 1),
      nfev: E.add(s.nfev, ls.nfev),
      x: E.where(ls.failed, s.x, E.add(s.x, sk)),
      f: E.where(ls.failed, s.f, ls.f),
      g: E.where(ls.failed, s.g, ls.g),
      H: E.where(update, hNext, s.H),
      fPrev: s.f,
    }
  }
  return whileLoop(
    (s: BfgsState) =>
      E.logicalAnd(E.logicalAnd(E.logicalNot(s.converged), E.logicalNot(s.failed)), E.less(s.k, maxiter)),
    body,
    init,
  )
}

/**
 * Minimises a scalar function of a 1-D array (JAX's `scipy.optimize.minimize(fun, x0, args,
 * method='BFGS', tol, options)`): `fun(x, ...args)` is differentiated by `valueAndGrad`.
 * @example
 * import { scipy, array, sum, square, sub, type NdArray } from 'wengert'
 * const f = (x: NdArray) => sum(square(sub(x, array([1, -2], { dtype: 'float64' }))))
 * const r = scipy.optimize.minimize(f, array([0, 0], { dtype: 'float64' }), [], { method: 'BFGS' })
 * assert.ok(r.success.item())
 * const [, x1] = r.x.toArray() as number[]
 * assert.ok(Math.abs(Number(x1) + 2) < 1e-6)
 * @category scipy
 * @since 0.3.0
 */
export const minimize = <A extends unknown[]>(
  fun: (x: NdArray, ...args: A) => NdArray,
  x0: ArrayLike,
  args: A,
  options: MinimizeOptions,
): OptimizeResults => {
  if (!Array.isArray(args))
    throw new ValueError(`args argument to scipy.optimize.minimize must be an array (a tuple), got ${typeof args}`)
  if (typeof options?.method !== 'string' || options.method.toLowerCase() !== 'bfgs')
    throw new ValueError(`Method ${String(options?.method)} not recognized (scipy.optimize.minimize supports 'BFGS')`)
  const x = asArray('scipy.optimize.minimize', x0)
  if (x.ndim !== 1) throw new ShapeError(`scipy.optimize.minimize: x0 must be 1-D, got shape [${x.shape.join(', ')}]`)
  if (!isFloat(x.dtype)) throw new DTypeError(`scipy.optimize.minimize: x0 must be a float array, got ${x.dtype}`)
  const o = options.options ?? {}
  const known = ['maxiter', 'gtol', 'lineSearchMaxiter']
  const unknown = Object.keys(o).filter((k) => !known.includes(k))
  if (unknown.length > 0)
    throw new ValueError(
      `scipy.optimize.minimize: BFGS has no option ${unknown.join(', ')} (options: ${known.join(', ')})`,
    )
  const vg = valueAndGrad((z: NdArray) => fun(z, ...args)) as unknown as ValueGrad
  const s = bfgs(vg, x, o.maxiter ?? 200 * x.size, o.gtol ?? options.tol ?? 1e-5, o.lineSearchMaxiter ?? 10)
  const status = E.where(
    s.converged,
    0,
    E.where(s.failed, 3, E.where(E.greaterEqual(s.k, o.maxiter ?? 200 * x.size), 1, -1)),
  )
  return OptimizeResults({
    x: s.x,
    success: E.logicalAnd(s.converged, E.logicalNot(s.failed)),
    status: astype(status, 'int32'),
    fun: s.f,
    jac: s.g,
    hess_inv: s.H,
    nfev: s.nfev,
    njev: s.nfev,
    nit: s.k,
  })
}

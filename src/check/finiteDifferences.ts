/**
 * Central finite differences and the comparisons built on them. One implementation serves both
 * {@link checkGrads} and the laws of `wengert/laws`, so the two cannot disagree.
 *
 * Everything here works on concrete values in float64 arithmetic (whatever the arrays' dtypes)
 * and never differentiates through itself: it is the numerical side of each check.
 *
 * @category laws
 * @since 0.1.0
 */
import { isFloat, type DType } from '../ndarray/dtype'
import { requireFunction, requireList, requireNdArrayList } from '../internal/args'
import { ValueError, fmtShape } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { flatten, unflatten } from '../tree'
import { concrete } from '../core/trace'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * How close a computed derivative must be to its reference: `|got − expected| ≤ atol + rtol·scale`,
 * where `scale` is `|expected|` for element-wise comparisons and the sum of the absolute terms
 * for inner products (so cancellation in a dot product does not make the test stricter).
 *
 * @category laws
 * @since 0.1.0
 */
export interface Tolerance {
  /** Absolute tolerance. */
  readonly atol: number
  /** Relative tolerance. */
  readonly rtol: number
  /** Base step of central differences; the actual step is scaled (see {@link numericalJvp}). */
  readonly eps: number
}

/** Options of the finite-difference helpers. @category laws @since 0.1.0 */
export interface FiniteDifferenceOptions {
  /**
   * Base step. Default: {@link defaultTolerance} of the inputs' dtypes (`1e-6` in float64, as
   * autograd's `EPS`; `1e-3` in float32).
   */
  readonly eps?: number
}

/** The worst element of a comparison, as {@link worstMismatch} finds it. @category laws @since 0.1.0 */
export interface Mismatch {
  /** Which array of the compared lists (output leaf, argument). */
  readonly array: number
  /** Flat index of the element in that array. */
  readonly flat: number
  /** Multi-index of the element. */
  readonly index: ReadonlyArray<number>
  /** The reference value (finite differences, or the other mode). */
  readonly expected: number
  /** The value under test. */
  readonly got: number
  /** `|got − expected|`. */
  readonly error: number
  /** The allowed error for this element (`atol + rtol·|expected|`). */
  readonly allowed: number
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * Default tolerances by dtype. float64 starts from autograd's constants (`EPS = TOL = RTOL =
 * 1e-6`); float32 uses a larger step (rounding error grows like ulp/eps) and JAX's float32
 * gradient tolerance.
 *
 * @example
 * import { defaultTolerance } from 'wengert'
 * assert.deepStrictEqual(defaultTolerance(['float64']), { atol: 1e-6, rtol: 1e-6, eps: 1e-6 })
 * assert.strictEqual(defaultTolerance(['float64', 'float32']).eps, 1e-3)
 * @category laws
 * @since 0.1.0
 */
export const defaultTolerance = (dtypes: ReadonlyArray<DType>): Tolerance =>
  requireList('defaultTolerance', 'dtypes', dtypes, 'dtype names').includes('float32')
    ? { atol: 1e-2, rtol: 1e-2, eps: 1e-3 }
    : { atol: 1e-6, rtol: 1e-6, eps: 1e-6 }

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** The data of an array as float64 numbers (a copy). */
const values = (x: NdArray): Float64Array => Float64Array.from(concrete(x)._data)

/** The largest absolute element (0 for empty arrays; NaN-ignoring). */
const maxAbs = (xs: ReadonlyArray<NdArray>): number => {
  let m = 0
  for (const x of xs) {
    const d = concrete(x)._data
    for (let i = 0; i < d.length; i++) {
      const a = Math.abs(d[i] as number)
      if (a > m) m = a
    }
  }
  return m
}

/** A new array of `like`'s shape and dtype holding `data` (rounded to the dtype). */
const withData = (
  like: { readonly shape: ReadonlyArray<number>; readonly dtype: DType },
  data: Float64Array,
): NdArray => {
  switch (like.dtype) {
    case 'float64':
      return new NdArray(like.shape, 'float64', data)
    case 'float32':
      return new NdArray(like.shape, 'float32', Float32Array.from(data))
    default:
      // a difference quotient of an integer or bool output is a float quantity
      return new NdArray(like.shape, 'float64', data)
  }
}

/** The multi-index of flat index `flat` in `shape` (row-major). */
export const unravelIndex = (flat: number, shape: ReadonlyArray<number>): number[] => {
  const out = new Array<number>(shape.length)
  let r = flat
  for (let a = shape.length - 1; a >= 0; a--) {
    const d = shape[a] as number
    out[a] = d === 0 ? 0 : r % d
    r = d === 0 ? 0 : Math.floor(r / d)
  }
  return out
}

const asLeaves = (op: string, out: unknown): [NdArray[], ReturnType<typeof flatten>[1]] => {
  const [leaves, def] = flatten(out)
  return [
    leaves.map((l, i) => {
      if (l instanceof NdArray) return concrete(l)
      if (typeof l === 'number') return new NdArray([], 'float64', Float64Array.of(l))
      throw new ValueError(`${op}: output leaf ${i} must be an array or a number, got ${typeof l}`)
    }),
    def,
  ]
}

const checkArgs = (
  op: string,
  primals: ReadonlyArray<NdArray>,
  directions: ReadonlyArray<NdArray>,
  what: string,
): void => {
  if (primals.length !== directions.length) {
    throw new ValueError(`${op}: expected one ${what} per primal (${primals.length}), got ${directions.length}`)
  }
  primals.forEach((x, i) => {
    const t = directions[i] as NdArray
    if (x.shape.length !== t.shape.length || x.shape.some((d, a) => d !== t.shape[a])) {
      throw new ValueError(
        `${op}: primal ${i} has shape ${fmtShape(x.shape)} but its ${what} has shape ${fmtShape(t.shape)}`,
      )
    }
  })
}

/** `x + h·(t / norm)` element-wise, in x's dtype (integer and bool primals are held fixed). */
const axpy = (x: NdArray, h: number, t: NdArray, norm: number): NdArray => {
  if (!isFloat(x.dtype)) return x
  const xv = values(x)
  const tv = concrete(t)._data
  for (let i = 0; i < xv.length; i++) xv[i] = (xv[i] as number) + h * ((tv[i] as number) / norm)
  return withData(x, xv)
}

/**
 * The float64 inner product `Σ aᵢ·bᵢ` over lists of arrays, with `Σ |aᵢ·bᵢ|` (the scale against
 * which its rounding and truncation errors are measured): the two sides of a dot-product test.
 *
 * @example
 * import { innerProduct, array } from 'wengert'
 * const ip = innerProduct([array([1, -2], { dtype: 'float64' })], [array([3, 4], { dtype: 'float64' })])
 * assert.strictEqual(ip.value, -5)
 * assert.strictEqual(ip.scale, 11)
 * @category laws
 * @since 0.1.0
 */
export const innerProduct = (
  a: ReadonlyArray<NdArray>,
  b: ReadonlyArray<NdArray>,
): { readonly value: number; readonly scale: number } => {
  let value = 0
  let scale = 0
  requireNdArrayList('innerProduct', 'a', a)
  requireNdArrayList('innerProduct', 'b', b)
  a.forEach((x, k) => {
    const y = b[k]
    if (y === undefined)
      throw new ValueError(`innerProduct: the lists have different lengths (${a.length} and ${b.length})`)
    const xd = concrete(x)._data
    const yd = concrete(y)._data
    if (xd.length !== yd.length)
      throw new ValueError(`innerProduct: arrays ${k} have sizes ${xd.length} and ${yd.length}`)
    for (let i = 0; i < xd.length; i++) {
      const p = (xd[i] as number) * (yd[i] as number)
      value += p
      scale += Math.abs(p)
    }
  })
  return { value, scale }
}

/**
 * Compares lists of arrays element by element and returns the element that exceeds its allowed
 * error by the largest factor, or undefined when all are within `atol + rtol·|expected|`.
 * NaN against NaN counts as equal; NaN against a number is a mismatch.
 *
 * @example
 * import { worstMismatch, array } from 'wengert'
 * const expected = [array([1, 2, 3], { dtype: 'float64' })]
 * const got = [array([1, 2.5, 3], { dtype: 'float64' })]
 * const m = worstMismatch(expected, got, { atol: 1e-6, rtol: 1e-6 })
 * assert.deepStrictEqual(m?.index, [1])
 * assert.strictEqual(m?.got, 2.5)
 * assert.strictEqual(worstMismatch(expected, expected, { atol: 0, rtol: 0 }), undefined)
 * @category laws
 * @since 0.1.0
 */
export const worstMismatch = (
  expected: ReadonlyArray<NdArray>,
  got: ReadonlyArray<NdArray>,
  tol: Pick<Tolerance, 'atol' | 'rtol'>,
): Mismatch | undefined => {
  let worst: Mismatch | undefined
  let worstRatio = 1
  requireNdArrayList('worstMismatch', 'expected', expected)
  requireNdArrayList('worstMismatch', 'got', got)
  expected.forEach((e, k) => {
    const g = got[k]
    if (g === undefined) throw new ValueError(`worstMismatch: expected ${expected.length} arrays, got ${got.length}`)
    const ed = concrete(e)._data
    const gd = concrete(g)._data
    if (ed.length !== gd.length || e.shape.length !== g.shape.length || e.shape.some((d, a) => d !== g.shape[a])) {
      throw new ValueError(
        `worstMismatch: array ${k} has shape ${fmtShape(g.shape)} but ${fmtShape(e.shape)} was expected`,
      )
    }
    for (let i = 0; i < ed.length; i++) {
      const ev = ed[i] as number
      const gv = gd[i] as number
      if (Number.isNaN(ev) && Number.isNaN(gv)) continue
      const error = ev === gv ? 0 : Math.abs(gv - ev)
      const allowed = tol.atol + tol.rtol * Math.abs(ev)
      const ratio = Number.isNaN(error) ? Infinity : error / allowed
      if (ratio > worstRatio || (Number.isNaN(error) && worst === undefined)) {
        worstRatio = ratio
        worst = { array: k, flat: i, index: unravelIndex(i, e.shape), expected: ev, got: gv, error, allowed }
      }
    }
  })
  return worst
}

// -------------------------------------------------------------------------------------
// finite differences
// -------------------------------------------------------------------------------------

/**
 * The step of a directional central difference along a unit direction (‖u‖∞ = 1):
 * `eps·max(1, ‖x‖∞)`, relative to the primals' size (and absolute for small primals).
 */
export const directionalStep = (primals: ReadonlyArray<NdArray>, eps: number): number =>
  eps * Math.max(1, maxAbs(primals.filter((x) => isFloat(x.dtype))))

/**
 * A Jacobian-vector product by central differences: with `u = t / ‖t‖∞` and the step `h` of
 * `directionalStep`, `‖t‖∞ · (f(x + h·u) − f(x − h·u)) / 2h`. (Normalising first keeps the
 * step sensible for tiny or huge tangents.) `f` may return any pytree of arrays; the result has
 * its structure. Integer and bool primals are held fixed.
 *
 * @example
 * import { numericalJvp, array, sin } from 'wengert'
 * const x = array([0, 1], { dtype: 'float64' })
 * const t = array([1, 2], { dtype: 'float64' })
 * const yDot = numericalJvp(sin, [x], [t])
 * assert.ok(Math.abs((yDot.toArray() as number[])[1] - 2 * Math.cos(1)) < 1e-8)
 * @category laws
 * @since 0.1.0
 */
export const numericalJvp = <R>(
  f: (...args: NdArray[]) => R,
  primals: ReadonlyArray<NdArray>,
  tangents: ReadonlyArray<NdArray>,
  opts: FiniteDifferenceOptions = {},
): R => {
  requireFunction('numericalJvp', 'f', f)
  requireNdArrayList('numericalJvp', 'primals', primals)
  checkArgs('numericalJvp', primals, requireNdArrayList('numericalJvp', 'tangents', tangents), 'tangent')
  const eps = opts.eps ?? defaultTolerance(primals.map((x) => x.dtype)).eps
  const norm = maxAbs(tangents.filter((_, i) => isFloat((primals[i] as NdArray).dtype)))
  const h = directionalStep(primals, eps)
  // a zero tangent moves nothing: the difference is exactly zero
  const s = norm === 0 ? 0 : h
  const n = norm === 0 ? 1 : norm
  const [plus, def] = asLeaves('numericalJvp', f(...primals.map((x, i) => axpy(x, s, tangents[i] as NdArray, n))))
  const [minus] = asLeaves('numericalJvp', f(...primals.map((x, i) => axpy(x, -s, tangents[i] as NdArray, n))))
  const out = plus.map((p, k) => {
    const m = minus[k] as NdArray
    const pv = values(p)
    const mv = values(m)
    for (let i = 0; i < pv.length; i++)
      pv[i] = norm === 0 ? 0 : (((pv[i] as number) - (mv[i] as number)) / (2 * h)) * norm
    return withData(p, pv)
  })
  return unflatten(def, out) as R
}

/** Calls `g(k, h)` once per element of the float primals, with `h` the element's own step. */
const perElement = (
  primals: ReadonlyArray<NdArray>,
  eps: number,
  only: number | undefined,
  g: (arg: number, flat: number, plus: ReadonlyArray<NdArray>, minus: ReadonlyArray<NdArray>, h: number) => void,
): void => {
  primals.forEach((x, a) => {
    if (!isFloat(x.dtype) || (only !== undefined && a !== only)) return
    const xv = values(x)
    for (let i = 0; i < xv.length; i++) {
      const v = xv[i] as number
      const h = eps * Math.max(1, Math.abs(v))
      const up = Float64Array.from(xv)
      const down = Float64Array.from(xv)
      up[i] = v + h
      down[i] = v - h
      const plus = primals.map((p, b) => (b === a ? withData(x, up) : p))
      const minus = primals.map((p, b) => (b === a ? withData(x, down) : p))
      g(a, i, plus, minus, h)
    }
  })
}

/**
 * The Jacobian of `f` with respect to argument `argnum` by central differences, one pair of
 * evaluations per input element (step `eps·max(1, |xᵢ|)`). Shape `out.shape ++ x.shape`, as
 * `jacfwd(f)` gives.
 *
 * @example
 * import { numericalJacobian, array, mul } from 'wengert'
 * const J = numericalJacobian((x, y) => mul(x, y), [array([1, 2], { dtype: 'float64' }), array([3, 4], { dtype: 'float64' })], { argnum: 1 })
 * assert.deepStrictEqual(J.shape, [2, 2])
 * const rows = J.toArray() as number[][]
 * assert.ok(Math.abs(rows[1]![1]! - 2) < 1e-8 && Math.abs(rows[0]![1]!) < 1e-12)
 * @category laws
 * @since 0.1.0
 */
export const numericalJacobian = (
  f: (...args: NdArray[]) => NdArray,
  primals: ReadonlyArray<NdArray>,
  opts: FiniteDifferenceOptions & { readonly argnum?: number } = {},
): NdArray => {
  requireFunction('numericalJacobian', 'f', f)
  requireNdArrayList('numericalJacobian', 'primals', primals)
  const argnum = opts.argnum ?? 0
  const x = primals[argnum]
  if (x === undefined)
    throw new ValueError(`numericalJacobian: argnum ${argnum} is out of range for ${primals.length} arguments`)
  if (!isFloat(x.dtype))
    throw new ValueError(
      `numericalJacobian: argument ${argnum} has dtype ${x.dtype}; only float arguments can be perturbed`,
    )
  const eps = opts.eps ?? defaultTolerance(primals.map((p) => p.dtype)).eps
  const out = concrete(f(...primals))
  const n = x.size
  const m = out.size
  const jac = new Float64Array(m * n)
  perElement(primals, eps, argnum, (_, i, plus, minus, h) => {
    const pv = concrete(f(...plus))._data
    const mv = concrete(f(...minus))._data
    for (let o = 0; o < m; o++) jac[o * n + i] = ((pv[o] as number) - (mv[o] as number)) / (2 * h)
  })
  return withData({ shape: [...out.shape, ...x.shape], dtype: out.dtype }, jac)
}

/**
 * A vector-Jacobian product by central differences: element i of argument a is
 * `(⟨ȳ, f(x + h·eᵢ)⟩ − ⟨ȳ, f(x − h·eᵢ)⟩) / 2h`. Costs two evaluations per input element, so
 * it suits small inputs (and pinpointing which element of a VJP is wrong). Integer and bool
 * arguments get no entry's worth of work: their result is all zeros.
 *
 * @example
 * import { numericalVjp, array, sum, mul } from 'wengert'
 * const x = array([1, 2, 3], { dtype: 'float64' })
 * const [g] = numericalVjp((x) => sum(mul(x, x)), [x], array(1, { dtype: 'float64' }))
 * assert.ok((g!.toArray() as number[]).every((v, i) => Math.abs(v - 2 * (i + 1)) < 1e-8))
 * @category laws
 * @since 0.1.0
 */
export const numericalVjp = <R>(
  f: (...args: NdArray[]) => R,
  primals: ReadonlyArray<NdArray>,
  cotangent: R,
  opts: FiniteDifferenceOptions = {},
): NdArray[] => {
  requireFunction('numericalVjp', 'f', f)
  requireNdArrayList('numericalVjp', 'primals', primals)
  const eps = opts.eps ?? defaultTolerance(primals.map((p) => p.dtype)).eps
  const [cts] = asLeaves('numericalVjp', cotangent)
  const out = primals.map((x) => new Float64Array(x.size))
  perElement(primals, eps, undefined, (a, i, plus, minus, h) => {
    const [pv] = asLeaves('numericalVjp', f(...plus))
    const [mv] = asLeaves('numericalVjp', f(...minus))
    ;(out[a] as Float64Array)[i] = (innerProduct(cts, pv).value - innerProduct(cts, mv).value) / (2 * h)
  })
  return primals.map((x, a) => withData(x, out[a] as Float64Array))
}

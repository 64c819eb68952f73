/**
 * `lax.customRoot` and `lax.customLinearSolve`: solvers whose derivatives come from implicit
 * differentiation at the solution instead of from differentiating through the solver's
 * iterations (JAX: `jax.lax.custom_root`, `jax.lax.custom_linear_solve`).
 *
 * Each function the user passes (`f`/`matvec`, `solve`, `tangentSolve`/`transposeSolve`) is
 * traced once into a closed sub-program; the outer values it closes over become explicit inputs
 * of a {@link customJvp} call, so derivatives flow to exactly the closed-over parameters of `f`
 * (of `matvec`), never through `solve`. The rules (implicit function theorem, e.g. Krantz &
 * Parks, "The Implicit Function Theorem", 2002, Thm 3.3.1; for the linear case
 * A x = b ⇒ ∂x = A⁻¹(∂b − ∂A·x), x̄ ↦ b̄ = A⁻ᵀ x̄):
 *
 * - root u*(θ) of F(θ, u) = 0: ∂u* = −(∂ᵤF)⁻¹ ∂_θF·∂θ, the inverse applied by `tangentSolve`;
 * - linear solve: the tangent is one more solve, and its transpose (reverse mode) is
 *   `transposeSolve` applied to `vecmat`, the transpose of `matvec` computed by reverse mode.
 *
 * @category ops
 * @since 0.3.0
 */
import { DTypeError, ShapeError, TreeMismatchError, ValueError, fmtShape } from '../../ndarray/errors'
import { isFloat } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { shapesEqual } from '../../ndarray/shape'
import { apply, traceClosed, type Closed } from '../../core/subprogram'
import { neg, stopGradient, sub, zerosLike } from '../../core/lax'
import { describe, flatten, unflatten, type TreeDef } from '../../tree'
import { checkFn } from '../../transforms/common'
import { customJvp, customVjp } from '../../transforms/custom'
import { jvp } from '../../transforms/jvp'
import { vjp } from '../../transforms/vjp'
import { leafArray } from './scan'

/** A pytree's array leaves and structure. */
interface Flat {
  readonly leaves: NdArray[]
  readonly def: TreeDef
}

const flat = (op: string, x: unknown, where: string): Flat => {
  const [ls, def] = flatten(x)
  return { leaves: ls.map((l, i) => leafArray(op, l, `${where} leaf ${i}`)), def }
}

const typeStr = (x: NdArray): string => `${x.dtype}${fmtShape(x.shape)}`

/** Checks a traced function's output against the structure and avals of `like` (JAX's text). */
const checkTree = (op: string, fn: string, expected: string, out: Flat, like: Flat): void => {
  if (describe(out.def) !== describe(like.def))
    throw new TreeMismatchError(
      `${op}: ${fn}() output pytree structure must match ${expected}, got ${describe(out.def)} and ${describe(like.def)}.`,
    )
  out.leaves.forEach((y, i) => {
    const x = like.leaves[i] as NdArray
    if (!shapesEqual(x.shape, y.shape))
      throw new ShapeError(
        `${op}: ${fn}() output shapes must match ${expected}, got ${typeStr(y)} and ${typeStr(x)} at leaf ${i}`,
      )
    if (x.dtype !== y.dtype)
      throw new DTypeError(`${op}: ${fn}() output dtypes must match ${expected}, got ${typeStr(y)} and ${typeStr(x)}`)
  })
}

/** Splits a `hasAux` result `[value, aux]` (JAX's text when it is not a pair). */
const splitAux = (op: string, fn: string, r: unknown, hasAux: boolean): readonly [unknown, unknown] => {
  if (!hasAux) return [r, undefined]
  if (!Array.isArray(r) || r.length !== 2)
    throw new ValueError(
      `${op}: ${fn}() produced a pytree with structure ${describe(flatten(r)[1])}, but a pytree tuple with auxiliary output was expected because has_aux was set to True.`,
    )
  return [r[0], r[1]]
}

/** A traced function of one pytree shaped like `like`, as a function of that pytree again. */
const asFn =
  (closed: Closed, like: Flat, consts: ReadonlyArray<NdArray> = closed.consts) =>
  (x: unknown): unknown =>
    unflatten(like.def, apply(closed.tape, [...consts, ...flat('apply', x, 'argument').leaves]))

/** Traces `fn(tree)` for the pytree `like`, checking its output against `like`. */
const traceLike = (op: string, name: string, expected: string, fn: (x: unknown) => unknown, like: Flat): Closed =>
  traceClosed((xs) => {
    const out = flat(op, fn(unflatten(like.def, xs)), `${name} output`)
    checkTree(op, name, expected, out, like)
    return out.leaves
  }, like.leaves)

/** The float leaves' indices of `xs` (the ones a tangent can flow through). */
const floatIndices = (xs: ReadonlyArray<NdArray>): number[] => xs.flatMap((x, i) => (isFloat(x.dtype) ? [i] : []))

/**
 * The tangent of a traced function at `at` due to tangents `dConsts` of its consts alone
 * (∂_θF·∂θ): forward mode over the float consts, the arguments held fixed.
 */
const constTangent = (
  closed: Closed,
  consts: ReadonlyArray<NdArray>,
  dConsts: ReadonlyArray<NdArray>,
  at: ReadonlyArray<NdArray>,
): NdArray[] => {
  const idx = floatIndices(consts)
  if (idx.length === 0) return apply(closed.tape, [...consts, ...at]).map((y) => zerosLike(y))
  const g = (...cs: NdArray[]): NdArray[] => {
    const all = [...consts]
    idx.forEach((k, j) => {
      all[k] = cs[j] as NdArray
    })
    return apply(closed.tape, [...all, ...at])
  }
  return jvp(
    g,
    idx.map((k) => consts[k] as NdArray),
    idx.map((k) => dConsts[k] as NdArray),
  )[1]
}

/** Aux output computed without derivatives (a second run of the solver on constant inputs). */
const auxOf = (closed: Closed, inputs: ReadonlyArray<NdArray>, nOut: number, def: TreeDef | undefined): unknown => {
  const outs = apply(
    closed.tape,
    [...closed.consts, ...inputs].map((x) => stopGradient(x)),
  )
  return def === undefined ? undefined : unflatten(def, outs.slice(nOut))
}

/** Traces a `hasAux` solver, returning its program (solution leaves, then aux leaves) and aux structure. */
const traceSolver = (
  op: string,
  name: string,
  expected: string,
  run: (x: unknown) => unknown,
  like: Flat,
  hasAux: boolean,
): { readonly closed: Closed; readonly auxDef: TreeDef | undefined } => {
  let auxDef: TreeDef | undefined
  const closed = traceClosed((xs) => {
    const [value, aux] = splitAux(op, name, run(unflatten(like.def, xs)), hasAux)
    const out = flat(op, value, `${name} output`)
    checkTree(op, name, expected, out, like)
    if (!hasAux) return out.leaves
    const a = flat(op, aux, `${name} aux output`)
    auxDef = a.def
    return [...out.leaves, ...a.leaves]
  }, like.leaves)
  return { closed, auxDef }
}

/** Options of {@link customRoot} and {@link customLinearSolve}. */
export interface SolveAuxOptions {
  /** `solve` (and `transposeSolve`) return `[solution, aux]`; aux carries no derivative. Default false. */
  readonly hasAux?: boolean
}

/**
 * Differentiably solves `f(x) = 0` (JAX: `jax.lax.custom_root(f, initial_guess, solve,
 * tangent_solve, has_aux)`): returns `solve(f, initialGuess)` with derivatives with respect to the
 * values `f` closes over given by the implicit function theorem at the solution. `tangentSolve(g,
 * y)` must return `x` with `g(x) = y` for the linear map `g` (f linearized at its root): for a
 * scalar, `(g, y) => div(y, g(1))`.
 *
 * @example
 * import { lax, grad, array, sub, mul, div, square, type NdArray } from 'wengert'
 * // √a as the root of x² − a, found by Newton's method; d√a/da = 1 / (2√a)
 * const sqrtOf = (a: NdArray) =>
 *   lax.customRoot(
 *     (x) => sub(square(x as NdArray), a),
 *     array(1, { dtype: 'float64' }),
 *     (f, x0) => lax.foriLoop(0, 30, (_i, x: NdArray) => sub(x, div(f(x) as NdArray, mul(x, 2))), x0 as NdArray),
 *     (g, y) => div(y as NdArray, g(array(1, { dtype: 'float64' })) as NdArray),
 *   ) as NdArray
 * const d = grad(sqrtOf)(array(4, { dtype: 'float64' }))
 * assert.ok(Math.abs((d.item() as number) - 0.25) < 1e-12)
 * @category ops
 * @since 0.3.0
 */
export const customRoot = (
  f: (x: unknown) => unknown,
  initialGuess: unknown,
  solve: (f: (x: unknown) => unknown, initialGuess: unknown) => unknown,
  tangentSolve: (g: (x: unknown) => unknown, y: unknown) => unknown,
  options: SolveAuxOptions = {},
): unknown => {
  const op = 'custom_root'
  ;[f, solve, tangentSolve].forEach((fn) => checkFn(op, fn))
  const hasAux = options.hasAux === true
  const guess = flat(op, initialGuess, 'initial_guess')
  const fC = traceLike(op, 'f', 'initial_guess', f, guess)
  const solveT = traceSolver(op, 'solve', 'initial_guess', (x) => solve(asFn(fC, guess), x), guess, hasAux)
  // tangent_solve(f linearized at x, b), traced on (x, b)
  const pair: Flat = { leaves: [...guess.leaves, ...guess.leaves], def: flatten([initialGuess, initialGuess])[1] }
  const lAndS = traceClosed((xs) => {
    const [x, b] = unflatten(pair.def, xs) as [unknown, unknown]
    const g = (v: unknown): unknown => jvp(asFn(fC, guess), [x], [v])[1]
    const out = flat(op, tangentSolve(g, b), 'tangent_solve output')
    checkTree(op, 'tangent_solve', 'x', out, guess)
    return out.leaves
  }, pair.leaves)
  const nF = fC.consts.length
  const nS = solveT.closed.consts.length
  const n = guess.leaves.length
  const run = (consts: ReadonlyArray<NdArray>, x0: ReadonlyArray<NdArray>): NdArray[] =>
    apply(solveT.closed.tape, [...consts.slice(nF, nF + nS), ...x0]).slice(0, n)
  const call = customJvp(
    (consts: NdArray[], x0: NdArray[]) => run(consts, x0),
    ([consts, x0], [dConsts]) => {
      const sol = run(consts, x0)
      const rhs = constTangent(fC, consts.slice(0, nF), dConsts.slice(0, nF), sol)
      const dSol = apply(lAndS.tape, [...consts.slice(nF + nS), ...sol, ...rhs]).map((t) => neg(t))
      return [sol, dSol]
    },
  )
  const sol = unflatten(guess.def, call([...fC.consts, ...solveT.closed.consts, ...lAndS.consts], guess.leaves))
  return hasAux ? [sol, auxOf(solveT.closed, guess.leaves, n, solveT.auxDef)] : sol
}

/** Options of {@link customLinearSolve}. */
export interface CustomLinearSolveOptions extends SolveAuxOptions {
  /** `matvec` is symmetric: `solve` doubles as `transposeSolve` and `vecmat` is `matvec`. Default false. */
  readonly symmetric?: boolean
}

/**
 * A matrix-free linear solve with implicit derivatives (JAX: `jax.lax.custom_linear_solve(matvec,
 * b, solve, transpose_solve=None, symmetric=False, has_aux=False)`): returns `solve(matvec, b)`,
 * differentiated as the solution of `matvec(x) = b` — with respect to `b` and to the values
 * `matvec` closes over — without differentiating `solve`. Reverse mode needs `transposeSolve(vecmat,
 * x)` (or `symmetric: true`), as JAX.
 *
 * @example
 * import { lax, grad, array, matmul, sum, linalg, type NdArray } from 'wengert'
 * const a = array([[2, 1], [1, 3]], { dtype: 'float64' })
 * const solveWith = (b: NdArray) =>
 *   lax.customLinearSolve(
 *     (x) => matmul(a, x as NdArray),
 *     b,
 *     (_mv, rhs) => linalg.solve(a, rhs as NdArray),
 *     null,
 *     { symmetric: true },
 *   ) as NdArray
 * const g = grad((b: NdArray) => sum(solveWith(b)))(array([1, 1], { dtype: 'float64' }))
 * // A⁻ᵀ·1 for A = [[2, 1], [1, 3]]: [0.4, 0.2]
 * assert.ok(Math.abs((g.toArray() as number[])[0]! - 0.4) < 1e-12)
 * @category ops
 * @since 0.3.0
 */
export const customLinearSolve = (
  matvec: (x: unknown) => unknown,
  b: unknown,
  solve: (matvec: (x: unknown) => unknown, b: unknown) => unknown,
  transposeSolve: ((vecmat: (x: unknown) => unknown, b: unknown) => unknown) | null = null,
  options: CustomLinearSolveOptions = {},
): unknown => {
  const op = 'custom_linear_solve'
  checkFn(op, matvec)
  checkFn(op, solve)
  if (transposeSolve !== null) checkFn(op, transposeSolve)
  const hasAux = options.hasAux === true
  const symmetric = options.symmetric === true
  const trSolve = transposeSolve ?? (symmetric ? solve : null)
  const rhs = flat(op, b, 'b')
  const mC = traceLike(op, 'matvec', 'b', matvec, rhs)
  const solveT = traceSolver(op, 'solve', 'b', (x) => solve(asFn(mC, rhs), x), rhs, hasAux)
  const vecmat = (y: unknown): unknown => {
    if (symmetric) return asFn(mC, rhs)(y)
    const [, pull] = vjp((x: unknown) => asFn(mC, rhs)(x), unflatten(rhs.def, rhs.leaves))
    return pull(y as never)[0]
  }
  const trT =
    trSolve === null
      ? undefined
      : traceSolver(op, 'transpose_solve', 'b', (x) => trSolve(vecmat, x), rhs, hasAux).closed
  const nM = mC.consts.length
  const nS = solveT.closed.consts.length
  const n = rhs.leaves.length
  const solveAt = (consts: ReadonlyArray<NdArray>, bs: ReadonlyArray<NdArray>): NdArray[] =>
    apply(solveT.closed.tape, [...consts.slice(nM, nM + nS), ...bs]).slice(0, n)
  // x = A⁻¹b as a function of b alone; its transpose is transpose_solve (JAX's error without one)
  const linear = customVjp(
    (consts: NdArray[], bs: NdArray[]) => solveAt(consts, bs),
    (consts: NdArray[], bs: NdArray[]) => [solveAt(consts, bs), consts] as const,
    (consts: NdArray[], xBar: NdArray[]) => {
      if (trT === undefined)
        throw new ValueError(
          `${op}: transpose_solve required for backwards mode automatic differentiation of custom_linear_solve`,
        )
      const bBar = apply(trT.tape, [...consts.slice(nM + nS), ...xBar]).slice(0, n)
      return [null, bBar]
    },
  )
  const call = customJvp(
    (consts: NdArray[], bs: NdArray[]) => linear(consts, bs),
    ([consts, bs], [dConsts, dbs]) => {
      const x = linear(consts, bs)
      const dA = constTangent(mC, consts.slice(0, nM), dConsts.slice(0, nM), x)
      return [
        x,
        linear(
          consts,
          dbs.map((d, i) => sub(d, dA[i] as NdArray)),
        ),
      ]
    },
  )
  const consts = [...mC.consts, ...solveT.closed.consts, ...(trT?.consts ?? [])]
  const x = unflatten(rhs.def, call(consts, rhs.leaves))
  return hasAux ? [x, auxOf(solveT.closed, rhs.leaves, n, solveT.auxDef)] : x
}

/**
 * ONNX export rule of `expm`: the kernel's scaling and squaring with Padé approximants (Higham
 * 2005, Algorithm 2.3) in float64. The degree and the number of squarings depend on each
 * matrix's 1-norm, so the graph evaluates every candidate — [3/3], [5/5], [7/7], [9/9] of A and
 * [13/13] of A·2⁻ˢ — and picks per matrix with `Where`; the squarings are a `Loop` whose trip
 * count is the largest s of the batch, a squaring applied only to the matrices that need it.
 * Each approximant solves (V − U)·R = V + U by the `lu` and `triangular_solve` rules (partial
 * pivoting, as the kernel's solve). NaN for a matrix holding NaN or ±∞, as the kernel.
 *
 * @category primitives
 * @since 0.2.0
 */
import { DEGREES, padeCoefficients, padeTerms } from '../../ndarray/kernels/linalg/expm'
import type { Aval } from '../equation'
import type { OnnxEmitter, OnnxRule } from '../onnxRule'
import type { NoParams } from '../primitive'
import { identity, luOnnx, narrow, reduceKeep, triangularSolveOnnx, widen } from './onnxLinalg'

/** X with Q·X = P ([..., n, n] float64): `lu` of Q, P's rows permuted, unit-lower then upper substitution. */
const luSolve = (emit: OnnxEmitter, q: string, p: string, mat: Aval): string => {
  const r = mat.shape.length
  const [packed, , perm] = luOnnx({ inputs: [q], avals: [mat], outs: [], params: {}, emit }) as [string, string, string]
  const rowIndex = emit.op('Expand', [
    emit.op('Unsqueeze', [emit.cast(perm, 'int64'), emit.ints([r - 1])]),
    emit.op('Shape', [p]),
  ])
  const rows = emit.op('GatherElements', [p, rowIndex], { axis: { int: r - 2 } })
  const solve = (b: string, lower: boolean): string =>
    triangularSolveOnnx({
      inputs: [packed, b],
      avals: [mat, mat],
      out: mat,
      params: { leftSide: true, lower, transposeA: false, unitDiagonal: lower },
      emit,
    })
  return solve(solve(rows, true), false)
}

/** r_m(A) = (V − U)⁻¹·(V + U) as the kernel evaluates it (degree 13 from A², A⁴, A⁶ only). */
const pade = (emit: OnnxEmitter, a: string, m: number, n: number, mat: Aval): string => {
  const c = padeCoefficients(m)
  const mul = (x: string, y: string): string => emit.op('MatMul', [x, y])
  const eye = identity(emit, n)
  const combo = (coef: ReadonlyArray<number>, mats: ReadonlyArray<string>, c0: number): string => {
    const terms = mats.map((x, k) => emit.op('Mul', [emit.scalar(coef[k] as number, 'float64'), x]))
    const sum = terms.reduce((acc, t) => emit.op('Add', [acc, t]))
    return c0 === 0 ? sum : emit.op('Add', [sum, emit.op('Mul', [emit.scalar(c0, 'float64'), eye])])
  }
  const [u, v] = padeTerms<string>(a, m, c, mul, combo)
  return luSolve(emit, emit.op('Sub', [v, u]), emit.op('Add', [v, u]), mat)
}

/**
 * The kernel's number of squarings per matrix ([..., 1, 1] float64): the least s ≥ 0 with
 * ‖A‖₁·2⁻ˢ ≤ θ₁₃ (`ceil(log2(‖A‖₁/θ₁₃))`, the logarithm's rounding corrected exactly), 0 where
 * the norm is not finite.
 */
const squarings = (emit: OnnxEmitter, norm: string, theta: number): string => {
  const f = (v: number): string => emit.scalar(v, 'float64')
  const finite = emit.op('Not', [emit.op('Or', [emit.op('IsNaN', [norm]), emit.op('IsInf', [norm])])])
  const ratio = emit.op('Div', [emit.op('Where', [finite, norm, f(0)]), f(theta)])
  const guess = emit.op('Ceil', [emit.op('Mul', [emit.op('Log', [emit.op('Max', [ratio, f(1)])]), f(1 / Math.LN2)])])
  const pow2 = (e: string): string => emit.op('Pow', [f(2), e])
  const down = emit.op('GreaterOrEqual', [pow2(emit.op('Sub', [guess, f(1)])), ratio])
  const up = emit.op('Less', [pow2(guess), ratio])
  const fixed = emit.op('Add', [emit.op('Sub', [guess, emit.cast(down, 'float64')]), emit.cast(up, 'float64')])
  return emit.op('Where', [emit.op('Greater', [ratio, f(1)]), emit.op('Max', [fixed, f(0)]), f(0)])
}

/** `expm`: e^A per matrix, the kernel's Padé degree and squarings chosen per matrix. */
export const expmOnnx: OnnxRule<NoParams> = ({ inputs: [x], avals: [a], emit }) => {
  const { shape, dtype } = a as Aval
  const r = shape.length
  const n = shape[r - 1] as number
  if (n === 0) return emit.op('Identity', [x as string])
  const mat: Aval = { shape, dtype: 'float64' }
  const w = widen(emit, x as string, dtype)
  const bad = emit.op('Or', [emit.op('IsNaN', [w]), emit.op('IsInf', [w])])
  const anyBad = emit.op('Greater', [
    reduceKeep(emit, 'ReduceMax', reduceKeep(emit, 'ReduceMax', emit.cast(bad, 'float64'), r - 1), r - 2),
    emit.scalar(0.5, 'float64'),
  ])
  const clean = emit.op('Where', [anyBad, emit.scalar(0, 'float64'), w])
  const norm = reduceKeep(emit, 'ReduceMax', reduceKeep(emit, 'ReduceSum', emit.op('Abs', [clean]), r - 2), r - 1)
  const theta13 = (DEGREES[DEGREES.length - 1] as readonly [number, number])[1]
  const s = squarings(emit, norm, theta13)
  const scaled = emit.op('Mul', [clean, emit.op('Pow', [emit.scalar(2, 'float64'), emit.op('Neg', [s])])])
  const squared = squareLoop(emit, pade(emit, scaled, 13, n, mat), s, mat)
  const chosen = DEGREES.slice(0, -1).reduceRight(
    (rest, [m, theta]) =>
      emit.op('Where', [
        emit.op('LessOrEqual', [norm, emit.scalar(theta, 'float64')]),
        pade(emit, clean, m, n, mat),
        rest,
      ]),
    squared,
  )
  return narrow(emit, emit.op('Where', [anyBad, emit.scalar(NaN, 'float64'), chosen]), dtype)
}

/** R squared s times per matrix: a Loop of max(s) iterations, R ← R·R where the iteration is below s. */
const squareLoop = (emit: OnnxEmitter, r0: string, s: string, mat: Aval): string => {
  const all = mat.shape.map((_, i) => i)
  const trips = emit.cast(emit.reduce('ReduceMax', s, all), 'int64')
  const body = emit.graph(
    [{ shape: [], dtype: 'int64' }, { shape: [], dtype: 'bool' }, mat],
    [{ shape: [], dtype: 'bool' }, mat],
    (sub, [i, c, rk]) => {
      const needed = sub.op('Less', [sub.cast(i as string, 'float64'), s])
      const sq = sub.op('MatMul', [rk as string, rk as string])
      return [sub.op('Identity', [c as string]), sub.op('Where', [needed, sq, rk as string])]
    },
  )
  return emit.node('Loop', [trips, '', r0], { body: { graph: body } })[0] as string
}

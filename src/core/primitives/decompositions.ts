/**
 * Matrix decompositions and triangular solves (JAX: `jax.lax.linalg`), acting on the last two
 * axes and batched over the leading ones: `cholesky`, `triangular_solve`, `lu`, `qr`. Their
 * rules come from the literature (cited at each), written with the bound primitives so they
 * differentiate to any order. The kernels are `src/ndarray/kernels/linalg`.
 *
 * @category primitives
 * @since 0.2.0
 */
import { cholesky as choleskyKernel } from '../../ndarray/kernels/linalg/cholesky'
import { lu as luKernel } from '../../ndarray/kernels/linalg/lu'
import { qr as qrKernel } from '../../ndarray/kernels/linalg/qr'
import { triangularSolve as triangularSolveKernel } from '../../ndarray/kernels/linalg/triangular'
import { NotDifferentiableError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import type { DType } from '../../ndarray/dtype'
import * as lax from '../lax'
import {
  bound,
  boundMulti,
  definePrimitive,
  leading,
  type BoundMultiPrimitive,
  type BoundPrimitive,
  type MultiBatchRule,
  type NoParams,
} from '../primitive'
import { bindMulti } from '../trace'
import { isZero, type Linear } from '../zero'
import {
  addEye,
  dimFromEnd,
  eye,
  keepTriangle,
  mm,
  mT,
  permutationMatrix,
  phiMask,
  present,
  symmetrized,
  symPart,
} from './matrixRules'
import { choleskyOnnx, luOnnx, qrOnnx, triangularSolveOnnx } from './onnxLinalg'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Params of triangular_solve, as JAX's `lax.linalg.triangular_solve` (all explicit). */
export interface TriangularSolveParams {
  /** true: solve op(A)·X = B; false: X·op(A) = B. */
  readonly leftSide: boolean
  /** Read the lower triangle of A (true) or the upper one (false). */
  readonly lower: boolean
  /** op(A) = Aᵀ instead of A. */
  readonly transposeA: boolean
  /** The diagonal of A is taken as ones (not read). */
  readonly unitDiagonal: boolean
}

/** Params of qr: `fullMatrices` gives the complete Q (m×m) and R (m×n). */
export interface QrParams {
  readonly fullMatrices: boolean
}

type A = readonly [NdArray]

/** Batching of the one-input decompositions: the batch axis to the front, every result batched there. */
export const batchLeadingMulti: MultiBatchRule = (prim, [x], [b], params, size) => {
  const outs = bindMulti(prim, [lax.batchFirst(x as NdArray, b ?? null, size)], params)
  return [outs, outs.map(() => 0)]
}

// -------------------------------------------------------------------------------------
// primitives
// -------------------------------------------------------------------------------------

/**
 * Lower Cholesky factor L of the symmetric part of A: `L·Lᵀ = (A + Aᵀ)/2`. NOTE: the primitive
 * factors the symmetric part (JAX's `symmetrize_input=True`, folded into the primitive) so that
 * it is a function of all of A and its derivative is that of the map finite differences see; for
 * symmetric A this is the usual factor. A matrix that is not positive definite gives an all-NaN
 * factor (JAX). @category primitives @since 0.2.0
 */
export const cholesky: BoundPrimitive<'cholesky', A> = bound(
  definePrimitive<'cholesky', A, NoParams>({
    name: 'cholesky',
    onnx: choleskyOnnx,
    batch: leading((p: NoParams) => p),
    impl: ([a]) => choleskyKernel(symmetrized(a)).factor,
    shape: ([a]) => a,
    // Murray 2016, "Differentiation of the Cholesky decomposition"; JAX's cholesky_jvp_rule:
    // L̇ = L·Φ(L⁻¹·sym(Ȧ)·L⁻ᵀ), Φ = lower triangle with the diagonal halved
    jvp: ({ output: l }, [aDot]) => mm(l, phi(sandwichInverse(l, symPart(aDot as NdArray)))),
    // the transpose of the JVP (Murray 2016, eq. 10): Ā = sym(L⁻ᵀ·Φ(Lᵀ·L̄)·L⁻¹)
    vjp: ({ output: l }, lBar) => [symPart(sandwichInverseT(l, phi(lax.matmul(l, lBar, true, false))))],
  }),
)

/**
 * X with op(A)·X = B (`leftSide`) or X·op(A) = B, A triangular (only its `lower`/upper triangle
 * is read, and not its diagonal when `unitDiagonal`). @category primitives @since 0.2.0
 */
export const triangularSolve: BoundPrimitive<
  'triangular_solve',
  readonly [NdArray, NdArray],
  TriangularSolveParams,
  (a: NdArray, b: NdArray, params: TriangularSolveParams) => NdArray
> = bound(
  definePrimitive<'triangular_solve', readonly [NdArray, NdArray], TriangularSolveParams>({
    name: 'triangular_solve',
    onnx: triangularSolveOnnx,
    batch: leading((p: TriangularSolveParams) => p, true),
    impl: ([a, b], params) => triangularSolveKernel(a, b, params),
    shape: ([, b]) => b,
    // Giles 2008, §2.2.3: op(A)·X = B ⇒ Ẋ = op(A)⁻¹·(Ḃ − op(Ȧ)·X) (left), (Ḃ − X·op(Ȧ))·op(A)⁻¹ (right),
    // Ȧ restricted to the triangle that is read
    jvp: ({ inputs: [a], output: x, params: p }, [aDot, bDot]) => {
      let rhs: NdArray | undefined = isZero(bDot) ? undefined : bDot
      if (!isZero(aDot)) {
        const t = readTriangle(aDot, p)
        const opT = p.leftSide ? lax.matmul(t, x, p.transposeA, false) : lax.matmul(x, t, false, p.transposeA)
        rhs = rhs === undefined ? lax.neg(opT) : lax.sub(rhs, opT)
      }
      return lax.triangularSolve(a, rhs as NdArray, p)
    },
    // B̄ = op(A)⁻ᵀ·X̄ (left) or X̄·op(A)⁻ᵀ (right); Ā = triangle(−B̄·Xᵀ) (left, op = id) and the
    // other three cases by transposing (Giles 2008, §2.2.3); negated before the triangle is
    // taken, so the entries outside it are +0, as PyTorch's `(-gB·Xᴴ).triu()`
    vjp: ({ inputs: [a, b], output: x, params: p, needs }, xBar) => {
      const bBar = lax.triangularSolve(a, xBar, { ...p, transposeA: !p.transposeA })
      let aBar: Linear = lax.zeroOf(a)
      if (needs[0]) {
        const g = p.leftSide
          ? p.transposeA
            ? lax.matmul(x, bBar, false, true)
            : lax.matmul(bBar, x, false, true)
          : p.transposeA
            ? lax.matmul(bBar, x, true, false)
            : lax.matmul(x, bBar, true, false)
        aBar = readTriangle(lax.neg(g), p)
      }
      return [aBar, needs[1] ? bBar : lax.zeroOf(b)]
    },
  }),
  (bind) => (a, b, params) => bind([a, b], params),
)

/**
 * LU decomposition with partial pivoting of square matrices: `[lu, pivots, permutation]` with
 * `A[permutation] = L·U`, L unit lower (below the diagonal of `lu`), U upper (on and above it);
 * `pivots` (int32, 0-based LAPACK row swaps) and `permutation` (int32). The derivative covers
 * square, wide and tall A (JAX's rule, with L and U completed to square matrices).
 * @category primitives @since 0.2.0
 */
export const lu: BoundMultiPrimitive<'lu', A, NoParams, (a: NdArray) => readonly [NdArray, NdArray, NdArray]> =
  boundMulti(
    definePrimitive<'lu', A, NoParams>({
      name: 'lu',
      onnx: luOnnx,
      multipleResults: true,
      batch: batchLeadingMulti,
      impl: ([a]) => {
        const r = luKernel(a)
        return [r.lu, r.pivots, r.permutation]
      },
      shape: ([a]) => {
        const [m, n] = [dimFromEnd(a, 2), dimFromEnd(a, 1)]
        const batch = a.shape.slice(0, -2)
        return [a, { shape: [...batch, Math.min(m, n)], dtype: 'int32' }, { shape: [...batch, m], dtype: 'int32' }]
      },
      // de Hoog, Anderssen & Lukas 2011 (JAX's lu_jvp_rule): with W = L⁻¹·P·Ȧ·U⁻¹,
      // L̇ = L·tril₋₁(W), U̇ = triu(W)·U, so (lu)˙ = L̇ + U̇
      jvp: ({ inputs: [a], outputs: [packed, , perm] }, [aDot]) => {
        const f = luFactors(a, packed as NdArray)
        const w = luSandwich(f, mm(permutationMatrix(perm as NdArray, a.dtype), aDot as NdArray))
        const out = lax.add(mm(f.l, keepTriangle(w, true, 1)), mm(keepTriangle(w, false, 0), f.u))
        return [out, lax.zeroOf(perm as NdArray), lax.zeroOf(perm as NdArray)]
      },
      // transpose of the JVP: W̄ = tril₋₁(Lᵀ·lū) + triu(lū·Uᵀ), Ā = Pᵀ·L⁻ᵀ·W̄·U⁻ᵀ
      vjp: ({ inputs: [a], outputs: [packed, , perm] }, [luBar]) => {
        const f = luFactors(a, packed as NdArray)
        const g = luBar as NdArray
        const wBar = lax.add(
          keepTriangle(lax.matmul(f.l, g, true, false), true, 1),
          keepTriangle(lax.matmul(g, f.u, false, true), false, 0),
        )
        return [lax.matmul(permutationMatrix(perm as NdArray, a.dtype), luSandwichT(f, wBar), true, false)]
      },
    }),
    (bind) => (a) => bind([a], {}) as readonly [NdArray, NdArray, NdArray],
  )

/**
 * QR decomposition `A = Q·R` (Householder; LAPACK/NumPy signs): `[q, r]`, reduced (Q m×k, R k×n,
 * k = min(m, n)) or with `fullMatrices` complete (Q m×m, R m×n). The derivative is defined for
 * m ≥ n (reduced) and square (complete), as JAX's. @category primitives @since 0.2.0
 */
export const qr: BoundMultiPrimitive<'qr', A, QrParams, (a: NdArray, params: QrParams) => readonly [NdArray, NdArray]> =
  boundMulti(
    definePrimitive<'qr', A, QrParams>({
      name: 'qr',
      onnx: qrOnnx,
      multipleResults: true,
      batch: batchLeadingMulti,
      impl: ([a], { fullMatrices }) => {
        const r = qrKernel(a, fullMatrices ? 'complete' : 'reduced')
        return [present(r.q, 'the qr kernel'), r.r]
      },
      shape: ([a], { fullMatrices }) => {
        const [m, n] = [dimFromEnd(a, 2), dimFromEnd(a, 1)]
        const k = fullMatrices ? m : Math.min(m, n)
        const batch = a.shape.slice(0, -2)
        return [
          { shape: [...batch, m, k], dtype: a.dtype },
          { shape: [...batch, k, n], dtype: a.dtype },
        ]
      },
      // Walter & Lehmann 2018 (JAX's qr_jvp_rule): Y = Ȧ·R⁻¹, C = Qᵀ·Y, Ω = tril₋₁(C) − tril₋₁(C)ᵀ,
      // Q̇ = Q·(Ω − C) + Y, Ṙ = (C − Ω)·R
      jvp: ({ inputs: [a], outputs: [q, r], params }, [aDot]) => {
        qrDifferentiable(a, params)
        const [qq, rr] = [q as NdArray, r as NdArray]
        const y = lax.triangularSolve(rr, aDot as NdArray, RIGHT_UPPER)
        const c = lax.matmul(qq, y, true, false)
        const lw = keepTriangle(c, true, 1)
        const omega = lax.sub(lw, mT(lw))
        return [lax.add(mm(qq, lax.sub(omega, c)), y), mm(lax.sub(c, omega), rr)]
      },
      // transpose of the JVP, in PyTorch's grouping (Walter & Lehmann 2018; Roberts & Roberts 2020,
      // arXiv:2009.10071 §4.3): M = R̄·Rᵀ − Qᵀ·Q̄, S = triu(M) + triu(M)ᵀ with its diagonal halved,
      // Ā = (Q̄ + Q·S)·R⁻ᵀ. M's lower triangle is dropped, never subtracted, so an infinite R̄
      // gives ±inf in Ā where an inf − inf would give NaN (difftest seed 402863)
      vjp: ({ inputs: [a], outputs: [q, r], params }, [qBar, rBar]) => {
        qrDifferentiable(a, params)
        const [qq, rr] = [q as NdArray, r as NdArray]
        const terms: NdArray[] = []
        if (!isZero(rBar as Linear)) terms.push(lax.matmul(rBar as NdArray, rr, false, true))
        if (!isZero(qBar as Linear)) terms.push(lax.matmul(qq, qBar as NdArray, true, false))
        const m =
          terms.length === 1
            ? isZero(rBar as Linear)
              ? lax.neg(terms[0] as NdArray)
              : (terms[0] as NdArray)
            : lax.sub(terms[0] as NdArray, terms[1] as NdArray)
        const upper = keepTriangle(m, false, 0)
        const s = lax.mul(lax.add(upper, mT(upper)), halvedDiagonal(dimFromEnd(m, 1), m.dtype))
        const qs = mm(qq, s)
        const yBar = isZero(qBar as Linear) ? qs : lax.add(qBar as NdArray, qs)
        return [lax.triangularSolve(rr, yBar, { ...RIGHT_UPPER, transposeA: true })]
      },
    }),
    (bind) => (a, params) => bind([a], params) as readonly [NdArray, NdArray],
  )

// -------------------------------------------------------------------------------------
// rules
// -------------------------------------------------------------------------------------

const RIGHT_UPPER: TriangularSolveParams = { leftSide: false, lower: false, transposeA: false, unitDiagonal: false }
const LEFT_LOWER: TriangularSolveParams = { leftSide: true, lower: true, transposeA: false, unitDiagonal: false }

/** The n×n matrix of ones with 0.5 on its diagonal (halves a matrix's diagonal by a product). */
const halvedDiagonal = (n: number, dtype: DType): NdArray =>
  lax.sub(lax.broadcastTo(lax.scalar(1, dtype), [n, n]), lax.mulScalar(eye(n, dtype), 0.5))

/** Φ(X): the lower triangle of X with its diagonal halved (Murray 2016). */
const phi = (x: NdArray): NdArray => lax.mul(x, phiMask(dimFromEnd(x, 1), x.dtype))

/** L⁻¹·S·L⁻ᵀ for lower triangular L. */
const sandwichInverse = (l: NdArray, s: NdArray): NdArray =>
  lax.triangularSolve(l, lax.triangularSolve(l, s, LEFT_LOWER), { ...LEFT_LOWER, leftSide: false, transposeA: true })

/** L⁻ᵀ·S·L⁻¹ for lower triangular L (the adjoint of {@link sandwichInverse}). */
const sandwichInverseT = (l: NdArray, s: NdArray): NdArray =>
  lax.triangularSolve(l, lax.triangularSolve(l, s, { ...LEFT_LOWER, transposeA: true }), {
    ...LEFT_LOWER,
    leftSide: false,
  })

/** The triangle of `x` that triangular_solve reads of A under `p` (Ȧ and Ā live there). */
const readTriangle = (x: NdArray, p: TriangularSolveParams): NdArray => keepTriangle(x, p.lower, p.unitDiagonal ? 1 : 0)

/** `x` padded with zeros after its last two axes' ends (`rows`, `cols` more). */
const padEnd = (x: NdArray, rows: number, cols: number): NdArray => {
  const z = x.shape.map(() => 0)
  return lax.pad(x, z, [...z.slice(0, -2), rows, cols], z, 0)
}

/** The last two axes of `x` cut to `rows × cols` (from the top left). */
const topLeft = (x: NdArray, rows: number, cols: number): NdArray =>
  lax.slice(
    x,
    x.shape.map(() => 0),
    [...x.shape.slice(0, -2), rows, cols],
    x.shape.map(() => 1),
  )

/**
 * L (unit lower, m×m) and U (upper, n×n) of a packed m×n LU factorisation, completed as JAX's
 * lu_jvp_rule does for m ≠ n: with k = min(m, n), L's extra columns and U's extra rows are the
 * identity's, so L⁻¹·P·Ȧ·U⁻¹ is defined and the de Hoog–Anderssen–Lukas rule applies unchanged.
 */
const luFactors = (a: NdArray, packed: NdArray): { l: NdArray; u: NdArray } => {
  const [m, n] = [dimFromEnd(a, 2), dimFromEnd(a, 1)]
  const k = Math.min(m, n)
  const l = addEye(padEnd(keepTriangle(topLeft(packed, m, k), true, 1), 0, m - k))
  const u = padEnd(keepTriangle(topLeft(packed, k, n), false, 0), n - k, 0)
  // ones on the diagonal of U's padded rows: I − diag(1, …, 1 (k times), 0, …)
  return { l, u: n > k ? lax.add(u, lax.sub(eye(n, a.dtype), padEnd(eye(k, a.dtype), n - k, n - k))) : u }
}

/** L⁻¹·X·U⁻¹. */
const luSandwich = (f: { l: NdArray; u: NdArray }, x: NdArray): NdArray =>
  lax.triangularSolve(f.u, lax.triangularSolve(f.l, x, { ...LEFT_LOWER, unitDiagonal: true }), RIGHT_UPPER)

/** L⁻ᵀ·X·U⁻ᵀ (the adjoint of {@link luSandwich}). */
const luSandwichT = (f: { l: NdArray; u: NdArray }, x: NdArray): NdArray =>
  lax.triangularSolve(f.u, lax.triangularSolve(f.l, x, { ...LEFT_LOWER, unitDiagonal: true, transposeA: true }), {
    ...RIGHT_UPPER,
    transposeA: true,
  })

/** QR's derivative exists for m ≥ n (reduced) and square (complete), as JAX's. */
const qrDifferentiable = (a: NdArray, { fullMatrices }: QrParams): void => {
  const [m, n] = [dimFromEnd(a, 2), dimFromEnd(a, 1)]
  if (m < n || (fullMatrices && m !== n))
    throw new NotDifferentiableError(
      `qr: the derivative is not defined for shape [${a.shape.join(', ')}] with fullMatrices=${fullMatrices} ` +
        `(it needs rows ≥ columns, and a square matrix for complete Q), as in JAX`,
    )
}

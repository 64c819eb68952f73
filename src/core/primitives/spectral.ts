/**
 * Spectral decompositions (JAX: `jax.lax.linalg.eigh`, `svd`), acting on the last two axes and
 * batched over the leading ones. Rules from Giles 2008 and Townsend 2016, written with the
 * bound primitives so they differentiate to any order.
 *
 * @category primitives
 * @since 0.2.0
 */
import { eigh as eighKernel } from '../../ndarray/kernels/linalg/eigh'
import { svd as svdKernel } from '../../ndarray/kernels/linalg/svd'
import { NotDifferentiableError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../lax'
import { boundMulti, definePrimitive, type BoundMultiPrimitive, type NoParams } from '../primitive'
import { isZero, type Linear } from '../zero'
import { batchLeadingMulti } from './decompositions'
import {
  diagMatrix,
  diagPart,
  dimFromEnd,
  inverseGaps,
  mm,
  mT,
  present,
  scaleColumns,
  scaleRows,
  sumPresent,
  symmetrized,
  symPart,
} from './matrixRules'
import { eighOnnx } from './onnxSpectral'
import { svdOnnx } from './onnxSvd'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Params of svd, as JAX's `lax.linalg.svd`. */
export interface SvdParams {
  /** U is m×m and Vᴴ n×n (otherwise m×k and k×n, k = min(m, n)). */
  readonly fullMatrices: boolean
  /** Return `[s, u, vh]`; otherwise `[s]` alone. */
  readonly computeUv: boolean
}

type A = readonly [NdArray]

// -------------------------------------------------------------------------------------
// primitives
// -------------------------------------------------------------------------------------

/**
 * Eigen-decomposition of the symmetric part `(A + Aᵀ)/2`: `[eigenvalues, eigenvectors]`,
 * eigenvalues ascending, eigenvectors as columns (the largest-magnitude entry of each positive).
 * NOTE: the symmetric part is taken inside the primitive (JAX's `symmetrize_input=True`), so
 * the derivative is that of a function on all of A. Degenerate eigenvalues follow JAX's
 * convention: no special handling, so eigenvector derivatives are infinite or NaN there (the
 * eigenvalue derivatives stay finite). @category primitives @since 0.2.0
 */
export const eigh: BoundMultiPrimitive<'eigh', A, NoParams, (a: NdArray) => readonly [NdArray, NdArray]> = boundMulti(
  definePrimitive<'eigh', A, NoParams>({
    name: 'eigh',
    onnx: eighOnnx,
    multipleResults: true,
    batch: batchLeadingMulti,
    impl: ([a]) => {
      const r = eighKernel(symmetrized(a), true)
      return [r.eigenvalues, r.eigenvectors]
    },
    shape: ([a]) => [{ shape: a.shape.slice(0, -1), dtype: a.dtype }, a],
    // Giles 2008 §3.1 (JAX's eigh_jvp_rule): with X = Vᵀ·sym(Ȧ)·V and F_ij = 1/(λ_j − λ_i)
    // (0 on the diagonal): λ̇ = diag(X), V̇ = V·(F ∘ X)
    jvp: ({ outputs: [w, v] }, [aDot]) => {
      const vv = v as NdArray
      const x = lax.matmul(vv, mm(symPart(aDot as NdArray), vv), true, false)
      return [diagPart(x), mm(vv, lax.mul(inverseGaps(w as NdArray), x))]
    },
    // Giles 2008 §3.1, the transpose of the JVP: Ā = sym(V·(diag(λ̄) + F ∘ (Vᵀ·V̄))·Vᵀ)
    vjp: ({ outputs: [w, v] }, [wBar, vBar]) => {
      const vv = v as NdArray
      const inner = sumPresent([
        isZero(wBar as Linear) ? undefined : diagMatrix(wBar as NdArray),
        isZero(vBar as Linear)
          ? undefined
          : lax.mul(inverseGaps(w as NdArray), lax.matmul(vv, vBar as NdArray, true, false)),
      ])
      return [symPart(lax.matmul(mm(vv, present(inner, 'eigh cotangent')), vv, false, true))]
    },
  }),
  (bind) => (a) => bind([a], {}) as readonly [NdArray, NdArray],
)

/**
 * Singular value decomposition `A = U·diag(s)·Vᴴ`: `[s, u, vh]` (or `[s]` without `computeUv`),
 * s descending; each right singular vector has its largest-magnitude entry positive, its left
 * partner follows. The derivative (Townsend 2016) needs distinct non-zero singular values; with
 * `fullMatrices` it exists only for square A (as in JAX). @category primitives @since 0.2.0
 */
export const svd: BoundMultiPrimitive<'svd', A, SvdParams, (a: NdArray, params: SvdParams) => ReadonlyArray<NdArray>> =
  boundMulti(
    definePrimitive<'svd', A, SvdParams>({
      name: 'svd',
      onnx: svdOnnx,
      multipleResults: true,
      batch: batchLeadingMulti,
      impl: ([a], params) => {
        const r = svdKernel(a, params)
        return params.computeUv ? [r.s, present(r.u, 'svd'), present(r.vh, 'svd')] : [r.s]
      },
      shape: ([a], { fullMatrices, computeUv }) => {
        const [m, n] = [dimFromEnd(a, 2), dimFromEnd(a, 1)]
        const k = Math.min(m, n)
        const batch = a.shape.slice(0, -2)
        const s = { shape: [...batch, k], dtype: a.dtype }
        if (!computeUv) return [s]
        const [uc, vr] = fullMatrices ? [m, n] : [k, k]
        return [s, { shape: [...batch, m, uc], dtype: a.dtype }, { shape: [...batch, vr, n], dtype: a.dtype }]
      },
      // Townsend 2016 (JAX's svd_jvp_rule): P = Uᵀ·Ȧ·V, ṡ = diag(P), F_ij = 1/(s_j² − s_i²),
      // U̇ = U·(F ∘ (P·S + S·Pᵀ)) + (I − U·Uᵀ)·Ȧ·V·S⁻¹ (m > n),
      // V̇ = V·(F ∘ (S·P + Pᵀ·S)) + (I − V·Vᵀ)·Ȧᵀ·U·S⁻¹ (n > m)
      jvp: ({ inputs: [a], outputs, params }, [aDot]) => {
        const { s, u, vh } = reducedFactors(a, outputs, params)
        const ad = aDot as NdArray
        const av = lax.matmul(ad, vh, false, true)
        const p = lax.matmul(u, av, true, false)
        if (!params.computeUv) return [diagPart(p)]
        const f = inverseGaps(lax.mul(s, s))
        const ps = scaleColumns(p, s)
        const sp = scaleRows(p, s)
        let uDot = mm(u, lax.mul(f, lax.add(ps, mT(ps))))
        let vDot = mm(mT(vh), lax.mul(f, lax.add(sp, mT(sp))))
        const [m, n] = [dimFromEnd(a, 2), dimFromEnd(a, 1)]
        const sInv = lax.reciprocal(s)
        if (m > n) uDot = lax.add(uDot, scaleColumns(lax.sub(av, mm(u, lax.matmul(u, av, true, false))), sInv))
        if (n > m) {
          const atu = lax.matmul(ad, u, true, false)
          vDot = lax.add(vDot, scaleColumns(lax.sub(atu, lax.matmul(vh, mm(vh, atu), true, false)), sInv))
        }
        return [diagPart(p), uDot, mT(vDot)]
      },
      // the transpose of the JVP (Townsend 2016, eq. 30 for real A):
      // Ā = U·(diag(s̄) + (J + Jᵀ)·S + S·(K + Kᵀ))·Vᵀ + (I − U·Uᵀ)·Ū·S⁻¹·Vᵀ + U·S⁻¹·V̄ᵀ·(I − V·Vᵀ),
      // J = F ∘ (Uᵀ·Ū), K = F ∘ (Vᵀ·V̄)
      vjp: ({ inputs: [a], outputs, params }, [sBar, uBar, vhBar]) => {
        const { s, u, vh } = reducedFactors(a, outputs, params)
        const [m, n] = [dimFromEnd(a, 2), dimFromEnd(a, 1)]
        const f = inverseGaps(lax.mul(s, s))
        const ub = uBar === undefined || isZero(uBar) ? undefined : uBar
        const vhb = vhBar === undefined || isZero(vhBar) ? undefined : vhBar
        const j = ub === undefined ? undefined : lax.mul(f, lax.matmul(u, ub, true, false))
        const k = vhb === undefined ? undefined : lax.mul(f, lax.matmul(vh, vhb, false, true))
        const inner = sumPresent([
          sBar === undefined || isZero(sBar) ? undefined : diagMatrix(sBar),
          j === undefined ? undefined : scaleColumns(lax.add(j, mT(j)), s),
          k === undefined ? undefined : scaleRows(lax.add(k, mT(k)), s),
        ])
        const sInv = lax.reciprocal(s)
        const terms = sumPresent([
          inner === undefined ? undefined : mm(mm(u, inner), vh),
          ub !== undefined && m > n
            ? mm(scaleColumns(lax.sub(ub, mm(u, lax.matmul(u, ub, true, false))), sInv), vh)
            : undefined,
          vhb !== undefined && n > m
            ? mm(u, scaleRows(lax.sub(vhb, mm(lax.matmul(vhb, vh, false, true), vh)), sInv))
            : undefined,
        ])
        return [present(terms, 'svd cotangent')]
      },
    }),
    (bind) => (a, params) => bind([a], params),
  )

// -------------------------------------------------------------------------------------
// rules
// -------------------------------------------------------------------------------------

/** s, U (m×k) and Vᴴ (k×n) of the reduced SVD, from the outputs when they are those, else recomputed. */
const reducedFactors = (
  a: NdArray,
  outputs: ReadonlyArray<NdArray>,
  { fullMatrices, computeUv }: SvdParams,
): { s: NdArray; u: NdArray; vh: NdArray } => {
  const [m, n] = [dimFromEnd(a, 2), dimFromEnd(a, 1)]
  if (fullMatrices && computeUv && m !== n)
    throw new NotDifferentiableError(
      `svd: the derivative with fullMatrices=true is defined for square matrices only, got shape [${a.shape.join(', ')}] (as in JAX; use fullMatrices: false)`,
    )
  const [s, u, vh] = computeUv ? outputs : svd(a, { fullMatrices: false, computeUv: true })
  return { s: present(s, 'svd'), u: present(u, 'svd'), vh: present(vh, 'svd') }
}

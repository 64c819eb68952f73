/**
 * Primitives behind `jax.scipy.linalg` that the other linalg families do not cover: the matrix
 * exponential `expm` (exact Fréchet-derivative rules, not derivatives of the Padé iterations)
 * and `lu_pivots_to_permutation` (JAX's `lax.linalg.lu_pivots_to_permutation`, integer, no
 * derivative), which `luSolve` needs to turn LAPACK pivots into a row permutation under
 * `jit`/`vmap`. Both act on the trailing axes and batch over the leading ones.
 *
 * @category primitives
 * @since 0.2.0
 */
import { allocate } from '../../ndarray/dtype'
import { ValueError } from '../../ndarray/errors'
import { expm as expmKernel } from '../../ndarray/kernels/linalg/expm'
import { permutationOf } from '../../ndarray/kernels/linalg/lu'
import { NdArray } from '../../ndarray/NdArray'
import * as lax from '../lax'
import { bound, definePrimitive, leading, type BoundPrimitive, type NoParams } from '../primitive'
import { dimFromEnd, mT } from './matrixRules'
import { expmOnnx } from './onnxExpm'
import { pivotsToPermutationOnnx } from './onnxLinalg'

/** Params of lu_pivots_to_permutation: the length of the permutation (the factored matrix's rows). */
export interface PivotsToPermutationParams {
  readonly permutationSize: number
}

/**
 * The matrix exponential e^A of square matrices (Higham 2005 scaling and squaring with Padé
 * approximants; non-finite input gives NaN). @category primitives @since 0.2.0
 */
export const expm: BoundPrimitive<'expm', readonly [NdArray]> = bound(
  definePrimitive<'expm', readonly [NdArray], NoParams>({
    name: 'expm',
    onnx: expmOnnx,
    batch: leading((p: NoParams) => p),
    impl: ([a]) => expmKernel(a),
    shape: ([a]) => a,
    // The JVP is the Fréchet derivative L(A, Ȧ), the upper-right block of
    // exp([[A, Ȧ], [0, A]]) (Mathias 1996, "A chain rule for matrix functions and applications",
    // Thm. 2.1; Al-Mohy & Higham 2009, "Computing the Fréchet derivative of the matrix
    // exponential", eq. 1.4). Written with expm itself, so it differentiates again.
    jvp: ({ inputs: [a] }, [aDot]) => frechet(a, aDot as NdArray),
    // L(A, ·) is adjoint to L(Aᵀ, ·) under ⟨X, Y⟩ = tr(XᵀY) (L(A, E) = ∫₀¹ e^{sA}·E·e^{(1−s)A} ds;
    // Al-Mohy & Higham 2009, §6): Ā = L(Aᵀ, Ē)
    vjp: ({ inputs: [a] }, eBar) => [frechet(mT(a), eBar)],
  }),
)

/** L(A, E): the upper-right n×n block of expm([[A, E], [0, A]]) (batched over leading axes). */
const frechet = (a: NdArray, e: NdArray): NdArray => {
  const n = dimFromEnd(a, 1)
  const nd = a.ndim
  const zeros = a.shape.map(() => 0)
  const lead = a.shape.slice(0, -2)
  const top = lax.concatenate([a, e], nd - 1)
  // [0, A]: A padded by n zero columns on the left
  const bottom = lax.pad(a, [...zeros.slice(0, -1), n], zeros, zeros, 0)
  const big = lax.expm(lax.concatenate([top, bottom], nd - 2))
  return lax.slice(
    big,
    [...lead.map(() => 0), 0, n],
    [...lead, n, 2 * n],
    a.shape.map(() => 1),
  )
}

/**
 * The row permutation (int32 `[..., permutationSize]`) that LAPACK-style 0-based pivots
 * (`[..., k]`: row i swapped with row pivots[i], in order) apply: `A[perm] = P·A`. Pivots outside
 * `[0, permutationSize)` raise ValueError. @category primitives @since 0.2.0
 */
export const luPivotsToPermutation: BoundPrimitive<
  'lu_pivots_to_permutation',
  readonly [NdArray],
  PivotsToPermutationParams,
  (pivots: NdArray, permutationSize: number) => NdArray
> = bound(
  definePrimitive<'lu_pivots_to_permutation', readonly [NdArray], PivotsToPermutationParams>({
    name: 'lu_pivots_to_permutation',
    onnx: pivotsToPermutationOnnx,
    batch: leading((p: PivotsToPermutationParams) => p),
    impl: ([pivots], { permutationSize: m }) => pivotsToPermutation(pivots, m),
    shape: ([pivots], { permutationSize }) => ({
      shape: [...pivots.shape.slice(0, -1), permutationSize],
      dtype: 'int32',
    }),
    derivative: 'none',
  }),
  (bind) => (pivots, permutationSize) => bind([pivots], { permutationSize }),
)

/** Each run of pivots (last axis) to its permutation of `0..m−1`. */
const pivotsToPermutation = (pivots: NdArray, m: number): NdArray => {
  const k = dimFromEnd(pivots, 1)
  const src = pivots.toTypedArray()
  const count = pivots.shape.slice(0, -1).reduce((s, d) => s * d, 1)
  const out = allocate('int32', count * m)
  for (let t = 0; t < count; t++) {
    const piv = Int32Array.from(src.subarray(t * k, (t + 1) * k) as ArrayLike<number>)
    for (let i = 0; i < k; i++) {
      const p = piv[i] as number
      if (!Number.isInteger(p) || p < 0 || p >= m)
        throw new ValueError(
          `lu_pivots_to_permutation: pivot ${i} is ${p}, outside [0, ${m}) for a permutation of size ${m}`,
        )
    }
    out.set(permutationOf(piv, m), t * m)
  }
  return new NdArray([...pivots.shape.slice(0, -1), m], 'int32', out)
}

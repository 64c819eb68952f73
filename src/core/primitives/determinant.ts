/**
 * The determinant as one primitive (JAX: `jnp.linalg.det` with its custom JVP), so that its
 * derivative is the cofactor matrix everywhere — also at singular matrices, where the product
 * form through the LU factors divides by a zero pivot.
 *
 * @category primitives
 * @since 0.2.0
 */
import { det as detKernel } from '../../ndarray/kernels/linalg/det'
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../lax'
import type { OnnxContext } from '../onnxRule'
import { bound, definePrimitive, leading, type BoundPrimitive, type NoParams } from '../primitive'
import { addEye, diagMatrix, diagPart, keepTriangle, mm, mT, permutationMatrix } from './matrixRules'

/**
 * Determinant of square matrices `[..., n, n]` → `[...]` (LU with partial pivoting; singular:
 * 0). Its derivative is the cofactor matrix cof(A) = adj(A)ᵀ (Jacobi's formula), computed so it
 * is exact at singular matrices too (see {@link cofactor}). @category primitives @since 0.2.0
 */
export const det: BoundPrimitive<'det', readonly [NdArray]> = bound(
  definePrimitive<'det', readonly [NdArray], NoParams>({
    name: 'det',
    onnx: ({ inputs: [x], emit }: OnnxContext<NoParams>) => emit.op('Det', [x as string]),
    batch: leading((p: NoParams) => p),
    impl: ([a]) => detKernel(a),
    shape: ([a]) => ({ shape: a.shape.slice(0, -2), dtype: a.dtype }),
    // Jacobi's formula: d det(A)[Ȧ] = tr(adj(A)·Ȧ) = Σᵢⱼ cof(A)ᵢⱼ·Ȧᵢⱼ
    jvp: ({ inputs: [a] }, [aDot]) => lax.reduceSum(lax.mul(cofactor(a), aDot as NdArray), [a.ndim - 2, a.ndim - 1]),
    // its transpose: Ā = d̄·cof(A)
    vjp: ({ inputs: [a] }, dBar) => [lax.mul(cofactor(a), matrixOf(dBar, a))],
  }),
)

/** A batch of scalars `[...]` broadcast to the matrices `[..., n, n]` of `like`. */
const matrixOf = (s: NdArray, like: NdArray): NdArray =>
  lax.broadcastInDim(
    s,
    like.shape,
    s.shape.map((_, i) => i),
  )

/**
 * The cofactor matrix cof(A) = adj(A)ᵀ, exact when A's LU factorisation (P·A = L·U) has at most
 * one exactly-zero pivot — every invertible A and the rank-(n−1) matrices whose elimination
 * meets a single zero pivot (the usual case; JAX's det rule has the same reach). With m the
 * indicator of the zero pivot (or 0) and x = Pᵀ·L·m, both constants, A' = A + x·mᵀ =
 * Pᵀ·L·(U + m·mᵀ) is invertible and the rank-one adjugate identity adj(I − v·mᵀ) =
 * (1 − mᵀv)·I + v·mᵀ (v = A'⁻¹x) with adj(XY) = adj(Y)·adj(X) gives
 * adj(A) = det(A')·((1 − mᵀA'⁻¹x)·A'⁻¹ + A'⁻¹x·mᵀA'⁻¹), an identity in A (x, m fixed), so it
 * differentiates again at singular A too. For A invertible m = 0 and this is det(A)·A⁻¹.
 * With two or more zero pivots (rank ≤ n−2, whose adjugate is 0, and rare rank-(n−1) cases
 * such as nilpotent Jordan blocks) the result is 0.
 */
const cofactor = (a: NdArray): NdArray => {
  const [packed, , perm] = lax.lu(lax.stopGradient(a))
  const zero = lax.cast(lax.eq(diagPart(packed), lax.scalarLike(0, a)), a.dtype)
  // exact with at most one zero pivot; with more, A' below is still invertible and the result 0
  const count = lax.reduceSum(zero, [zero.ndim - 1])
  const single = lax.cast(lax.le(count, lax.scalarLike(1, count)), a.dtype)
  const l = addEye(keepTriangle(packed, true, 1))
  const q = permutationMatrix(perm, a.dtype)
  // x·mᵀ = Pᵀ·L·m·mᵀ, and m·mᵀ = diag(zero) (with several zero pivots, U + diag(zero) stays invertible)
  const xm = mm(lax.matmul(q, l, true, false), diagMatrix(zero))
  const aPrime = lax.add(a, xm)
  const inv = inverse(aPrime)
  const invXm = mm(inv, xm) // A'⁻¹·x·mᵀ
  const t = diagSum(invXm) // mᵀ·A'⁻¹·x
  const inner = lax.add(lax.mul(matrixOf(lax.addScalar(lax.neg(t), 1), a), inv), mm(invXm, inv))
  const scale = lax.mul(lax.det(aPrime), single)
  return mT(lax.mul(inner, matrixOf(scale, a)))
}

/** tr(X) of each matrix. */
const diagSum = (x: NdArray): NdArray => lax.reduceSum(diagPart(x), [x.ndim - 2])

/** A⁻¹ of invertible matrices, by LU and two triangular solves (differentiable). */
const inverse = (a: NdArray): NdArray => {
  const [packed, , perm] = lax.lu(a)
  const pb = permutationMatrix(perm, a.dtype)
  const y = lax.triangularSolve(packed, pb, { leftSide: true, lower: true, transposeA: false, unitDiagonal: true })
  return lax.triangularSolve(packed, y, { leftSide: true, lower: false, transposeA: false, unitDiagonal: false })
}

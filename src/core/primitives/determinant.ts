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
import { addEye, diagMatrix, diagPart, iota, keepTriangle, mm, mT, permutationMatrix } from './matrixRules'

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
 * The cofactor matrix cof(A) = adj(A)ᵀ. With P·A = L·U, a unit vector m picking one pivot, a
 * constant shift s and x = s·Pᵀ·L·m, A' = A + x·mᵀ = Pᵀ·L·(U + s·m·mᵀ), and the rank-one adjugate
 * identity adj(I − v·mᵀ) = (1 − mᵀv)·I + v·mᵀ (v = A'⁻¹x) with adj(XY) = adj(Y)·adj(X) gives
 * adj(A) = det(A')·((1 − mᵀA'⁻¹x)·A'⁻¹ + A'⁻¹x·mᵀA'⁻¹) — an identity in A for any m and s that
 * make A' invertible, so it differentiates again (x and m are constants). m picks the zero pivot
 * when there is one, else the smallest in magnitude, and s moves it away from zero by the
 * largest pivot's magnitude: A' is then as well conditioned as the rest of the factorisation, so
 * near-singular A (where det(A)·A⁻¹ cancels catastrophically in its derivative) and singular A
 * of rank n−1 whose elimination meets one zero pivot are both exact. With two or more zero
 * pivots (rank ≤ n−2, whose adjugate is 0, and rare rank-(n−1) cases such as nilpotent Jordan
 * blocks) the result is 0.
 */
const cofactor = (a: NdArray): NdArray => {
  const [packed, , perm] = lax.lu(lax.stopGradient(a))
  const pivots = diagPart(packed)
  const zero = lax.cast(lax.eq(pivots, lax.scalarLike(0, pivots)), a.dtype)
  const count = lax.reduceSum(zero, [zero.ndim - 1])
  const single = lax.cast(lax.le(count, lax.scalarLike(1, count)), a.dtype)
  const l = addEye(keepTriangle(packed, true, 1))
  const q = permutationMatrix(perm, a.dtype)
  // x·mᵀ = Pᵀ·L·diag(s·m); with several zero pivots U + diag(shift) stays invertible and the result is 0
  const xm = mm(lax.matmul(q, l, true, false), diagMatrix(pivotShift(pivots, zero, count)))
  const aPrime = lax.add(a, xm)
  const inv = inverse(aPrime)
  const invXm = mm(inv, xm) // A'⁻¹·x·mᵀ
  const t = diagSum(invXm) // mᵀ·A'⁻¹·x
  const inner = lax.add(lax.mul(matrixOf(lax.addScalar(lax.neg(t), 1), a), inv), mm(invXm, inv))
  const scale = lax.mul(lax.det(aPrime), single)
  return mT(lax.mul(inner, matrixOf(scale, a)))
}

/**
 * s·m of {@link cofactor} per matrix `[..., n]`: the zero pivots (when `count` > 0), else the
 * first smallest pivot in magnitude, moved away from zero by max |pivot| (1 when all are 0).
 */
const pivotShift = (pivots: NdArray, zero: NdArray, count: NdArray): NdArray => {
  const last = pivots.ndim - 1
  const magnitude = lax.abs(pivots)
  const k = lax.argmin(magnitude, last)
  const positions = lax.broadcastInDim(iota(pivots.shape[last]!), pivots.shape, [last])
  const smallest = lax.cast(lax.eq(positions, matrixOf(k, pivots)), pivots.dtype)
  const pick = lax.select(matrixOf(lax.gt(count, lax.scalarLike(0, count)), pivots), zero, smallest)
  const largest = lax.reduceMax(magnitude, [last])
  const step = matrixOf(
    lax.select(lax.gt(largest, lax.scalarLike(0, largest)), largest, lax.scalarLike(1, largest)),
    pivots,
  )
  const away = lax.select(lax.ge(pivots, lax.scalarLike(0, pivots)), step, lax.neg(step))
  return lax.mul(pick, away)
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

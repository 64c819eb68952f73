/**
 * Batched matrix product with transpose flags. JAX: dot_general, restricted to the one form
 * wengert needs: `op(a) @ op(b)` over equal leading batch axes. The flags keep the rule closed:
 * the cotangents are products of the same kind with other flags, so no transpose is ever
 * materialised (the kernel packs panels instead).
 *
 * @category primitives
 * @since 0.1.0
 */
import { matmul as matmulKernel } from '../../ndarray/kernels/dot'
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../lax'
import type { OnnxContext } from '../onnxRule'
import { bound, definePrimitive, type AnyPrimitive, type BoundPrimitive } from '../primitive'
import { bind } from '../trace'
import type { Linear } from '../zero'
import { isZero } from '../zero'

/** Params of matmul: whether each operand is stored transposed in its last two axes. */
export interface MatmulParams {
  readonly transA: boolean
  readonly transB: boolean
}

/** `op(a) @ op(b)`, batched over equal leading axes. @category primitives @since 0.1.0 */
export const matmul: BoundPrimitive<
  'matmul',
  readonly [NdArray, NdArray],
  MatmulParams,
  (a: NdArray, b: NdArray, transA?: boolean, transB?: boolean) => NdArray
> = bound(
  definePrimitive({
    name: 'matmul',
    onnx: matmulOnnx,
    batch: (prim, [a, b], [ab, bb], params, size) =>
      matmulBatch(prim, a as NdArray, ab ?? null, b as NdArray, bb ?? null, params, size),
    impl: ([a, b], { transA, transB }) => matmulKernel(a, b, transA, transB),
    shape: ([a, b], { transA, transB }) => {
      const nd = a.shape.length
      const m = a.shape[transA ? nd - 1 : nd - 2] as number
      const n = b.shape[transB ? nd - 2 : nd - 1] as number
      return { shape: [...a.shape.slice(0, nd - 2), m, n], dtype: a.dtype }
    },
    // Ċ = op(Ȧ)·op(B) + op(A)·op(Ḃ)
    jvp: ({ inputs: [a, b], params: { transA, transB } }, [aDot, bDot]: readonly [Linear, Linear]) => {
      const l = isZero(aDot) ? undefined : lax.matmul(aDot, b, transA, transB)
      const r = isZero(bDot) ? undefined : lax.matmul(a, bDot, transA, transB)
      return l === undefined ? (r as NdArray) : r === undefined ? l : lax.add(l, r)
    },
    // C = A·B: Ā = C̄·Bᵀ, B̄ = Aᵀ·C̄ — each transpose case below is the same identity with the
    // stored (possibly transposed) operands.
    vjp: ({ inputs: [a, b], params: { transA, transB }, needs }, cBar) => {
      let aBar: Linear = lax.zeroOf(a)
      let bBar: Linear = lax.zeroOf(b)
      if (needs[0]) {
        aBar = !transA
          ? lax.matmul(cBar, b, false, !transB) // C̄·op(B)ᵀ
          : transB
            ? lax.matmul(b, cBar, true, true) // (C̄·B)ᵀ = Bᵀ·C̄ᵀ with B stored n×k
            : lax.matmul(b, cBar, false, true) // (C̄·Bᵀ)ᵀ = B·C̄ᵀ
      }
      if (needs[1]) {
        bBar = !transB
          ? lax.matmul(a, cBar, !transA, false) // op(A)ᵀ·C̄
          : transA
            ? lax.matmul(cBar, a, true, true) // (Aᵀ... )ᵀ = C̄ᵀ·Aᵀ with A stored k×m
            : lax.matmul(cBar, a, true, false) // C̄ᵀ·A
      }
      return [aBar, bBar]
    },
  }),
  (bind) =>
    (a, b, transA = false, transB = false) =>
      bind([a, b], { transA, transB }),
)

// -------------------------------------------------------------------------------------
// batching rule
// -------------------------------------------------------------------------------------

type BDim = number | null

/**
 * matmul with one operand batched folds the batch into that operand's free dimension, so the
 * batch is one large product rather than a broadcast copy of the other operand and many small
 * ones: A batched [B, m, k] (stored transposed: one transpose first) times B [k, n] is a
 * [B·m, k]·[k, n] product; A [m, k] times B batched is A·[k, B·n] (stored transposed [B, n, k]:
 * no copy). Otherwise both operands get the batch first (a batched product).
 */
const matmulBatch = (
  prim: AnyPrimitive,
  a: NdArray,
  ab: BDim,
  b: NdArray,
  bb: BDim,
  p: MatmulParams,
  size: number,
): readonly [NdArray, BDim] => {
  if (ab !== null && bb === null && b.ndim === 2 && a.ndim === 3) {
    let af = lax.batchFirst(a, ab, size) // [S, m, k] (or [S, k, m] stored transposed)
    if (p.transA) af = lax.transpose(af, [0, 2, 1])
    const [s, m, k] = af.shape as [number, number, number]
    const out = bind(prim, [lax.reshape(af, [s * m, k]), b], { transA: false, transB: p.transB })
    return [lax.reshape(out, [s, m, out.shape[1] as number]), 0]
  }
  if (ab === null && bb !== null && a.ndim === 2 && b.ndim === 3) {
    const bf = lax.batchFirst(b, bb, size)
    // A·[k, S·n]: from [S, n, k] (stored transposed) by a reshape; from [S, k, n] by a transpose
    const [s, x, y] = bf.shape as [number, number, number]
    const flat = p.transB ? lax.reshape(bf, [s * x, y]) : lax.reshape(lax.transpose(bf, [1, 0, 2]), [x, s * y])
    const out = bind(prim, [a, flat], p)
    return [lax.reshape(out, [out.shape[0] as number, s, p.transB ? x : y]), 1]
  }
  return [bind(prim, [lax.batchFirst(a, ab, size), lax.batchFirst(b, bb, size)], p), 0]
}

// -------------------------------------------------------------------------------------
// export rule
// -------------------------------------------------------------------------------------

/** ONNX MatMul, with a Transpose of the last two axes of each operand stored transposed. */
function matmulOnnx({ inputs: [a, b], avals, params: { transA, transB }, emit }: OnnxContext<MatmulParams>): string {
  const t = (x: string, rank: number): string => {
    const perm = Array.from({ length: rank }, (_, i) => i)
    perm[rank - 2] = rank - 1
    perm[rank - 1] = rank - 2
    return emit.op('Transpose', [x], { perm: { ints: perm } })
  }
  const ra = avals[0]?.shape.length ?? 2
  const rb = avals[1]?.shape.length ?? 2
  return emit.op('MatMul', [transA ? t(a as string, ra) : (a as string), transB ? t(b as string, rb) : (b as string)])
}

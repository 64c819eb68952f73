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
import { definePrimitive } from '../primitive'
import type { Linear } from '../zero'
import { isZero } from '../zero'

/** Params of matmul: whether each operand is stored transposed in its last two axes. */
export interface MatmulParams {
  readonly transA: boolean
  readonly transB: boolean
}

/** `op(a) @ op(b)`, batched over equal leading axes. @category primitives @since 0.1.0 */
export const matmul = definePrimitive<'matmul', readonly [NdArray, NdArray], MatmulParams>({
  name: 'matmul',
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
})

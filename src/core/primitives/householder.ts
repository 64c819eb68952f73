/**
 * The LAPACK-form primitives of `jax.lax.linalg` that JAX gives no derivative rule:
 * `householder_product` (orgqr), `hessenberg` (gehrd), `tridiagonal` (sytrd), `symmetric_product`
 * (syrk), `cholesky_update` (Givens rotations) and the real `schur` form (gees). Differentiating any of them raises, as in JAX
 * ("Differentiation rule for '…' not implemented"); a derivative that is not asked for (an input
 * held fixed, a symbolic-zero tangent) passes. All batch over leading axes (`cholesky_update` too,
 * where JAX has no batching rule; `lax.linalg.choleskyUpdate` itself takes one matrix, as JAX's).
 *
 * @category primitives
 * @since 0.7.0
 */
import { NotDifferentiableError } from '../../ndarray/errors'
import {
  choleskyUpdate as choleskyUpdateKernel,
  hessenberg as hessenbergKernel,
  householderProduct as householderProductKernel,
  symmetricProduct as symmetricProductKernel,
  tridiagonal as tridiagonalKernel,
} from '../../ndarray/kernels/linalg/householder'
import { schur as schurKernel } from '../../ndarray/kernels/linalg/schur'
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../lax'
import {
  bound,
  boundMulti,
  definePrimitive,
  leading,
  type BoundMultiPrimitive,
  type BoundPrimitive,
  type NoParams,
} from '../primitive'
import { isZero, type Linear } from '../zero'
import { batchLeadingMulti } from './decompositions'
import { dimFromEnd } from './matrixRules'

type A = readonly [NdArray]
type AB = readonly [NdArray, NdArray]

/** JAX's refusal for a primitive without a differentiation rule. */
const noRule = (name: string): never => {
  throw new NotDifferentiableError(`Differentiation rule for '${name}' not implemented`)
}

/** A JVP that passes only all-zero tangents: one zero per output. */
const jvpNone =
  (name: string) =>
  (outputs: ReadonlyArray<NdArray>, tangents: ReadonlyArray<Linear>): ReadonlyArray<Linear> =>
    tangents.every((t) => isZero(t)) ? outputs.map((y) => lax.zeroOf(y)) : noRule(name)

/** A VJP that passes only when no input's cotangent is needed. */
const vjpNone =
  (name: string) =>
  (inputs: ReadonlyArray<NdArray>, needs: ReadonlyArray<boolean>): Linear[] =>
    needs.some((n) => n) ? noRule(name) : inputs.map((x) => lax.zeroOf(x))

/**
 * Q = H₀·…·H_{k−1} (the first n columns) from reflectors packed below the diagonal of `a`
 * ([..., m, n], m ≥ n) and their scales `taus` ([..., k], k ≤ n). No derivative (JAX has none).
 * @category primitives @since 0.7.0
 */
export const householderProduct: BoundPrimitive<'householder_product', AB> = bound(
  definePrimitive<'householder_product', AB, NoParams>({
    name: 'householder_product',
    batch: leading((p: NoParams) => p, true),
    impl: ([a, taus]) => householderProductKernel(a, taus),
    shape: ([a]) => a,
    jvp: ({ output }, tangents) => jvpNone('householder_product')([output], tangents)[0] as Linear,
    vjp: ({ inputs, needs }) => vjpNone('householder_product')(inputs, needs) as unknown as AB,
  }),
)

/**
 * Hessenberg reduction `[a, taus]` in LAPACK's packed form (gehrd): taus has n − 1 entries.
 * No derivative (JAX has none). @category primitives @since 0.7.0
 */
export const hessenberg: BoundMultiPrimitive<'hessenberg', A, NoParams, (a: NdArray) => readonly [NdArray, NdArray]> =
  boundMulti(
    definePrimitive<'hessenberg', A, NoParams>({
      name: 'hessenberg',
      multipleResults: true,
      batch: batchLeadingMulti,
      impl: ([a]) => hessenbergKernel(a),
      shape: ([a]) => {
        const n = dimFromEnd(a, 1)
        return [a, { shape: [...a.shape.slice(0, -2), Math.max(n - 1, 0)], dtype: a.dtype }]
      },
      jvp: ({ outputs }, tangents) => jvpNone('hessenberg')(outputs, tangents),
      vjp: ({ inputs, needs }) => vjpNone('hessenberg')(inputs, needs) as unknown as A,
    }),
    (bind) => (a) => bind([a], {}) as readonly [NdArray, NdArray],
  )

/** Params of tridiagonal: the triangle of the symmetric input that is read. */
export interface TridiagonalParams {
  readonly lower: boolean
}

/**
 * Symmetric tridiagonal reduction `[a, d, e, taus]` in LAPACK's packed form (sytrd). No
 * derivative (JAX has none). @category primitives @since 0.7.0
 */
export const tridiagonal: BoundMultiPrimitive<
  'tridiagonal',
  A,
  TridiagonalParams,
  (a: NdArray, params: TridiagonalParams) => readonly [NdArray, NdArray, NdArray, NdArray]
> = boundMulti(
  definePrimitive<'tridiagonal', A, TridiagonalParams>({
    name: 'tridiagonal',
    multipleResults: true,
    batch: batchLeadingMulti,
    impl: ([a], { lower }) => tridiagonalKernel(a, lower),
    shape: ([a]) => {
      const n = dimFromEnd(a, 1)
      const lead = a.shape.slice(0, -2)
      const k = Math.max(n - 1, 0)
      return [
        a,
        { shape: [...lead, n], dtype: a.dtype },
        ...[0, 1].map(() => ({ shape: [...lead, k], dtype: a.dtype })),
      ]
    },
    jvp: ({ outputs }, tangents) => jvpNone('tridiagonal')(outputs, tangents),
    vjp: ({ inputs, needs }) => vjpNone('tridiagonal')(inputs, needs) as unknown as A,
  }),
  (bind) => (a, params) => bind([a], params) as readonly [NdArray, NdArray, NdArray, NdArray],
)

/** Params of symmetric_product: α·A·Aᵀ + β·C. */
export interface SymmetricProductParams {
  readonly alpha: number
  readonly beta: number
}

/**
 * α·A·Aᵀ + β·C for A [..., m, n], C [..., m, m] (syrk; the whole result is computed). No
 * derivative (JAX has none). @category primitives @since 0.7.0
 */
export const symmetricProduct: BoundPrimitive<
  'symmetric_product',
  AB,
  SymmetricProductParams,
  (a: NdArray, c: NdArray, params: SymmetricProductParams) => NdArray
> = bound(
  definePrimitive<'symmetric_product', AB, SymmetricProductParams>({
    name: 'symmetric_product',
    batch: leading((p: SymmetricProductParams) => p, true),
    impl: ([a, c], { alpha, beta }) => symmetricProductKernel(a, c, alpha, beta),
    shape: ([, c]) => c,
    jvp: ({ output }, tangents) => jvpNone('symmetric_product')([output], tangents)[0] as Linear,
    vjp: ({ inputs, needs }) => vjpNone('symmetric_product')(inputs, needs) as unknown as AB,
  }),
  (bind) => (a, c, params) => bind([a, c], params),
)

/**
 * The upper Cholesky factor of Rᵀ·R + w·wᵀ for upper R [..., n, n] and w [..., n]: no
 * derivative, as JAX's. @category primitives @since 0.7.0
 */
export const choleskyUpdate: BoundPrimitive<'cholesky_update', AB> = bound(
  definePrimitive<'cholesky_update', AB, NoParams>({
    name: 'cholesky_update',
    // JAX defines no batching rule (vmap of it raises there); here the kernel loops over a batch
    batch: leading((p: NoParams) => p, true),
    impl: ([r, w]) => choleskyUpdateKernel(r, w),
    shape: ([r]) => r,
    jvp: ({ output }, tangents) => jvpNone('cholesky_update')([output], tangents)[0] as Linear,
    vjp: ({ inputs, needs }) => vjpNone('cholesky_update')(inputs, needs) as unknown as AB,
  }),
)

/** Params of schur: whether the Schur vectors Q are returned beside T. */
export interface SchurParams {
  readonly computeSchurVectors: boolean
}

/**
 * The real Schur form `[t, q]` (or `[t]`) with A = Q·T·Qᵀ, T upper quasi-triangular with
 * standardised 2×2 blocks (gees, unsorted). No derivative (JAX has none).
 * @category primitives @since 0.7.0
 */
export const schur: BoundMultiPrimitive<
  'schur',
  A,
  SchurParams,
  (a: NdArray, params: SchurParams) => ReadonlyArray<NdArray>
> = boundMulti(
  definePrimitive<'schur', A, SchurParams>({
    name: 'schur',
    multipleResults: true,
    batch: batchLeadingMulti,
    impl: ([a], { computeSchurVectors }) => schurKernel(a, computeSchurVectors),
    shape: ([a], { computeSchurVectors }) => (computeSchurVectors ? [a, a] : [a]),
    jvp: ({ outputs }, tangents) => jvpNone('schur')(outputs, tangents),
    vjp: ({ inputs, needs }) => vjpNone('schur')(inputs, needs) as unknown as A,
  }),
  (bind) => (a, params) => bind([a], params),
)

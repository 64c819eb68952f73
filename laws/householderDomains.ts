/**
 * Law domains of `src/core/primitives/householder.ts` (`householder_product`, `hessenberg`,
 * `tridiagonal`, `symmetric_product`, `cholesky_update`, `schur`): JAX gives them no derivative rule, so
 * every float input is held fixed (`fixed`) and the laws check shapes, replay, batching and that
 * no derivative is asked of them; entries in [−1, 1], small batches.
 *
 * @category laws
 * @since 0.7.0
 */
import * as fc from 'fast-check'
import { array } from '../src/ndarray/create'
import type { NdArray } from '../src/ndarray/NdArray'
import type { Shape } from '../src/ndarray/shape'
import { real, shape } from './arbitraries'
import type { MultiDomain } from './decompositionDomains'
import type { Domain } from './domains'

const batchShape: fc.Arbitrary<Shape> = shape({ maxRank: 1, maxDim: 2 })
const countOf = (s: Shape): number => s.reduce((a, b) => a * b, 1)

/** An array of `shape` with entries in [−1, 1] (shifted by `diag` on the last two axes' diagonal). */
const entries = (s: Shape, diag = 0): fc.Arbitrary<NdArray> =>
  fc.array(real({ min: -1, max: 1 }), { minLength: countOf(s), maxLength: countOf(s) }).map((xs) => {
    const n = s[s.length - 1] ?? 1
    const m = s[s.length - 2] ?? 1
    return array(
      xs.map((v, k) => (diag !== 0 && Math.floor(k / n) % m === k % n ? v + diag : v)),
      { shape: s, dtype: 'float64' },
    )
  })

const ALL_FIXED = [0, 1]

/** Domains of the single-result primitives. @category laws @since 0.7.0 */
export const householderDomains: {
  readonly householder_product: Domain<'householder_product'>
  readonly symmetric_product: Domain<'symmetric_product'>
  readonly cholesky_update: Domain<'cholesky_update'>
} = {
  householder_product: {
    instances: fc
      .record({ n: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 2 }), b: batchShape })
      .chain(({ n, extra, b }) =>
        fc
          .integer({ min: 0, max: n })
          .chain((k) => fc.tuple(entries([...b, n + extra, n]), entries([...b, k])))
          .map(([a, t]) => ({ inputs: [a, t] as const, params: {}, fixed: ALL_FIXED })),
      ),
  },
  symmetric_product: {
    instances: fc
      .record({ m: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 1, max: 3 }), b: batchShape })
      .chain(({ m, n, b }) =>
        fc
          .tuple(entries([...b, m, n]), entries([...b, m, m]), real({ min: -2, max: 2 }), real({ min: -2, max: 2 }))
          .map(([a, c, alpha, beta]) => ({ inputs: [a, c] as const, params: { alpha, beta }, fixed: ALL_FIXED })),
      ),
  },
  cholesky_update: {
    instances: fc
      .record({ n: fc.integer({ min: 1, max: 4 }), b: batchShape })
      .chain(({ n, b }) =>
        fc
          .tuple(entries([...b, n, n], 2), entries([...b, n]))
          .map(([r, w]) => ({ inputs: [r, w] as const, params: {}, fixed: ALL_FIXED })),
      ),
  },
}

/** Domains of the `multipleResults` primitives. @category laws @since 0.7.0 */
export const householderMultiDomains: {
  readonly hessenberg: MultiDomain<'hessenberg'>
  readonly tridiagonal: MultiDomain<'tridiagonal'>
  readonly schur: MultiDomain<'schur'>
} = {
  hessenberg: {
    instances: fc
      .record({ n: fc.integer({ min: 1, max: 4 }), b: batchShape })
      .chain(({ n, b }) => entries([...b, n, n]).map((a) => ({ inputs: [a], params: {}, fixed: [0] }))),
  },
  tridiagonal: {
    instances: fc
      .record({ n: fc.integer({ min: 1, max: 4 }), b: batchShape, lower: fc.boolean() })
      .chain(({ n, b, lower }) => entries([...b, n, n]).map((a) => ({ inputs: [a], params: { lower }, fixed: [0] }))),
  },
  schur: {
    instances: fc
      .record({ n: fc.integer({ min: 1, max: 4 }), b: batchShape, computeSchurVectors: fc.boolean() })
      .chain(({ n, b, computeSchurVectors }) =>
        entries([...b, n, n]).map((a) => ({ inputs: [a], params: { computeSchurVectors }, fixed: [0] })),
      ),
  },
}

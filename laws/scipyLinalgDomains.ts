/**
 * Law domains of `src/core/primitives/scipyLinalg.ts` and `determinant.ts`: `det` on any matrix, `expm` on small, well-scaled matrices
 * (entries in [−1, 1], scaled so ‖A‖₁ stays below the degree-13 threshold and e^A is of modest
 * size: central differences resolve the Fréchet derivative to float64's tolerance), and
 * `lu_pivots_to_permutation` on valid LAPACK pivots (pivot i in [i, m)).
 *
 * @category laws
 * @since 0.2.0
 */
import * as fc from 'fast-check'
import { array } from '../src/ndarray/create'
import type { Shape } from '../src/ndarray/shape'
import { real, shape } from './arbitraries'
import type { Domain } from './domains'

const batchShape: fc.Arbitrary<Shape> = shape({ maxRank: 1, maxDim: 2 })
const countOf = (s: Shape): number => s.reduce((a, b) => a * b, 1)

/** Domains of expm, det and lu_pivots_to_permutation. @category laws @since 0.2.0 */
export const scipyLinalgDomains: {
  readonly expm: Domain<'expm'>
  readonly lu_pivots_to_permutation: Domain<'lu_pivots_to_permutation'>
  readonly det: Domain<'det'>
} = {
  expm: {
    instances: fc.record({ n: fc.integer({ min: 1, max: 4 }), b: batchShape }).chain(({ n, b }) =>
      fc
        .array(real({ min: -1, max: 1 }), { minLength: countOf(b) * n * n, maxLength: countOf(b) * n * n })
        .map((xs) => ({
          inputs: [
            array(
              xs.map((v) => (1.5 * v) / n),
              { shape: [...b, n, n], dtype: 'float64' },
            ),
          ] as const,
          params: {},
        })),
    ),
  },
  // det: any matrix with entries in [−1, 1] (a polynomial; its rule is exact at singular ones too)
  det: {
    instances: fc
      .record({ n: fc.integer({ min: 1, max: 4 }), b: batchShape })
      .chain(({ n, b }) =>
        fc
          .array(real({ min: -1, max: 1 }), { minLength: countOf(b) * n * n, maxLength: countOf(b) * n * n })
          .map((xs) => ({ inputs: [array(xs, { shape: [...b, n, n], dtype: 'float64' })] as const, params: {} })),
      ),
  },
  lu_pivots_to_permutation: {
    instances: fc
      .record({ m: fc.integer({ min: 1, max: 5 }), extra: fc.integer({ min: 0, max: 2 }), b: batchShape })
      .chain(({ m, extra, b }) => {
        const k = Math.max(0, m - extra)
        return fc
          .array(fc.double({ min: 0, max: 0.999, noNaN: true }), {
            minLength: countOf(b) * k,
            maxLength: countOf(b) * k,
          })
          .map((us) => ({
            inputs: [
              array(
                us.map((u, t) => {
                  const i = t % Math.max(k, 1)
                  return i + Math.floor(u * (m - i))
                }),
                { shape: [...b, k], dtype: 'int32' },
              ),
            ] as const,
            params: { permutationSize: m },
          }))
      }),
  },
}

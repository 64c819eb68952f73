/**
 * Law domains of the sorting and running-scan primitives (`sort`, `top_k`, `cumprod`,
 * `cummax`, `cummin`, `cumlogsumexp`): keys, maxima and minima are distinct and at least a
 * slot apart, so the permutation or the argmax path does not change within a finite-difference
 * step; products and log-sum-exps take any values (cumprod's derivative at zeros is
 * tested beside the op).
 *
 * @category laws
 * @since 0.2.0
 */
import * as fc from 'fast-check'
import type { NdArray } from '../src/ndarray/NdArray'
import type { Shape } from '../src/ndarray/shape'
import { ndarray, shape } from './arbitraries'
import type { Domain } from './domains'
import type { MultiDomain } from './decompositionDomains'

/** Shapes of rank 1–3 (zero-length axes included), with an axis of each. */
const withAxis = (minDim: number): fc.Arbitrary<readonly [Shape, number]> =>
  shape({ minRank: 1, minDim }).chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: 0, max: s.length - 1 })))

const scanDomain = (x: (s: Shape) => fc.Arbitrary<NdArray>) =>
  fc
    .oneof({ weight: 4, arbitrary: withAxis(1) }, { weight: 1, arbitrary: withAxis(0) })
    .chain(([s, axis]) => fc.tuple(x(s), fc.constant(axis), fc.boolean()))
    .map(([v, axis, reverse]) => ({ inputs: [v], params: { axis, reverse } }))

/** Domains of the single-result running scans. @category laws @since 0.2.0 */
export const sortingDomains: {
  readonly [K in 'cumprod' | 'cummax' | 'cummin' | 'cumlogsumexp']: Domain<K>
} = {
  cumprod: { instances: scanDomain((s) => ndarray({ shape: s })) },
  cummax: { instances: scanDomain((s) => ndarray({ shape: s, distinct: true })) },
  cummin: { instances: scanDomain((s) => ndarray({ shape: s, distinct: true })) },
  cumlogsumexp: { instances: scanDomain((s) => ndarray({ shape: s, min: -30, max: 30 })) },
}

/** Domains of sort (1–3 operands, 1 or more keys) and top_k. @category laws @since 0.2.0 */
export const sortingMultiDomains: { readonly [K in 'sort' | 'top_k']: MultiDomain<K> } = {
  sort: {
    instances: withAxis(1).chain(([s, dimension]) =>
      fc
        .tuple(
          fc.array(ndarray({ shape: s }), { minLength: 0, maxLength: 2 }),
          fc.nat(),
          ndarray({ shape: s, distinct: true }),
        )
        .map(([rest, keys, first]) => ({
          inputs: [first, ...rest],
          params: { dimension, isStable: true, numKeys: 1 + (keys % (rest.length + 1)) },
        })),
    ),
  },
  top_k: {
    instances: shape({ minRank: 1 }).chain((s) =>
      fc
        .tuple(ndarray({ shape: s, distinct: true }), fc.integer({ min: 0, max: s[s.length - 1] as number }))
        .map(([x, k]) => ({ inputs: [x], params: { k } })),
    ),
  },
}

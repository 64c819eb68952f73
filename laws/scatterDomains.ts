/**
 * Law domains of the scatter family (src/core/primitives/scatter.ts): `x` of shape
 * `[n, ...rest]`, in-range int32 indices of rank ≤ 2 (repeated ones included, except for
 * `scatter_mul`, whose update derivative needs `uniqueIndices`) and updates of shape
 * `[...indices, ...rest]`; for `scatter_min/max` all values distinct (no ties).
 *
 * @category laws
 * @since 0.2.0
 */
import * as fc from 'fast-check'
import type { ScatterOpParams } from '../src/core/primitives/scatter'
import { array } from '../src/ndarray/create'
import type { NdArray } from '../src/ndarray/NdArray'
import type { Shape } from '../src/ndarray/shape'
import { ndarray, shape } from './arbitraries'
import type { Domain } from './domains'
import type { Instance } from './probe'

const sizeOf = (s: Shape): number => s.reduce((a, b) => a * b, 1)

type Kind = 'any' | 'unique' | 'distinct'

/** Indices into n rows: any in range, or (unique) a shuffled subset of 0..n−1 of length ≤ n. */
const indexArray = (n: number, unique: boolean): fc.Arbitrary<NdArray> =>
  unique
    ? fc
        .shuffledSubarray(
          Array.from({ length: n }, (_, i) => i),
          { minLength: 0, maxLength: n },
        )
        .map((v) => array(v, { shape: [v.length], dtype: 'int32' }))
    : shape({ maxRank: 2, minDim: 0 }).chain((s) => ndarray({ shape: s, dtype: 'int32', min: 0, max: n - 1 }))

const instances = (kind: Kind): fc.Arbitrary<Instance<ScatterOpParams>> =>
  fc
    .tuple(fc.integer({ min: 1, max: 4 }), shape({ maxRank: 2 }))
    .chain(([n, rest]) => fc.tuple(fc.constant([n, ...rest]), indexArray(n, kind === 'unique')))
    .chain(([xs, idx]) => {
      const us = [...idx.shape, ...xs.slice(1)]
      const values =
        kind === 'distinct'
          ? ndarray({ shape: [sizeOf(xs) + sizeOf(us)], distinct: true, min: -3, max: 3 }).map((z) => {
              const d = z.toTypedArray()
              return [array(d.slice(0, sizeOf(xs)), { shape: xs }), array(d.slice(sizeOf(xs)), { shape: us })] as const
            })
          : fc.tuple(ndarray({ shape: xs }), ndarray({ shape: us }))
      return values.map(([x, u]) => ({ inputs: [x, idx, u], params: { uniqueIndices: kind === 'unique' } }))
    })

/** The domains of the scatter family, spread into `domains`. @category laws @since 0.2.0 */
export const scatterDomains: {
  readonly scatter: Domain<'scatter'>
  readonly scatter_mul: Domain<'scatter_mul'>
  readonly scatter_min: Domain<'scatter_min'>
  readonly scatter_max: Domain<'scatter_max'>
} = {
  scatter: { instances: instances('any') },
  scatter_mul: { instances: instances('unique') },
  scatter_min: { instances: instances('distinct') },
  scatter_max: { instances: instances('distinct') },
}

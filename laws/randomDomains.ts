/**
 * Law domains of the random primitives (src/core/primitives/random.ts): small arrays of raw keys
 * [...K, 2] (any uint32 words) with blocks of small shapes, so the batching law (vmap over keys
 * equals the keys one at a time) and the staging laws see every primitive.
 *
 * @category laws
 * @since 0.2.0
 */
import * as fc from 'fast-check'
import { array } from '../src/ndarray/create'
import type { DType } from '../src/ndarray/dtype'
import type { NdArray } from '../src/ndarray/NdArray'
import type { Shape } from '../src/ndarray/shape'
import { real, shape } from './arbitraries'
import type { Domain } from './domains'

const sizeOf = (s: Shape): number => s.reduce((a, b) => a * b, 1)
const arrayOf = (s: Shape, elements: fc.Arbitrary<number>, dtype: DType): fc.Arbitrary<NdArray> =>
  fc.array(elements, { minLength: sizeOf(s), maxLength: sizeOf(s) }).map((xs) => array(xs, { shape: s, dtype }))

/** A key array of leading shape `lead`. */
const keys = (lead: Shape): fc.Arbitrary<NdArray> =>
  arrayOf([...lead, 2], fc.integer({ min: 0, max: 0xffffffff }), 'int64')
const leads = shape({ maxRank: 2 })
const blocks = shape({ maxRank: 2 })

/** Keys with a block shape. */
const keyBlock = fc
  .tuple(leads, blocks)
  .chain(([lead, block]) => fc.tuple(keys(lead), fc.constant(block), fc.constant(lead)))

/** Keys and a float operand of shape [...K, ...block] with elements in [min, max]. */
const keyOperand = (min: number, max: number): fc.Arbitrary<readonly [NdArray, NdArray]> =>
  keyBlock.chain(([k, block, lead]) =>
    fc.tuple(fc.constant(k), arrayOf([...lead, ...block], real({ min, max }), 'float64')),
  )

/** The random primitives' domains. @category laws @since 0.2.0 */
export const randomDomains: {
  readonly [
    K in
      | 'random_split'
      | 'random_fold_in'
      | 'random_bits'
      | 'random_unit'
      | 'random_randint'
      | 'random_shuffle'
      | 'random_gamma'
      | 'random_poisson'
  ]: Domain<K>
} = {
  random_split: { instances: keyBlock.map(([k, block]) => ({ inputs: [k], params: { shape: block } })) },
  random_fold_in: {
    instances: leads
      .chain((lead) => fc.tuple(keys(lead), arrayOf(lead, fc.integer({ min: 0, max: 2 ** 31 - 1 }), 'int32')))
      .map(([k, d]) => ({ inputs: [k, d], params: {} })),
  },
  random_bits: { instances: keyBlock.map(([k, block]) => ({ inputs: [k], params: { shape: block } })) },
  random_unit: {
    instances: fc
      .tuple(keyBlock, fc.constantFrom('float32' as const, 'float64' as const))
      .map(([[k, block], dtype]) => ({ inputs: [k], params: { shape: block, dtype } })),
  },
  random_randint: {
    instances: keyBlock.chain(([k, block, lead]) => {
      const s = [...lead, ...block]
      return fc
        .tuple(
          arrayOf(s, fc.integer({ min: -50, max: 50 }), 'int32'),
          arrayOf(s, fc.integer({ min: 1, max: 2 ** 31 - 100 }), 'int32'),
        )
        .map(([lo, span]) => {
          const hi = array(
            Array.from(lo.toTypedArray(), (v, i) => v + (span.toTypedArray()[i] as number)),
            { shape: s, dtype: 'int32' },
          )
          return { inputs: [k, lo, hi], params: { shape: block, dtype: 'int32' as const } }
        })
    }),
  },
  random_shuffle: {
    instances: fc
      .tuple(leads, shape({ minRank: 1, maxRank: 2, maxDim: 4 }))
      .chain(([lead, s]) => fc.tuple(keys(lead), fc.constant(s), fc.integer({ min: 0, max: s.length - 1 })))
      .map(([k, s, axis]) => ({ inputs: [k], params: { shape: s, axis } })),
  },
  // the draws' derivative in a is the implicit one (x = F⁻¹(u; a) at fixed u), not the derivative
  // of the rejection sampler's path, so finite differences of the sampler cannot check it: a is
  // held fixed here and test/ops/random.test.ts checks the rule (E[dx/da] = dE[x]/da = 1)
  random_gamma: { instances: keyOperand(0.3, 5).map(([k, a]) => ({ inputs: [k, a], params: {}, fixed: [1] })) },
  random_poisson: { instances: keyOperand(0, 30).map(([k, lam]) => ({ inputs: [k, lam], params: {} })) },
}

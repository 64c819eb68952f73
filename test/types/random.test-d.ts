/**
 * Types of random.split as ported JAX code uses them: `keys = split(key, n)` with a count known
 * only at run time indexes (`keys[i]`, as `keys = random.split(key, len(sizes))` then `keys[i]`);
 * literal counts destructure.
 */
import { expectTypeOf, test } from 'vitest'
import { random, type NdArray } from '../../src/index'

test('split with a run-time count is indexable', () => {
  const sizes = [784, 512, 10]
  const keys = random.split(random.key(0), sizes.length)
  expectTypeOf(keys[1]).toEqualTypeOf<NdArray | undefined>()
  expectTypeOf(keys.shape).toEqualTypeOf<ReadonlyArray<number>>()
})

test('split with a literal count destructures into that many keys', () => {
  const [a, b, c] = random.split(random.key(0), 3)
  expectTypeOf(a).toEqualTypeOf<NdArray>()
  expectTypeOf(c).toEqualTypeOf<NdArray>()
  expectTypeOf(b).toEqualTypeOf<NdArray>()
})

/**
 * JAX's threefry PRNG reproduced bit for bit, against published values:
 * - Random123's known answers for threefry2x32_20 (kat_vectors; the same three JAX's
 *   `testThreefry2x32` checks, citing Random123-Boost's test_threefry.cpp),
 * - JAX's tests/random_test.py (`test_prng_seeds_and_keys`, and for the original layout
 *   `testPRNGValues`, `testRngRandomBits` and the `_RANDOM_VALUES_CASES` of `bits` and `uniform`),
 * - the `jax.random` module docstring (docs.jax.dev/en/latest/jax.random.html, the partitionable
 *   layout that JAX ≥ 0.5.0 uses by default): `uniform(key(0))` and `uniform(split(key(0))[1])`.
 */
import { describe, expect, it } from 'vitest'
import { ValueError } from '../../src/ndarray/errors'
import {
  foldIn,
  randomBits,
  randomBits64,
  seedKey,
  splitKey,
  threefry2x32,
  threefryCounts,
  uniform,
  type KeyData,
} from '../../src/ndarray/random/threefry'

const ORIGINAL = { partitionable: false } as const
const pairs = (words: Uint32Array): number[][] =>
  Array.from({ length: words.length / 2 }, (_, i) => [words[2 * i] ?? -1, words[2 * i + 1] ?? -1])
const join64 = ([hi, lo]: [Uint32Array, Uint32Array]): bigint[] =>
  Array.from(hi, (h, i) => (BigInt(h) << 32n) | BigInt(lo[i] ?? 0))
/** Asserts float32 draws equal the values JAX prints (6 digits), as JAX's tests do with assertAllClose. */
const expectPrinted = (xs: ArrayLike<number>, expected: ReadonlyArray<number>): void => {
  expect(xs.length).toBe(expected.length)
  Array.from(xs).forEach((x, i) => expect(x).toBeCloseTo(expected[i] ?? NaN, 6))
}

describe('threefry2x32 block function', () => {
  it.each([
    { key: [0, 0], ctr: [0, 0], out: [0x6b200159, 0x99ba4efe] },
    { key: [0xffffffff, 0xffffffff], ctr: [0xffffffff, 0xffffffff], out: [0x1cb996fc, 0xbb002be7] },
    { key: [0x13198a2e, 0x03707344], ctr: [0x243f6a88, 0x85a308d3], out: [0xc4923a9c, 0x483df7a0] },
  ])('Random123 known answer: key $key, counter $ctr', ({ key, ctr, out }) => {
    const [k0 = 0, k1 = 0] = key
    const [x0 = 0, x1 = 0] = ctr
    expect(threefry2x32(k0, k1, x0, x1)).toEqual(out)
  })

  it('threefry_2x32 over a count array hashes the first half against the second (testThreefry2x32Large, small)', () => {
    // Arrange: n copies of each counter word, as JAX's large test does with n = 10⁷
    const n = 5
    const count = new Uint32Array(2 * n)
    count.fill(0x243f6a88, 0, n).fill(0x85a308d3, n)
    // Act
    const out = threefryCounts([0x13198a2e, 0x03707344], count)
    // Assert
    expect(Array.from(out.subarray(0, n))).toEqual(Array(n).fill(0xc4923a9c))
    expect(Array.from(out.subarray(n))).toEqual(Array(n).fill(0x483df7a0))
  })

  it('an odd count is padded with a zero counter, which pairs with the middle element', () => {
    const out = threefryCounts([7, 9], Uint32Array.of(1, 2, 3))
    const [a0, a1] = threefry2x32(7, 9, 1, 3)
    const [b0] = threefry2x32(7, 9, 2, 0)
    expect(Array.from(out)).toEqual([a0, b0, a1])
  })
})

describe('seeds (test_prng_seeds_and_keys)', () => {
  it.each([
    { seed: 0, x32: [0, 0], x64: [0, 0] },
    { seed: 3, x32: [0, 3], x64: [0, 3] },
    { seed: -1, x32: [0, 4294967295], x64: [4294967295, 4294967295] },
    { seed: -3, x32: [0, 4294967293], x64: [4294967295, 4294967293] },
    { seed: 2 ** 31 - 1 + 100, x32: [0, 2147483747], x64: [0, 2147483747] },
    { seed: -(2 ** 31) - 100, x32: [0, 2147483548], x64: [4294967295, 2147483548] },
    { seed: -(2 ** 31) - 101, x32: [0, 2147483547], x64: [4294967295, 2147483547] },
  ])('PRNGKey($seed)', ({ seed, x32, x64 }) => {
    expect(seedKey(seed)).toEqual(x32)
    expect(seedKey(seed, { x64: true })).toEqual(x64)
    expect(seedKey(BigInt(seed), { x64: true })).toEqual(x64)
  })

  it('seeds past 32 bits keep their high word only with x64; past int64 they are refused', () => {
    expect(seedKey(2 ** 32 + 5, { x64: true })).toEqual([1, 5])
    expect(seedKey(2 ** 32 + 5)).toEqual([0, 5])
    expect(seedKey(2n ** 63n - 1n, { x64: true })).toEqual([0x7fffffff, 0xffffffff])
    expect(() => seedKey(2n ** 63n)).toThrow(ValueError)
    expect(() => seedKey(0.5)).toThrow(ValueError)
    expect(() => seedKey(2 ** 60)).toThrow(/bigint/)
  })
})

describe('partitionable layout (JAX ≥ 0.5.0 default)', () => {
  const key0 = seedKey(0)

  it('uniform(key(0)) and uniform(split(key(0))[1]) as the jax.random docs print them', () => {
    expectPrinted(uniform(key0, 1, 'float32'), [0.947667])
    const keys = splitKey(key0, 2)
    const sub: KeyData = [keys[2] ?? 0, keys[3] ?? 0]
    expectPrinted(uniform(sub, 1, 'float32'), [0.00729382])
  })

  it('split(key, n)[i] equals fold_in(key, i) (test_threefry_split_fold_in_symmetry)', () => {
    const key = seedKey(72)
    const keys = pairs(splitKey(key, 3))
    expect(keys).toEqual([0, 1, 2].map((i) => foldIn(key, i)))
  })

  it('bits of counter i are y0 ^ y1 of the hash of (0, i); 64-bit words are (y0, y1)', () => {
    const key: KeyData = [11, 22]
    const words = Array.from({ length: 4 }, (_, i) => threefry2x32(11, 22, 0, i))
    expect(Array.from(randomBits(key, 32, 4))).toEqual(words.map(([a, b]) => (a ^ b) >>> 0))
    expect(Array.from(randomBits(key, 8, 4))).toEqual(words.map(([a, b]) => (a ^ b) & 0xff))
    expect(Array.from(randomBits(key, 16, 4))).toEqual(words.map(([a, b]) => (a ^ b) & 0xffff))
    expect(join64(randomBits64(key, 4))).toEqual(words.map(([a, b]) => (BigInt(a) << 32n) | BigInt(b)))
  })

  it('a draw is a prefix of a longer draw (counters are element indices)', () => {
    const long = uniform([5, 6], 10, 'float64')
    expect(Array.from(uniform([5, 6], 4, 'float64'))).toEqual(Array.from(long.subarray(0, 4)))
  })
})

describe('original layout (JAX < 0.5.0, jax_threefry_partitionable=False)', () => {
  it('split(key(0), 4) and fold_in(key(0), 4) (testPRNGValues)', () => {
    expect(pairs(splitKey(seedKey(0), 4, ORIGINAL))).toEqual([
      [2285895361, 1501764800],
      [1518642379, 4090693311],
      [433833334, 4221794875],
      [839183663, 3740430601],
    ])
    expect(foldIn(seedKey(0), 4)).toEqual([2285895361, 433833334])
  })

  it('random bits of key(1701) in 8, 16, 32 and 64 bits (testRngRandomBits)', () => {
    const key = seedKey(1701)
    expect(Array.from(randomBits(key, 8, 3, ORIGINAL))).toEqual([216, 115, 43])
    expect(Array.from(randomBits(key, 16, 3, ORIGINAL))).toEqual([41682, 1300, 55017])
    expect(Array.from(randomBits(key, 32, 3, ORIGINAL))).toEqual([56197195, 4200222568, 961309823])
    expect(join64(randomBits64(key, 3, ORIGINAL))).toEqual([
      3982329540505020460n,
      16822122385914693683n,
      7882654074788531506n,
    ])
  })

  it('bits and uniform of the _RANDOM_VALUES_CASES (seed = adler32(name + "threefry2x32"))', () => {
    // zlib.adler32(b'bitsthreefry2x32') = 942802475, zlib.adler32(b'uniformthreefry2x32') = 1338574713
    const bitsKey = seedKey(942802475)
    expect(Array.from(randomBits(bitsKey, 8, 5, ORIGINAL))).toEqual([10, 158, 82, 54, 158])
    expect(Array.from(randomBits(bitsKey, 16, 5, ORIGINAL))).toEqual([6738, 38161, 50695, 57337, 61600])
    expect(Array.from(randomBits(bitsKey, 32, 5, ORIGINAL))).toEqual([
      1978747883, 4134381225, 3628107870, 689687174, 2788938207,
    ])
    expect(join64(randomBits64(bitsKey, 5, ORIGINAL))).toEqual([
      17649965731882839947n,
      1415307058040849897n,
      8282622628079774249n,
      14024425113645909402n,
      2012979996110532418n,
    ])
    const u = uniform(seedKey(1338574713), 5, 'float32', 0, 1, ORIGINAL)
    expectPrinted(u, [0.298671, 0.073213, 0.873356, 0.260549, 0.412797])
  })
})

describe('bits to floats', () => {
  it('float32: mantissa from the top 23 bits, in [0, 1)', () => {
    const key: KeyData = [0, 0]
    const [a, b] = threefry2x32(0, 0, 0, 0)
    expect(Array.from(uniform(key, 1, 'float32'))).toEqual([(((a ^ b) >>> 0) >>> 9) * 2 ** -23])
  })

  it('float64: mantissa from the top 52 bits of (hi, lo)', () => {
    const [hi, lo] = threefry2x32(3, 4, 0, 0)
    expect(Array.from(uniform([3, 4], 1, 'float64'))).toEqual([(hi * 2 ** 20 + (lo >>> 12)) * 2 ** -52])
  })

  it('minval/maxval scale in the dtype and never fall below minval', () => {
    const u = uniform([1, 2], 1000, 'float32', -2, 3)
    expect(Array.from(u).every((v) => v >= -2 && v < 3)).toBe(true)
    const unit = uniform([1, 2], 1000, 'float32')
    expect(u[7]).toBe(Math.fround(Math.fround((unit[7] ?? 0) * 5) - 2))
  })

  it('bad sizes and fold_in data are ValueErrors', () => {
    expect(() => randomBits([0, 0], 32, -1)).toThrow(ValueError)
    expect(() => splitKey([0, 0], 1.5)).toThrow(ValueError)
    expect(() => foldIn([0, 0], -1)).toThrow(/fold_in/)
  })
})

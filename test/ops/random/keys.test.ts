/**
 * The public `random` API (JAX's key API on raw key arrays): JAX's own published values for
 * PRNGKey(0), and reproducibility across eager, `jit` and `vmap`, bit for bit.
 *
 * JAX reference values:
 * - `jax.random` module docstring (docs.jax.dev/en/latest/jax.random.html, JAX ≥ 0.5.0 default
 *   partitionable layout): `random.uniform(key(0))` prints 0.947667 and, after
 *   `key, subkey = random.split(key)`, `random.uniform(subkey)` prints 0.00729382.
 * - JAX's tests/random_test.py `test_threefry_split_fold_in_symmetry`: split(key, n)[i] = fold_in(key, i).
 * The lower-level stream is checked against JAX's test vectors in test/ndarray/threefry.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { jit, random, vmap, DTypeError, ShapeError, ValueError, array, type NdArray } from '../../../src/index'

const values = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>)

describe('keys', () => {
  it('PRNGKey and key are callable without new and give raw key data', () => {
    // Act
    const k = random.PRNGKey(0)
    // Assert
    expect([k.shape, k.dtype, values(k)]).toEqual([[2], 'int64', [0, 0]])
    expect(values(random.key(42))).toEqual([0, 42])
    expect(values(random.key(2 ** 32 + 5))).toEqual([0, 5]) // JAX without x64 keeps the low word
  })

  it('uniform(key(0)) and uniform(split(key(0))[1]) are the values of the jax.random docs', () => {
    const key = random.key(0)
    expect(random.uniform(key).item()).toBeCloseTo(0.947667, 6)
    const [, subkey] = random.split(key)
    expect(random.uniform(subkey).item()).toBeCloseTo(0.00729382, 8)
  })

  it('split(key, n)[i] equals foldIn(key, i); split to a shape', () => {
    const key = random.key(72)
    const keys = random.split(key, 3)
    for (let i = 0; i < 3; i++) expect(values(keys[i] as NdArray)).toEqual(values(random.foldIn(key, i)))
    expect(random.split(key, [2, 3]).shape).toEqual([2, 3, 2])
  })

  it('bits are uint32 words', () => {
    const b = values(random.bits(random.key(1), [100]))
    expect(b.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true)
    expect(new Set(b).size).toBe(100)
  })

  it('bad keys and arguments raise typed errors', () => {
    expect(() => random.uniform(array([1, 2, 3], { dtype: 'int32' }))).toThrow(ShapeError)
    expect(() => random.uniform(array([1, 2], { dtype: 'float32' }))).toThrow(DTypeError)
    expect(() => random.normal(random.split(random.key(0), 2))).toThrow(/single PRNG key/)
    expect(() => random.key(0.5)).toThrow(ValueError)
    expect(() => random.uniform(random.key(0), [2], { minvals: 1 } as never)).toThrow(/minval/)
    expect(() => random.choice(random.key(0), 3, [4], { replace: false })).toThrow(/larger sample/)
  })
})

/** Every sampler as a function of a key alone. */
const samplers: ReadonlyArray<readonly [string, (k: NdArray) => NdArray]> = [
  ['uniform', (k) => random.uniform(k, [5], { minval: -2, maxval: 3 })],
  ['normal', (k) => random.normal(k, [5])],
  ['normal f64', (k) => random.normal(k, [5], { dtype: 'float64' })],
  ['bernoulli', (k) => random.bernoulli(k, 0.3, [5])],
  ['exponential', (k) => random.exponential(k, [5])],
  ['gumbel', (k) => random.gumbel(k, [5])],
  ['laplace', (k) => random.laplace(k, [5])],
  ['logistic', (k) => random.logistic(k, [5])],
  ['cauchy', (k) => random.cauchy(k, [5])],
  ['rademacher', (k) => random.rademacher(k, [5])],
  ['truncatedNormal', (k) => random.truncatedNormal(k, -1, 0.5, [5])],
  ['randint', (k) => random.randint(k, [5], -3, 7)],
  ['categorical', (k) => random.categorical(k, array([0.1, 2, -1, 0.5]), { shape: [5] })],
  ['permutation', (k) => random.permutation(k, 7)],
  [
    'permutation independent',
    (k) =>
      random.permutation(
        k,
        array([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        { axis: 1, independent: true },
      ),
  ],
  ['choice', (k) => random.choice(k, 9, [4], { replace: false })],
  ['choice p', (k) => random.choice(k, 4, [5], { p: array([0.1, 0.2, 0.3, 0.4]) })],
  ['gamma', (k) => random.gamma(k, array([0.5, 1, 3]))],
  ['beta', (k) => random.beta(k, 2, 3, [4])],
  ['dirichlet', (k) => random.dirichlet(k, array([1, 2, 3]), [2])],
  ['t', (k) => random.t(k, 4, [3])],
  ['poisson', (k) => random.poisson(k, array([0.5, 4, 30]))],
  [
    'multivariateNormal',
    (k) =>
      random.multivariateNormal(
        k,
        array([0, 1]),
        array([
          [2, 0.5],
          [0.5, 1],
        ]),
        [3],
      ),
  ],
  ['orthogonal', (k) => random.orthogonal(k, 3)],
]

describe('results depend only on the key: eager = jit = vmap, bit for bit', () => {
  const keys = random.split(random.key(7), 3)
  it.each(samplers)('%s', (_, f) => {
    // Arrange
    const eager = [...keys].map((k) => values(f(k)))
    // Act
    const jitted = [...keys].map((k) => values(jit(f)(k)))
    const mapped = vmap(f)(keys)
    // Assert
    expect(jitted).toEqual(eager)
    expect(mapped.shape[0]).toBe(3)
    const per = values(mapped)
    const m = per.length / 3
    expect([0, 1, 2].map((i) => per.slice(i * m, (i + 1) * m))).toEqual(eager)
    expect(eager[0]).not.toEqual(eager[1]) // different keys, different draws
  })
})

/**
 * `jax.scipy.special.bernoulli`: the Bernoulli numbers B₀…Bₙ. Re-exported by `./special`.
 *
 * @category scipy
 * @since 0.7.0
 */
import { array } from '../../ndarray/create'
import { ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'

/**
 * The Bernoulli numbers B₀…Bₙ (`jax.scipy.special.bernoulli`), float32, in the B⁻ convention
 * (B₁ = −1/2, odd ones past B₁ zero). The even ones come from Euler's identity
 * B₂ₖ = (−1)^(k+1)·2·(2k)!·ζ(2k)/(2π)^(2k), ζ(2k) summed to 49 terms plus an Euler–Maclaurin tail (so B₄, B₆ are accurate to float32, where
 * JAX's 49-term sum is off by ~10⁻⁶ relative).
 * @example
 * import { scipy } from 'wengert'
 * const b = scipy.special.bernoulli(6).toArray() as number[]
 * assert.deepStrictEqual(b.map((v) => Math.round(v * 1e6) / 1e6), [1, -0.5, 0.166667, 0, -0.033333, 0, 0.02381])
 * @category scipy @since 0.7.0
 */
export const bernoulli = (n: number): NdArray => {
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new ValueError(`scipy.special.bernoulli: n must be an integer, got ${String(n)}`)
  if (n < 0) throw new ValueError('scipy.special.bernoulli: n must be a non-negative integer.')
  const b = [1, -1 / 2, 1 / 6].slice(0, n + 1)
  // ratio = 2·(2k)!/(2π)^(2k) with its sign, built up by (2k−1)(2k)/(2π)² per step
  let ratio = (2 * 2) / (4 * Math.PI * Math.PI)
  for (let m = 3; m <= n; m++) {
    if (m % 2 === 1) {
      b.push(0)
      continue
    }
    ratio *= -((m - 1) * m) / (4 * Math.PI * Math.PI)
    let zeta = 1
    for (let k = 2; k < 50; k++) zeta += Math.pow(k, -m)
    // the tail Σ_{k≥50} k^(−m) by Euler–Maclaurin (JAX stops at k = 49: B₄ off by 2.5·10⁻⁶ relative)
    zeta += Math.pow(50, 1 - m) / (m - 1) + Math.pow(50, -m) / 2 + (m * Math.pow(50, -m - 1)) / 12
    b.push(ratio * zeta)
  }
  return array(b, { dtype: 'float32' })
}

/** Sample statistics shared by the sampler tests. */
import { array, type NdArray } from '../../../src/index'

/** The values of an array as numbers. */
export const vals = (x: NdArray): number[] => Array.from(x.toTypedArray() as ArrayLike<number>)

/** The float64 dtype option. */
export const f64 = { dtype: 'float64' } as const

/** The Kolmogorov–Smirnov distance sup |F_n − F| of samples to a CDF given on float64 arrays. */
export const ks = (xs: number[], cdf: (x: NdArray) => NdArray): number => {
  const s = [...xs].sort((a, b) => a - b)
  const F = vals(cdf(array(s, f64)))
  return Math.max(...F.map((f, i) => Math.max((i + 1) / s.length - f, f - i / s.length)))
}

/** The 0.1 % critical value of the KS distance for n samples (asymptotic: 1.95/√n). */
export const ksCritical = (n: number): number => 1.95 / Math.sqrt(n)

/** Sample mean and unbiased variance. */
export const moments = (xs: number[]): [number, number] => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length
  return [m, xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)]
}

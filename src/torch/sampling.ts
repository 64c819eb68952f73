/**
 * The facade's samplers as arrays: PyTorch's CPU kernels (rngKernels.ts) over a generator's
 * Mersenne Twister, the global one when no generator is given. Values are drawn in memory order
 * of a contiguous result.
 *
 * @category torch
 * @since 0.2.0
 */
import { NdArray } from '../ndarray/NdArray'
import { sizeOf } from '../ndarray/shape'
import { default_generator, type Generator } from './generator'
import type { MT19937 } from './mt19937'
import * as K from './rngKernels'
import * as S from './rngSamplers'

type FloatStorage = 'float32' | 'float64'

/** The stream of `generator`, or the global one. */
export const streamOf = (generator: Generator | null | undefined): MT19937 => (generator ?? default_generator)._stream()

const arrayOf = (shape: ReadonlyArray<number>, dtype: FloatStorage | 'int64', v: Float64Array): NdArray =>
  new NdArray([...shape], dtype, dtype === 'float32' ? Float32Array.from(v) : v)

/** Uniforms in [from, to) (`rand`, `uniform_`). */
export const sampleUniform = (
  generator: Generator | null | undefined,
  shape: ReadonlyArray<number>,
  dtype: FloatStorage,
  from = 0,
  to = 1,
): NdArray => arrayOf(shape, dtype, K.uniformFill(streamOf(generator), sizeOf(shape), dtype === 'float32', from, to))

/** Normals N(mean, std²) (`randn`, `normal_`); `contiguous` false for a strided destination. */
export const sampleNormal = (
  generator: Generator | null | undefined,
  shape: ReadonlyArray<number>,
  dtype: FloatStorage,
  mean = 0,
  std = 1,
  contiguous = true,
): NdArray =>
  arrayOf(shape, dtype, K.normalFill(streamOf(generator), sizeOf(shape), dtype === 'float32', mean, std, contiguous))

/** Integers in [low, high) as float64 values (`randint`, `random_`). */
export const sampleIntegers = (
  generator: Generator | null | undefined,
  shape: ReadonlyArray<number>,
  low: number,
  high: number,
): Float64Array => K.integerFill(streamOf(generator), sizeOf(shape), low, high)

/** A permutation of 0..n−1 (`randperm`). */
export const samplePermutation = (generator: Generator | null | undefined, n: number): Float64Array =>
  K.permutation(streamOf(generator), n)

/** 0/1 draws with probability p each (`bernoulli_(p)`, dropout masks), float64. */
export const sampleBernoulli = (
  generator: Generator | null | undefined,
  shape: ReadonlyArray<number>,
  p: number,
): NdArray => new NdArray([...shape], 'float64', K.bernoulliFill(streamOf(generator), sizeOf(shape), p))

/** `n` double uniforms in [0, 1) mapped by `f` (inverse-transform samplers). */
export const sampleInverse = (
  generator: Generator | null | undefined,
  n: number,
  f: (u: number) => number,
): Float64Array => K.inverseFill(streamOf(generator), n, f)

const valuesOf = (a: NdArray): Float64Array => Float64Array.from(a.toTypedArray() as ArrayLike<number>)
const isF32 = (a: NdArray): boolean => a.dtype !== 'float64'
const like = (a: NdArray, v: Float64Array): NdArray => arrayOf(a.shape, isF32(a) ? 'float32' : 'float64', v)

/** Poisson counts of rates `lambda` in memory order (`torch.poisson`), in `lambda`'s dtype. */
export const samplePoisson = (generator: Generator | null | undefined, lambda: NdArray): NdArray => {
  const g = streamOf(generator)
  return like(
    lambda,
    valuesOf(lambda).map((l) => S.poissonDraw(g, l)),
  )
}

/** Binomial counts of `count` trials with probabilities `prob` (same shape; `torch.binomial`). */
export const sampleBinomial = (generator: Generator | null | undefined, count: NdArray, prob: NdArray): NdArray => {
  const g = streamOf(generator)
  const p = valuesOf(prob)
  const f32 = isF32(count)
  return like(
    count,
    valuesOf(count).map((n, i) => S.binomialDraw(g, n, p[i] as number, f32)),
  )
}

/** Gamma(α, 1) draws of concentrations `alpha`, clamped to the smallest normal (`torch._standard_gamma`). */
export const sampleGamma = (generator: Generator | null | undefined, alpha: NdArray): NdArray => {
  const g = streamOf(generator)
  const f32 = isF32(alpha)
  return like(
    alpha,
    valuesOf(alpha).map((a) => Math.max(S.tinyOf(f32), S.gammaDraw(g, a, f32))),
  )
}

/**
 * Dirichlet draws over the last axis of `alpha` (`torch._sample_dirichlet`): Gamma draws in double
 * whatever the dtype, each row divided by its sum, clamped to [smallest normal, largest below 1].
 */
export const sampleDirichlet = (generator: Generator | null | undefined, alpha: NdArray): NdArray => {
  const g = streamOf(generator)
  const f32 = isF32(alpha)
  const gam = valuesOf(alpha).map((a) => Math.max(S.tinyOf(false), S.gammaDraw(g, a, false)))
  const k = alpha.shape[alpha.shape.length - 1] ?? 1
  const hi = f32 ? 1 - 2 ** -24 : 1 - 2 ** -53
  const out = new Float64Array(gam.length)
  for (let row = 0; row < gam.length; row += k) {
    let sum = 0
    for (let j = 0; j < k; j++) sum += gam[row + j] as number
    for (let j = 0; j < k; j++) {
      const x = (gam[row + j] as number) / sum
      out[row + j] = Math.min(hi, Math.max(S.tinyOf(f32), f32 ? Math.fround(x) : x))
    }
  }
  return like(alpha, out)
}

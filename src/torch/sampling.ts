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

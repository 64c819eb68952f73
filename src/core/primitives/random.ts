/**
 * Random-number primitives over raw key arrays (JAX: `random_split`, `random_fold_in`,
 * `random_bits`, `random_gamma`, and the samplers' `threefry2x32` steps). A key array has shape
 * [...K, 2] (int64 holding uint32 words); each primitive maps every key to its own block of the
 * output, so the leading-batch rule is exact: `vmap` over keys equals the keys one at a time.
 *
 * Everything here is integer-valued or a draw, so only `random_gamma` has derivatives: the
 * implicit reparameterisation gradient of its draws with respect to the shape parameter.
 *
 * @category primitives
 * @since 0.2.0
 */
import {
  bitsKeys,
  foldInKeys,
  gammaKeys,
  poissonKeys,
  randintKeys,
  shuffleKeys,
  splitKeys,
  unitKeys,
  type FloatDType,
} from '../../ndarray/random/batched'
import { ShapeError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { shapesEqual, type Shape } from '../../ndarray/shape'
import type { Aval } from '../equation'
import * as lax from '../lax'
import { bound, definePrimitive, leading, type BoundPrimitive, type NoParams } from '../primitive'
import { gammaOnnx, poissonOnnx } from './onnxRandomLoops'
import { bitsOnnx, foldInOnnx, randintOnnx, shuffleOnnx, splitOnnx, unitOnnx } from './onnxRandom'

type K = readonly [NdArray]
type KX = readonly [NdArray, NdArray]
type KXY = readonly [NdArray, NdArray, NdArray]

/** The leading key shape K of a key array [...K, 2]. */
const keyLead = (name: string, key: Aval): Shape => {
  if (key.shape[key.shape.length - 1] !== 2 || (key.dtype !== 'int64' && key.dtype !== 'int32'))
    throw new ShapeError(
      `${name}: expected raw key data of shape [..., 2] (int64), got ${key.dtype}[${key.shape.join(',')}]`,
    )
  return key.shape.slice(0, -1)
}

/** Checks that `x` has shape [...K, ...rest] for the key array's K; returns K. */
const keyed = (name: string, key: Aval, x: Aval, rest?: Shape): Shape => {
  const lead = keyLead(name, key)
  const ok =
    shapesEqual(x.shape.slice(0, lead.length), lead) &&
    (rest === undefined || shapesEqual(x.shape.slice(lead.length), rest))
  if (!ok)
    throw new ShapeError(`${name}: keys [${lead.join(',')}] do not lead the operand shape [${x.shape.join(',')}]`)
  return lead
}

const same = <P>(p: P): P => p

/** Params of the primitives that draw a block of `shape` per key. */
export interface DrawParams {
  readonly shape: Shape
}

/** Params of `random_unit`: the block shape and the float dtype. */
export interface UnitParams extends DrawParams {
  readonly dtype: FloatDType
}

/** Params of `random_randint`: the block shape and the integer dtype. */
export interface RandintParams extends DrawParams {
  readonly dtype: 'int32' | 'int64'
}

/** Params of `random_shuffle`: the shape shuffled and the axis along which. */
export interface ShuffleParams extends DrawParams {
  readonly axis: number
}

/** JAX's `random_split`: every key becomes `shape` new keys, [...K, 2] → [...K, ...shape, 2]. @category primitives @since 0.2.0 */
export const randomSplit: BoundPrimitive<'random_split', K, DrawParams, (keys: NdArray, shape: Shape) => NdArray> =
  bound(
    definePrimitive({
      name: 'random_split',
      impl: ([keys]: K, { shape }: DrawParams) => splitKeys(keys, shape),
      shape: ([keys], { shape }) => ({
        shape: [...keyLead('random_split', keys), ...shape, 2],
        dtype: 'int64' as const,
      }),
      batch: leading<DrawParams>(same),
      derivative: 'none',
      onnx: splitOnnx,
    }),
    (bind) => (keys, shape) => bind([keys], { shape }),
  )

/** JAX's `random_fold_in`: every key hashed with its own integer datum (data shape K). @category primitives @since 0.2.0 */
export const randomFoldIn: BoundPrimitive<'random_fold_in', KX> = bound(
  definePrimitive<'random_fold_in', KX, NoParams>({
    name: 'random_fold_in',
    impl: ([keys, data]) => foldInKeys(keys, data),
    shape: ([keys, data]) => (keyed('random_fold_in', keys, data, []), { shape: keys.shape, dtype: 'int64' as const }),
    batch: leading<NoParams>(same, true),
    derivative: 'none',
    onnx: foldInOnnx,
  }),
)

/** JAX's `random_bits` (32 bits): a block of `shape` uint32 words per key, as int64. @category primitives @since 0.2.0 */
export const randomBits: BoundPrimitive<'random_bits', K, DrawParams, (keys: NdArray, shape: Shape) => NdArray> = bound(
  definePrimitive({
    name: 'random_bits',
    impl: ([keys]: K, { shape }: DrawParams) => bitsKeys(keys, shape),
    shape: ([keys], { shape }) => ({ shape: [...keyLead('random_bits', keys), ...shape], dtype: 'int64' as const }),
    batch: leading<DrawParams>(same),
    derivative: 'none',
    onnx: bitsOnnx,
  }),
  (bind) => (keys, shape) => bind([keys], { shape }),
)

/**
 * Floats in [0, 1) made from 32 (float32) or 64 (float64) random bits as `jax.random.uniform`
 * makes them (the top mantissa bits under the exponent of 1, minus 1).
 * @category primitives @since 0.2.0
 */
export const randomUnit: BoundPrimitive<
  'random_unit',
  K,
  UnitParams,
  (keys: NdArray, shape: Shape, dtype: FloatDType) => NdArray
> = bound(
  definePrimitive({
    name: 'random_unit',
    impl: ([keys]: K, { shape, dtype }: UnitParams) => unitKeys(keys, shape, dtype),
    shape: ([keys], { shape, dtype }) => ({ shape: [...keyLead('random_unit', keys), ...shape], dtype }),
    batch: leading<UnitParams>(same),
    derivative: 'none',
    onnx: unitOnnx,
  }),
  (bind) => (keys, shape, dtype) => bind([keys], { shape, dtype }),
)

/** `jax.random.randint`'s draw: integers in [lo, hi) per element (lo, hi of shape [...K, ...shape]). @category primitives @since 0.2.0 */
export const randomRandint: BoundPrimitive<
  'random_randint',
  KXY,
  RandintParams,
  (keys: NdArray, lo: NdArray, hi: NdArray, shape: Shape, dtype: 'int32' | 'int64') => NdArray
> = bound(
  definePrimitive({
    name: 'random_randint',
    impl: ([keys, lo, hi]: KXY, { shape, dtype }: RandintParams) => randintKeys(keys, lo, hi, shape, dtype),
    shape: ([keys, lo, hi], { shape, dtype }) => {
      const lead = keyed('random_randint', keys, lo, shape)
      keyed('random_randint', keys, hi, shape)
      return { shape: [...lead, ...shape], dtype }
    },
    batch: leading<RandintParams>(same, true),
    derivative: 'none',
    onnx: randintOnnx,
  }),
  (bind) => (keys, lo, hi, shape, dtype) => bind([keys, lo, hi], { shape, dtype }),
)

/**
 * The source indices of JAX's `_shuffle` of an array of `shape` along `axis` (rounds of sorting by
 * random 32-bit keys), int32 of shape [...K, ...shape].
 * @category primitives @since 0.2.0
 */
export const randomShuffle: BoundPrimitive<
  'random_shuffle',
  K,
  ShuffleParams,
  (keys: NdArray, shape: Shape, axis: number) => NdArray
> = bound(
  definePrimitive({
    name: 'random_shuffle',
    impl: ([keys]: K, { shape, axis }: ShuffleParams) => shuffleKeys(keys, shape, axis),
    shape: ([keys], { shape }) => ({ shape: [...keyLead('random_shuffle', keys), ...shape], dtype: 'int32' }),
    batch: leading<ShuffleParams>(same),
    derivative: 'none',
    onnx: shuffleOnnx,
  }),
  (bind) => (keys, shape, axis) => bind([keys], { shape, axis }),
)

/**
 * JAX's `random_gamma`: a Gamma(a, 1) draw per element of a ([...K, ...S]; key i split into one
 * key per element of its block). Differentiable in a by implicit reparameterisation (Figurnov,
 * Mohamed and Mnih 2018): ẋ = random_gamma_grad(a, x)·ȧ, the derivative of x = F⁻¹(u; a) at
 * fixed u = F(x; a) — not the derivative of the rejection sampler's path.
 * @category primitives @since 0.2.0
 */
export const randomGamma: BoundPrimitive<'random_gamma', KX> = bound(
  definePrimitive<'random_gamma', KX, NoParams>({
    name: 'random_gamma',
    impl: ([keys, a]) => gammaKeys(keys, a),
    shape: ([keys, a]) => (keyed('random_gamma', keys, a), a),
    batch: leading<NoParams>(same, true),
    // ẋ = (dx/da)·ȧ ; ā = x̄·dx/da (the key is an integer input: no cotangent)
    jvp: ({ inputs: [, a], output }, [, aDot]) => lax.mul(aDot as NdArray, lax.randomGammaGrad(a, output)),
    vjp: ({ inputs: [keys, a], output }, yBar) => [lax.zeroOf(keys), lax.mul(yBar, lax.randomGammaGrad(a, output))],
    onnx: gammaOnnx,
  }),
)

/** `jax.random.poisson`'s draw: a Poisson(λ) count per element of λ ([...K, ...S]), int32. @category primitives @since 0.2.0 */
export const randomPoisson: BoundPrimitive<'random_poisson', KX> = bound(
  definePrimitive<'random_poisson', KX, NoParams>({
    name: 'random_poisson',
    impl: ([keys, lam]) => poissonKeys(keys, lam),
    shape: ([keys, lam]) => (keyed('random_poisson', keys, lam), { shape: lam.shape, dtype: 'int32' }),
    batch: leading<NoParams>(same, true),
    derivative: 'none',
    onnx: poissonOnnx,
  }),
)

/**
 * In-place methods (`add_`, `mul_`, `exp_`, `zero_`, `fill_`, `copy_`, `clamp_`, …): the op is
 * computed out of place from the tensor's current value, then committed (storage replaced,
 * version bumped, grad_fn rebased; see `commitInplace`). Leaves that require grad refuse
 * in-place ops under grad mode, as PyTorch does.
 *
 * @category torch
 * @since 0.1.0
 */
import * as lax from '../../core/lax'
import { full } from '../../ndarray/create'
import { NdArray } from '../../ndarray/NdArray'
import { checkInplace, commitInplace, op } from '../autograd/op'
import { asTensor, broadcastShape, checkBroadcast, checkOutputShape, type TensorOrScalar } from '../ops/convert'
import { checkOptions } from '../../internal/options'
import { NotImplementedError, RuntimeError } from '../errors'
import { sampleBernoulli, sampleNormal, sampleUniform } from '../sampling'
import { bernoulli, type GeneratorKw, type SamplerKw } from './randomFns'
import type { Tensor } from '../tensor'
import { roundNamed } from './roundDecimals'
import { indexMethods } from './index'
import { inplaceForm } from './aliases'
import { mathMethods } from './math'
import { checkNoPartialOverlap } from './memOverlap'
import { ERR_META_COPY, isMeta, metaArray } from '../meta'
import { toMeta } from '../metaOps'

type T = Tensor

/** The in-place methods installed on Tensor. */
export const inplaceMethods = {
  add_: inplaceForm(mathMethods.add),
  sub_: inplaceForm(mathMethods.sub),
  subtract_: inplaceForm(mathMethods.sub),
  mul_: inplaceForm(mathMethods.mul),
  multiply_: inplaceForm(mathMethods.mul),
  div_: inplaceForm(mathMethods.div),
  divide_: inplaceForm(mathMethods.div),
  pow_: inplaceForm(mathMethods.pow),
  neg_: inplaceForm(mathMethods.neg),
  abs_: inplaceForm(mathMethods.abs),
  sign_: inplaceForm(mathMethods.sign),
  exp_: inplaceForm(mathMethods.exp),
  log_: inplaceForm(mathMethods.log),
  sqrt_: inplaceForm(mathMethods.sqrt),
  rsqrt_: inplaceForm(mathMethods.rsqrt),
  reciprocal_: inplaceForm(mathMethods.reciprocal),
  square_: inplaceForm(mathMethods.square),
  sin_: inplaceForm(mathMethods.sin),
  cos_: inplaceForm(mathMethods.cos),
  tanh_: inplaceForm(mathMethods.tanh),
  sigmoid_: inplaceForm(mathMethods.sigmoid),
  relu_: inplaceForm(mathMethods.relu),
  floor_: inplaceForm(mathMethods.floor),
  ceil_: inplaceForm(mathMethods.ceil),
  round_: inplaceForm(roundNamed('round_')),
  clamp_: inplaceForm(mathMethods.clamp),
  clip_: inplaceForm(mathMethods.clamp),
  clamp_min_: inplaceForm(mathMethods.clamp_min),
  clamp_max_: inplaceForm(mathMethods.clamp_max),
  addcmul_: inplaceForm(mathMethods.addcmul),
  addcdiv_: inplaceForm(mathMethods.addcdiv),
  lerp_: inplaceForm(mathMethods.lerp),
  maximum_: inplaceForm(mathMethods.maximum),
  minimum_: inplaceForm(mathMethods.minimum),
  /** In-place masked_fill. */
  masked_fill_(this: T, mask: T, value: TensorOrScalar | { readonly value: TensorOrScalar }): T {
    checkInplace(this)
    return commitInplace(this, indexMethods.masked_fill.call(this, mask, value))
  },
  /** Fills with zeros (ZeroBackward0; an expanded tensor too, as PyTorch's fill kernel skips the overlap check). */
  zero_(this: T): T {
    checkInplace(this, true)
    return commitInplace(
      this,
      op('ZeroBackward0', [this], (x) => (isMeta(x) ? x : lax.zerosLike(x))),
    )
  },
  /**
   * Fills with `value` (FillBackward2; FillBackward3 for a 0-d tensor value: PyTorch's fill_
   * overloads). An expanded tensor may be filled (one value everywhere: PyTorch skips the overlap check).
   */
  fill_(this: T, value: TensorOrScalar): T {
    checkInplace(this, true)
    if (typeof value === 'number' || typeof value === 'boolean') {
      const v = typeof value === 'boolean' ? Number(value) : value
      return commitInplace(
        this,
        op('FillBackward2', [this], (x) => (isMeta(x) ? x : full(x.shape, v, { dtype: x.dtype }))),
      )
    }
    return commitInplace(
      this,
      op('FillBackward3', [this, value], (x, v) => lax.broadcastTo(lax.cast(v, x.dtype), x.shape)),
    )
  },
  /** Copies `src` (broadcast, cast) into this tensor (CopyBackwards). */
  copy_(this: T, src: TensorOrScalar): T {
    checkInplace(this)
    let s = asTensor(src, this._value().dtype)
    // copy_ may cross devices: into a meta tensor only the aval counts; out of one there is no data
    if (s.is_meta !== this.is_meta) {
      if (!this.is_meta) throw new NotImplementedError(ERR_META_COPY)
      s = toMeta(s)
    }
    const shape = this._value().shape
    const ss = s._value().shape
    checkBroadcast(shape, ss)
    checkOutputShape(shape, broadcastShape(shape, ss))
    checkNoPartialOverlap(this, s)
    return commitInplace(
      this,
      op('CopyBackwards', [this, s], (x, v) => lax.broadcastTo(lax.cast(v, x.dtype), x.shape)),
    )
  },
  /** Fills with samples from U[from, to) (under the global generator). */
  uniform_(
    this: T,
    from: number | SamplerKw<'from' | 'to'> = 0,
    to: number | SamplerKw<'to'> = 1,
    kw: GeneratorKw = {},
  ): T {
    if (typeof from !== 'number') return this.uniform_(0, 1, from)
    if (typeof to !== 'number') return this.uniform_(from, 1, to)
    checkInplace(this)
    if (from > to)
      throw new RuntimeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`)
    const v = this._value()
    const { generator } = checkOptions('uniform_', kw, ['generator'])
    const dt = v.dtype === 'float64' ? 'float64' : 'float32'
    // a meta tensor draws nothing (PyTorch's generator does not move either)
    const u = isMeta(v) ? metaArray(v.shape, dt) : sampleUniform(generator, v.shape, dt, from, to)
    return commitInplace(
      this,
      op('UniformBackward0', [this], (x) => lax.cast(u, x.dtype)),
    )
  },
  /** Fills with samples from N(mean, std²). */
  normal_(
    this: T,
    mean: number | SamplerKw<'mean' | 'std'> = 0,
    std: number | SamplerKw<'std'> = 1,
    kw: GeneratorKw = {},
  ): T {
    if (typeof mean !== 'number') return this.normal_(0, 1, mean)
    if (typeof std !== 'number') return this.normal_(mean, 1, std)
    checkInplace(this)
    if (!(std >= 0)) throw new RuntimeError(`normal expects std >= 0.0, but found std ${std}`)
    const v = this._value()
    const { generator } = checkOptions('normal_', kw, ['generator'])
    const dense = this.is_contiguous()
    const dt = v.dtype === 'float64' ? 'float64' : 'float32'
    const drawn = isMeta(v) ? metaArray(v.shape, dt) : sampleNormal(generator, v.shape, dt, mean, std, dense)
    const n = dense || isMeta(v) ? drawn : inMemoryOrder(drawn, [...this.stride()])
    return commitInplace(
      this,
      op('NormalBackward0', [this], (x) => lax.cast(n, x.dtype)),
    )
  },
  /** Fills with 0/1 samples with probability p of 1. */
  bernoulli_(this: T, p: number | T = 0.5, kw: GeneratorKw = {}): T {
    checkInplace(this)
    const v = this._value()
    const b =
      typeof p === 'number'
        ? bernoulliChecked(p, v.shape, kw)
        : lax.cast(
            bernoulli(p.expand([...v.shape]), kw)
              .detach()
              ._value(),
            'bool',
          )
    return commitInplace(
      this,
      op('BernoulliBackward0', [this], (x) => lax.cast(b, x.dtype)),
    )
  },
}

/**
 * Values drawn in memory order placed at their logical positions: the k-th value goes to the
 * element with the k-th smallest offset under `strides` (PyTorch's kernels fill a strided
 * tensor in memory order).
 */
const inMemoryOrder = (drawn: NdArray, strides: ReadonlyArray<number>): NdArray => {
  const shape = drawn.shape
  const n = drawn.size
  const offsets = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let rest = i
    let off = 0
    for (let d = shape.length - 1; d >= 0; d--) {
      const size = shape[d] as number
      off += (rest % size) * (strides[d] as number)
      rest = Math.floor(rest / size)
    }
    offsets[i] = off
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (offsets[a] as number) - (offsets[b] as number))
  const src = drawn.toTypedArray()
  const out = new Float64Array(n)
  order.forEach((pos, k) => (out[pos] = src[k] as number))
  return lax.cast(new NdArray(shape, 'float64', out), drawn.dtype)
}

/** Bernoulli(p) samples as bools, checking `p` as PyTorch's bernoulli_ does. */
const bernoulliChecked = (p: number, shape: ReadonlyArray<number>, kw: GeneratorKw): NdArray => {
  if (!(p >= 0 && p <= 1)) throw new RuntimeError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`)
  return lax.cast(sampleBernoulli(checkOptions('bernoulli_', kw, ['generator']).generator, shape, p), 'bool')
}

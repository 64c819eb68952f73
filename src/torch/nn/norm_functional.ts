/**
 * Normalisation functions of `torch.nn.functional`: `batch_norm`, `group_norm`, `instance_norm`,
 * `normalize`, `rms_norm`, `local_response_norm`. `batch_norm` and `group_norm` are one facade op
 * each (`NativeBatchNormBackward0`, `NativeGroupNormBackward0`); the others are PyTorch's own
 * compositions of facade ops, so their nodes are the ones PyTorch records.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { ZeroDivisionError } from '../../ndarray/errors'
import { op } from '../autograd/op'
import { no_grad } from '../autograd/grad_mode'
import { RuntimeError, TorchTypeError, TorchValueError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import { floatOf } from '../ops/convert'
import { cat } from '../ops/functions'
import { zeros } from '../creation'
import { Tensor } from '../tensor'
import { checkedEntry } from './functionalArgs'
import { compositionGrads } from '../methods/pointwiseFused'
import {
  batchNormGradValues32,
  batchNormValue32,
  batchStats32,
  kernelApplies,
  layoutOf,
  updatedRunning32,
} from './batchNormKernel'
import { groupNormGrads, groupNormValue } from './groupNormKernel'

type T = Tensor

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const sizeStr = (s: ReadonlyArray<number>): string => `torch.Size([${s.join(', ')}])`

/** `[1, C, 1, …]`: a per-channel vector's broadcast shape for an `[N, C, …]` input. */
const channelShape = (shape: ReadonlyArray<number>): number[] => shape.map((d, i) => (i === 1 ? d : 1))

/** Broadcasts a per-channel `[C]` value over `shape`. */
const perChannel = (v: NdArray, shape: ReadonlyArray<number>, dtype: NdArray['dtype']): NdArray =>
  lax.broadcastTo(lax.reshape(lax.cast(v, dtype), channelShape(shape)), shape)

/** Mean and biased variance over `axes`, kept as size-1 axes. */
const moments = (x: NdArray, axes: ReadonlyArray<number>): [NdArray, NdArray] => {
  const count = axes.reduce((p, a) => p * (x.shape[a] as number), 1)
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
  const mean = lax.reshape(lax.mulScalar(lax.reduceSum(x, axes), 1 / count), kept)
  const centred = lax.sub(x, lax.broadcastTo(mean, x.shape))
  const v = lax.reshape(lax.mulScalar(lax.reduceSum(lax.mul(centred, centred), axes), 1 / count), kept)
  return [mean, v]
}

/** `(x − mean) / √(var + eps)` with broadcasting. */
const standardise = (x: NdArray, mean: NdArray, v: NdArray, eps: number): NdArray =>
  lax.mul(
    lax.sub(x, lax.broadcastTo(lax.cast(mean, x.dtype), x.shape)),
    lax.broadcastTo(lax.reciprocal(lax.sqrt(lax.addScalar(lax.cast(v, x.dtype), eps))), x.shape),
  )

/**
 * `running ← (1 − m)·running + m·batch`, written in place with one version bump: PyTorch 2.x's
 * training batch norm (`_native_batch_norm_legit` / `_batch_norm_with_update`) marks the running
 * statistics `Tensor(a!)`, so autograd bumps each once per call (1.13's `native_batch_norm` did not
 * bump them; the facade follows 2.x).
 */
const updateRunning = (running: T, batch: NdArray, m: number): void => {
  const r = running._value()
  const b = lax.cast(lax.reshape(batch, running.shape), r.dtype)
  writeRunning(running, lax.add(lax.mulScalar(r, 1 - m), lax.mulScalar(b, m)))
}

/** Writes a running statistic in place with its one version bump. */
const writeRunning = (running: T, v: NdArray): void => {
  running._write(v)
  running._bump()
}

const checkStatSize = (name: string, t: T | null, c: number): void => {
  if (t !== null && t.numel() !== c) throw new RuntimeError(`${name} should contain ${c} elements not ${t.numel()}`)
}

// -------------------------------------------------------------------------------------
// batch_norm
// -------------------------------------------------------------------------------------

type BatchNormKw = {
  readonly weight?: T | null
  readonly bias?: T | null
  readonly training?: boolean
  readonly momentum?: number
  readonly eps?: number
}

/**
 * Batch normalisation of an `[N, C, …]` input per channel. In training (or without running
 * statistics) it uses the batch's mean and biased variance and, when `running_mean`/`running_var`
 * are given, updates them in place with `momentum` (the variance entering them is unbiased, as
 * PyTorch's); otherwise it uses the running statistics. Node `NativeBatchNormBackward0`.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const rm = torch.zeros(1), rv = torch.ones(1)
 * const y = F.batch_norm(torch.tensor([[1], [3]]), rm, rv, { training: true })
 * assert.ok(y.allclose(torch.tensor([[-1], [1]]), { atol: 1e-4 }))
 * assert.ok(rm.allclose(torch.tensor([0.2]))) // 0.9 · 0 + 0.1 · 2
 * assert.ok(rv.allclose(torch.tensor([1.1]))) // 0.9 · 1 + 0.1 · 2 (unbiased)
 * @category torch @since 0.2.0
 */
export const batch_norm = checkedEntry(
  'batch_norm',
  'Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = None, Tensor? bias = None',
  keywordForms(
    'batch_norm',
    ['input', 'running_mean', 'running_var'],
    (
      input: T,
      running_mean: T | null,
      running_var: T | null,
      ...rest: PyArgs<[weight: T | null, bias: T | null, training: boolean, momentum: number, eps: number], BatchNormKw>
    ): T => {
      const a = parseArgs('batch_norm', rest, ['weight', 'bias', 'training', 'momentum', 'eps'])
      const weight = (a.weight as T | null | undefined) ?? null
      const bias = (a.bias as T | null | undefined) ?? null
      const training = (a.training as boolean | undefined) ?? false
      const momentum = (a.momentum as number | undefined) ?? 0.1
      const eps = (a.eps as number | undefined) ?? 1e-5
      const shape = input.shape
      if (training) {
        const per = shape.reduce((p, d, i) => (i === 1 ? p : p * d), 1)
        if (per === 1)
          throw new TorchValueError(
            `Expected more than 1 value per channel when training, got input size ${sizeStr(shape)}`,
          )
      }
      const c = shape[1] ?? 1
      checkStatSize('running_mean', running_mean, c)
      checkStatSize('running_var', running_var, c)
      for (const [nm, t] of [
        ['weight', weight],
        ['bias', bias],
      ] as const)
        checkStatSize(nm, t, c)
      const useBatch = training || running_mean === null || running_var === null
      const axes = shape.map((_, i) => i).filter((i) => i !== 1)
      const stats = useBatch ? [] : [running_mean as T, running_var as T]
      const affine = [weight, bias].filter((t): t is T => t !== null)
      // PyTorch's float32/float64 kernels where they apply (./batchNormKernel), else this composition
      const composition = (...vs: NdArray[]): NdArray => {
        const x = floatOf(vs[0] as NdArray)
        const [mean, v] = useBatch
          ? moments(x, axes)
          : [perChannel(vs[1] as NdArray, x.shape, x.dtype), perChannel(vs[2] as NdArray, x.shape, x.dtype)]
        let y = standardise(x, mean, v, eps)
        let i = 1 + stats.length
        if (weight !== null) y = lax.mul(y, perChannel(vs[i++] as NdArray, y.shape, y.dtype))
        // PyTorch's kernel adds a bias of +0 when there is none, so a zero is never −0
        return lax.add(y, bias !== null ? perChannel(vs[i] as NdArray, y.shape, y.dtype) : lax.scalarLike(0, y))
      }
      const bn = { useBatch, hasWeight: weight !== null, hasBias: bias !== null, eps }
      const contiguous = input.is_contiguous()
      const composedGrads = compositionGrads(composition)
      const out = op(
        'NativeBatchNormBackward0',
        [input, ...stats, ...affine],
        (...vs: NdArray[]) => (kernelApplies(vs, contiguous) ? batchNormValue32(vs, bn) : composition(...vs)),
        {
          saves: (needs) => (needs.some(Boolean) ? [0, ...(weight !== null ? [1 + stats.length] : [])] : []),
          grads: (g, values, needs) =>
            kernelApplies([g, ...values], contiguous) &&
            !(needs[1] === true && !useBatch) &&
            !(needs[2] === true && !useBatch)
              ? batchNormGradValues32(g, values, needs, bn).map((v) => (v === null ? null : Tensor._fromValue(v)))
              : composedGrads(g, values, needs),
        },
      )
      if (training && running_mean !== null && running_var !== null) {
        const x = input._value()
        const n = input.numel() / c
        const [rm, rv] = [running_mean._value(), running_var._value()]
        if (kernelApplies([x, rm, rv], contiguous)) {
          const l = layoutOf(x.shape)
          const [m, v] = updatedRunning32(rm, rv, batchStats32(x, l), n, momentum)
          writeRunning(running_mean, new NdArray(rm.shape, rm.dtype, m))
          writeRunning(running_var, new NdArray(rv.shape, rv.dtype, v))
        } else {
          const [mean, v] = moments(floatOf(x), axes)
          updateRunning(running_mean, mean, momentum)
          updateRunning(running_var, lax.mulScalar(v, n / Math.max(n - 1, 1)), momentum)
        }
      }
      return out
    },
  ),
)

// -------------------------------------------------------------------------------------
// group_norm, instance_norm
// -------------------------------------------------------------------------------------

/**
 * Group normalisation: the channels of an `[N, C, …]` input split into `num_groups` groups,
 * each normalised over its channels and positions (biased variance), then `· weight + bias`
 * per channel. Node `NativeGroupNormBackward0`.
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.nn.functional.group_norm(torch.tensor([[1, 3, 5, 7]]), 2)
 * assert.ok(y.allclose(torch.tensor([[-1, 1, -1, 1]]), { atol: 1e-4 }))
 * @category torch @since 0.2.0
 */
export const group_norm = checkedEntry(
  'group_norm',
  'Tensor input, int num_groups, Tensor? weight = None, Tensor? bias = None',
  keywordForms(
    'group_norm',
    ['input', 'num_groups'],
    (
      input: T,
      num_groups: number,
      ...rest: PyArgs<
        [weight: T | null, bias: T | null, eps: number],
        { readonly weight?: T | null; readonly bias?: T | null; readonly eps?: number }
      >
    ): T => {
      const a = parseArgs('group_norm', rest, ['weight', 'bias', 'eps'])
      const weight = (a.weight as T | null | undefined) ?? null
      const bias = (a.bias as T | null | undefined) ?? null
      const eps = (a.eps as number | undefined) ?? 1e-5
      const shape = input.shape
      const c = shape[1] ?? 0
      if (shape.length < 2)
        throw new RuntimeError(`Expected at least 2 dimensions for input tensor but received ${shape.length}`)
      // F.group_norm's batch check (torch/nn/functional.py _verify_batch_size) sees the groups as
      // channels: [N·C // G, G, …spatial], printed as a Python list, and raises whatever the mode
      if (num_groups === 0) throw new ZeroDivisionError('integer division or modulo by zero')
      const groups = [Math.floor(((shape[0] as number) * c) / num_groups), num_groups, ...shape.slice(2)]
      if (groups.reduce((p, d, i) => (i === 1 ? p : p * d), 1) === 1)
        throw new TorchValueError(
          `Expected more than 1 value per channel when training, got input size [${groups.join(', ')}]`,
        )
      if (c % num_groups !== 0)
        throw new RuntimeError(
          `Expected number of channels in input to be divisible by num_groups, but got input of shape [${shape.join(', ')}] and num_groups=${num_groups}`,
        )
      for (const [nm, t] of [
        ['weight', weight],
        ['bias', bias],
      ] as const)
        if (t !== null && t.numel() !== c)
          throw new RuntimeError(
            `Expected ${nm} to be a vector of size equal to the number of channels in input, but got ${nm} of shape [${t.shape.join(', ')}] and input of shape [${shape.join(', ')}]`,
          )
      const affine = [weight, bias].filter((t): t is T => t !== null)
      const composition = (...vs: NdArray[]): NdArray => {
        const x = floatOf(vs[0] as NdArray)
        const g = lax.reshape(
          x,
          [shape[0] as number, num_groups, -1].map((d) =>
            d === -1 ? x.size / ((shape[0] as number) * num_groups) : d,
          ),
        )
        const [mean, v] = moments(g, [2])
        let y = lax.reshape(standardise(g, mean, v, eps), shape)
        let i = 1
        if (weight !== null) y = lax.mul(y, perChannel(vs[i++] as NdArray, shape, y.dtype))
        // with an affine part PyTorch's kernel adds a bias (+0 when there is none): no −0 then
        if (bias !== null) y = lax.add(y, perChannel(vs[i] as NdArray, shape, y.dtype))
        else if (weight !== null) y = lax.add(y, lax.scalarLike(0, y))
        return y
      }
      // PyTorch's float32/float64 kernels where they apply (./groupNormKernel), else the composition
      const l = { n: shape[0] as number, c, image: shape.slice(2).reduce((p, d) => p * d, 1), groups: num_groups }
      const contiguous = input.is_contiguous()
      const affineOf = (vs: ReadonlyArray<NdArray>): [NdArray | null, NdArray | null] => [
        weight !== null ? (vs[1] as NdArray) : null,
        bias !== null ? (vs[weight !== null ? 2 : 1] as NdArray) : null,
      ]
      const composedGrads = compositionGrads(composition)
      return op(
        'NativeGroupNormBackward0',
        [input, ...affine],
        (...vs: NdArray[]) =>
          kernelApplies(vs, contiguous)
            ? groupNormValue(vs[0] as NdArray, l, eps, ...affineOf(vs))
            : composition(...vs),
        {
          saves: [0, ...(weight !== null ? [1] : [])],
          grads: (g, values, needs) => {
            if (!kernelApplies([g, ...values], contiguous)) return composedGrads(g, values, needs)
            const r = groupNormGrads(g, values[0] as NdArray, l, eps, affineOf(values)[0])
            const out = [r.input, ...(weight !== null ? [r.weight] : []), ...(bias !== null ? [r.bias] : [])]
            return out.map((v, i) => (needs[i] === true ? Tensor._fromValue(v) : null))
          },
        },
      )
    },
  ),
)

type InstanceNormKw = BatchNormKw & {
  readonly running_mean?: T | null
  readonly running_var?: T | null
  readonly use_input_stats?: boolean
}

/**
 * Instance normalisation: each `(sample, channel)` of an `[N, C, …]` input normalised over its
 * positions — PyTorch's batch_norm of the input viewed as `[1, N·C, …]` (so the result's node is
 * `ViewBackward0`). With `use_input_stats` (default) running statistics, when given, are updated
 * with the instances' average; without, they are used.
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.nn.functional.instance_norm(torch.tensor([[[1, 3], [0, 4]]]))
 * assert.ok(y.allclose(torch.tensor([[[-1, 1], [-1, 1]]]), { atol: 1e-4 }))
 * @category torch @since 0.2.0
 */
export const instance_norm = checkedEntry(
  'instance_norm',
  'Tensor input, Tensor? running_mean = None, Tensor? running_var = None, Tensor? weight = None, Tensor? bias = None',
  keywordForms(
    'instance_norm',
    ['input'],
    (
      input: T,
      ...rest: PyArgs<
        [
          running_mean: T | null,
          running_var: T | null,
          weight: T | null,
          bias: T | null,
          use_input_stats: boolean,
          momentum: number,
          eps: number,
        ],
        InstanceNormKw
      >
    ): T => {
      const a = parseArgs('instance_norm', rest, [
        'running_mean',
        'running_var',
        'weight',
        'bias',
        'use_input_stats',
        'momentum',
        'eps',
      ])
      const rm = (a.running_mean as T | null | undefined) ?? null
      const rv = (a.running_var as T | null | undefined) ?? null
      const weight = (a.weight as T | null | undefined) ?? null
      const bias = (a.bias as T | null | undefined) ?? null
      const useInput = (a.use_input_stats as boolean | undefined) ?? true
      const momentum = (a.momentum as number | undefined) ?? 0.1
      const shape = input.shape
      if (useInput && shape.slice(2).reduce((p, d) => p * d, 1) === 1)
        throw new TorchValueError(
          `Expected more than 1 spatial element when training, got input size ${sizeStr(shape)}`,
        )
      const [n, c] = [shape[0] as number, shape[1] as number]
      const rep = (t: T | null): T | null => (t === null ? null : t.repeat(n))
      const [rmN, rvN] = [rep(rm), rep(rv)]
      const y = batch_norm(
        input.reshape(1, n * c, ...shape.slice(2)),
        rmN,
        rvN,
        rep(weight),
        rep(bias),
        useInput,
        momentum,
        (a.eps as number | undefined) ?? 1e-5,
      )
      // ATen's instance_norm copies the per-sample means back whether or not it used the input's
      // statistics (Normalization.cpp, 1.13 and 2.x alike): one version bump each, even in eval
      no_grad(() => {
        if (rm !== null && rmN !== null) rm.copy_(rmN.view(n, c).mean(0))
        if (rv !== null && rvN !== null) rv.copy_(rvN.view(n, c).mean(0))
      })
      return y.view(...shape)
    },
  ),
)

// -------------------------------------------------------------------------------------
// normalize, rms_norm, local_response_norm
// -------------------------------------------------------------------------------------

/**
 * `input / max(‖input‖_p, eps)` along `dim` (default p = 2, dim = 1, eps = 1e-12).
 * @example
 * import * as torch from 'wengert/torch'
 * assert.ok(torch.nn.functional.normalize(torch.tensor([[3, 4]])).allclose(torch.tensor([[0.6, 0.8]])))
 * @category torch @since 0.2.0
 */
export const normalize = checkedEntry(
  'normalize',
  'Tensor input',
  keywordForms(
    'normalize',
    ['input'],
    (
      input: T,
      ...rest: PyArgs<
        [p: number, dim: number, eps: number],
        { readonly p?: number; readonly dim?: number; readonly eps?: number; readonly out?: null }
      >
    ): T => {
      const a = parseArgs('normalize', rest, ['p', 'dim', 'eps', 'out'])
      if (a.out !== undefined && a.out !== null)
        throw new TorchTypeError('normalize(): out= is not supported by wengert')
      const denom = input
        .norm((a.p as number | undefined) ?? 2, (a.dim as number | undefined) ?? 1, true)
        .clamp_min((a.eps as number | undefined) ?? 1e-12)
        .expand_as(input)
      return input.div(denom)
    },
  ),
)

/** Machine epsilon of a float dtype (`torch.finfo(dtype).eps`). */
const finfoEps = (t: T): number => (t.dtype.name === 'float64' ? 2 ** -52 : 2 ** -23)

/**
 * Root-mean-square normalisation over the trailing `normalized_shape` dims:
 * `x / √(mean(x²) + eps) · weight`; `eps` null (default) is the dtype's machine epsilon.
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.nn.functional.rms_norm(torch.tensor([[3, 4]]), [2], null, 0)
 * assert.ok(y.allclose(torch.tensor([[3, 4]]).div(Math.sqrt(12.5))))
 * @category torch @since 0.2.0
 */
export const rms_norm = checkedEntry(
  'rms_norm',
  'Tensor input, tuple of ints normalized_shape, Tensor? weight = None',
  (
    input: T,
    normalized_shape: number | ReadonlyArray<number>,
    ...rest: PyArgs<
      [weight: T | null, eps: number | null],
      { readonly weight?: T | null; readonly eps?: number | null }
    >
  ): T => {
    const a = parseArgs('rms_norm', rest, ['weight', 'eps'])
    const ns = typeof normalized_shape === 'number' ? [normalized_shape] : [...normalized_shape]
    const shape = input.shape
    const tail = shape.slice(shape.length - ns.length)
    if (ns.length === 0 || shape.length < ns.length || tail.some((d, i) => d !== ns[i]))
      throw new RuntimeError(
        `Given normalized_shape=[${ns.join(', ')}], expected input with shape [*, ${ns.join(', ')}], but got input of size[${shape.join(', ')}]`,
      )
    const eps = (a.eps as number | null | undefined) ?? finfoEps(input)
    const dims = ns.map((_, i) => shape.length - ns.length + i)
    const y = input.mul(input.pow(2).mean(dims, true).add(eps).rsqrt())
    const weight = (a.weight as T | null | undefined) ?? null
    return weight === null ? y : y.mul(weight)
  },
)

/**
 * Local response normalisation across channels of an `[N, C, …]` input:
 * `x / (k + alpha · mean of x² over size neighbouring channels)^beta` (zero-padded window, as
 * PyTorch's average pooling with count_include_pad).
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.nn.functional.local_response_norm(torch.ones(1, 2, 1), 1, { alpha: 1, beta: 1, k: 1 })
 * assert.deepStrictEqual(y.tolist(), [[[0.5], [0.5]]])
 * @category torch @since 0.2.0
 */
export const local_response_norm = checkedEntry(
  'local_response_norm',
  'Tensor input, int size',
  keywordForms(
    'local_response_norm',
    ['input', 'size'],
    (
      input: T,
      size: number,
      ...rest: PyArgs<
        [alpha: number, beta: number, k: number],
        { readonly alpha?: number; readonly beta?: number; readonly k?: number }
      >
    ): T => {
      const a = parseArgs('local_response_norm', rest, ['alpha', 'beta', 'k'])
      const dim = input.dim()
      if (dim < 3) throw new TorchValueError(`Expected 3D or higher dimensionality input (got ${dim} dimensions)`)
      if (input.numel() === 0) return input
      const c = input.shape[1] as number
      const sq = input.mul(input)
      const padShape = (k: number): number[] => input.shape.map((d, i) => (i === 1 ? k : d))
      const before = Math.floor(size / 2)
      const after = Math.floor((size - 1) / 2)
      const parts = [
        before > 0 ? [zeros(padShape(before), { dtype: sq.dtype })] : [],
        [sq],
        after > 0 ? [zeros(padShape(after), { dtype: sq.dtype })] : [],
      ].flat()
      const padded = cat(parts, 1)
      let sum = padded.narrow(1, 0, c)
      for (let j = 1; j < size; j++) sum = sum.add(padded.narrow(1, j, c))
      const div = sum
        .div(size)
        .mul((a.alpha as number | undefined) ?? 1e-4)
        .add((a.k as number | undefined) ?? 1)
        .pow((a.beta as number | undefined) ?? 0.75)
      return input.div(div)
    },
  ),
)

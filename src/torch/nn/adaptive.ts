/**
 * `torch.nn.functional` adaptive pooling: `adaptive_avg_pool1d/2d/3d` and
 * `adaptive_max_pool1d/2d` (with `return_indices`). Output cell `i` of an axis of length `n`
 * pooled to `o` covers `[⌊i·n/o⌋, ⌈(i+1)·n/o⌉)`, as PyTorch. Each axis is one gather of the
 * windows (padded to the longest window by repeating its last element) followed by a weighted
 * sum; the max pools gather each window's argmax (as PyTorch's backward scatters to it). Both are
 * differentiable to any order, and recorded as
 * PyTorch records them (`AdaptiveAvgPool2DBackward0`, `AdaptiveMaxPool2DBackward0`; the 1-D
 * forms go through the 2-D op between an unsqueeze and a squeeze, so theirs is
 * `SqueezeBackward1`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { RuntimeError } from '../errors'
import { Tensor } from '../tensor'
import { sizeList } from './convUtils'
import { takeAlong } from './padding'
import { missingArgs, requireTensorArgs } from '../pyTypeName'
import { checkedEntry, entryCheck } from './functionalArgs'

type T = Tensor

/** An output size per spatial axis; `null` keeps that axis's input size. */
export type AdaptiveSize = number | null | ReadonlyArray<number | null>

/** Window `[start, end)` of output cell `i`. */
export const window = (i: number, n: number, o: number): [number, number] => [
  Math.floor((i * n) / o),
  Math.ceil(((i + 1) * n) / o),
]

/** Gathers the windows of one axis into a new axis right after it: [..., o, kmax, ...], and each window's length. */
const windows = (x: NdArray, axis: number, o: number): [NdArray, number[], number] => {
  const n = x.shape[axis] as number
  const spans = Array.from({ length: o }, (_, i) => window(i, n, o))
  const kmax = Math.max(1, ...spans.map(([s, e]) => e - s))
  const idx = spans.flatMap(([s, e]) => Array.from({ length: kmax }, (_, j) => Math.min(s + j, e - 1)))
  const g = takeAlong(x, axis, idx)
  const shape = [...x.shape.slice(0, axis), o, kmax, ...x.shape.slice(axis + 1)]
  return [lax.reshape(g, shape), spans.map(([s, e]) => e - s), kmax]
}

/** Averages the windows of one axis. */
const avgAxis = (x: NdArray, axis: number, o: number): NdArray => {
  const [g, lens, kmax] = windows(x, axis, o)
  const w = new Float64Array(o * kmax)
  lens.forEach((len, i) => w.fill(1 / len, i * kmax, i * kmax + len))
  const weights = lax.broadcastInDim(lax.cast(new NdArray([o, kmax], 'float64', w), x.dtype), g.shape, [axis, axis + 1])
  return lax.reduceSum(lax.mul(g, weights), [axis + 1])
}

/** Checks rank and sizes as PyTorch does and resolves `null` entries; returns the output sizes. */
export const plan = (fn: string, x: NdArray, nsp: number, size: AdaptiveSize, maxMsg: boolean): number[] => {
  if (x.ndim !== nsp + 1 && x.ndim !== nsp + 2) {
    throw new RuntimeError(
      `${fn}(): Expected ${nsp + 1}D or ${nsp + 2}D tensor, but got${maxMsg ? ':' : ''} ${sizeList(x.shape)}`,
    )
  }
  const sizes = typeof size === 'number' || size === null ? new Array<number | null>(nsp).fill(size) : [...size]
  if (sizes.length !== nsp) throw new RuntimeError(`${fn}: output_size must be ${nsp}`)
  const sp = x.shape.slice(-nsp)
  x.shape.forEach((n, i) => {
    if (n === 0 && i >= x.ndim - nsp - 1 && !(i === x.ndim - nsp - 1 && x.ndim === nsp + 2)) {
      throw new RuntimeError(
        `${fn}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${sizeList(x.shape)} with dimension ${i} being empty`,
      )
    }
  })
  return sizes.map((s, i) => {
    const o = s ?? (sp[i] as number)
    if (!Number.isInteger(o) || o < 0)
      throw new RuntimeError(`${fn}: elements of output_size must be greater than or equal to 0`)
    return o
  })
}

const SAVES_INPUT = { saves: [0] } as const

/** Adaptive average pooling over the last `nsp` axes. */
const adaptiveAvg = (nsp: number, input: T, size: AdaptiveSize): T => {
  const fn = `adaptive_avg_pool${nsp}d`
  const out = plan(fn, input._value(), nsp, size, false)
  // PyTorch takes a mean for an all-ones output (so the node is MeanBackward1)
  if (out.every((o) => o === 1))
    return input.mean(
      out.map((_, i) => -1 - i),
      true,
    )
  // PyTorch's node saves its input (_adaptive_avg_pool*d_backward(grad, self))
  return op(
    `AdaptiveAvgPool${nsp}DBackward0`,
    [input],
    (x) => out.reduce((acc, o, i) => avgAxis(acc, x.ndim - nsp + i, o), x),
    SAVES_INPUT,
  )
}

/** The flat index (within its spatial plane) of each output's maximum, as PyTorch returns it. */
const argmaxIndices = (x: NdArray, out: ReadonlyArray<number>): NdArray => {
  const nsp = out.length
  const sp = x.shape.slice(-nsp)
  const plane = sp.reduce((p, q) => p * q, 1)
  const outPlane = out.reduce((p, q) => p * q, 1)
  const lead = x.size / Math.max(plane, 1)
  const data = x.toTypedArray()
  const idx = new Float64Array(lead * outPlane) // int64 holds exact integers in float64
  const [h, w] = nsp === 2 ? (sp as [number, number]) : [1, sp[0] as number]
  const [oh, ow] = nsp === 2 ? (out as [number, number]) : [1, out[0] as number]
  for (let b = 0; b < lead; b++) {
    for (let i = 0; i < oh; i++) {
      const [h0, h1] = window(i, h, oh)
      for (let j = 0; j < ow; j++) {
        const [w0, w1] = window(j, w, ow)
        let best = -Infinity
        let at = h0 * w + w0
        for (let r = h0; r < h1; r++) {
          for (let c = w0; c < w1; c++) {
            const v = data[b * plane + r * w + c] as number
            // the first maximum wins a tie; a NaN wins over numbers (the last NaN of the window)
            if (v > best || Number.isNaN(v)) {
              best = v
              at = r * w + c
            }
          }
        }
        idx[b * outPlane + i * ow + j] = at
      }
    }
  }
  return new NdArray([...x.shape.slice(0, -nsp), ...out], 'int64', idx)
}

/**
 * The input's maxima at `idx` (each output's flat index within its plane of the last `nsp` axes),
 * as one gather from the flattened input: its gradient is PyTorch's scatter of `grad` to the
 * indices (exactly 0 elsewhere, a NaN gradient stays at its maximum, the whole gradient to the
 * first of tied maxima), and it differentiates again as a gather.
 */
export const takeMaxima = (x: NdArray, idx: NdArray, nsp: number): NdArray => {
  const inPlane = x.shape.slice(-nsp).reduce((p, q) => p * q, 1)
  const outPlane = idx.shape.slice(-nsp).reduce((p, q) => p * q, 1)
  const at = Int32Array.from(idx.toTypedArray(), (v, k) => Math.floor(k / outPlane) * inPlane + Number(v))
  return lax.gather(lax.reshape(x, [x.size]), new NdArray(idx.shape, 'int32', at), 0)
}

/** Adaptive max pooling over the last two axes (the 1-D form passes an H axis of 1). */
const adaptiveMax2d = (fn: string, input: T, size: AdaptiveSize, withIdx: boolean): T | [T, T] => {
  const x0 = input._value()
  const out = plan(fn, x0, 2, size, true)
  // PyTorch's node saves its input and the indices (adaptive_max_pool2d_backward(grad, self, indices))
  const idx = Tensor._fromValue(argmaxIndices(x0, out))
  const y = op('AdaptiveMaxPool2DBackward0', [input], (x) => takeMaxima(x, idx._value(), 2), {
    saves: [0],
    savesTensors: [idx],
  })
  return withIdx ? [y, idx] : y
}

/** Keyword options of the adaptive max pools. */
export interface AdaptiveMaxKw {
  readonly return_indices?: boolean
}

/** Checks the rank of a 1-D adaptive pool's input with PyTorch's message. */
const check1d = (fn: string, input: T): void => {
  const nd = input._value().ndim
  if (nd !== 2 && nd !== 3) {
    throw new RuntimeError(
      `Expected 2 to 3 dimensions, but got ${nd}-dimensional tensor for argument #1 'self' (while checking arguments for ${fn})`,
    )
  }
}

/** An int, or the one entry of a 1-tuple. */
const one = (fn: string, size: AdaptiveSize): number | null => {
  if (typeof size === 'number' || size === null) return size
  if (size.length !== 1) throw new RuntimeError(`${fn}: output_size must be 1`)
  return size[0] as number | null
}

/**
 * 1-D adaptive average pooling of [N, C, L] (or [C, L]) to `output_size`.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * assert.deepStrictEqual(F.adaptive_avg_pool1d(torch.tensor([[[1, 2, 3, 4, 5]]]), 2).tolist(), [[[2, 4]]])
 * @category torch @since 0.2.0
 */
export const adaptive_avg_pool1d = (input: T, output_size: AdaptiveSize): T => {
  if (input === undefined) throw missingArgs('adaptive_avg_pool1d', ['input', 'output_size'])
  requireTensorArgs('adaptive_avg_pool1d', ['input'], [input])
  if (output_size === undefined) throw missingArgs('adaptive_avg_pool1d', ['output_size'])
  check1d('adaptive_avg_pool1d', input)
  const o = one('adaptive_avg_pool1d', output_size)
  return adaptiveAvg(2, input.unsqueeze(-2), [1, o]).squeeze(-2)
}

/**
 * 2-D adaptive average pooling of [N, C, H, W] (or [C, H, W]) to `output_size` (an int, or
 * `[oh, ow]` where `null` keeps the input's size).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.arange(16, { dtype: torch.float32 }).reshape(1, 1, 4, 4).requires_grad_()
 * const y = F.adaptive_avg_pool2d(x, [2, 1])
 * assert.deepStrictEqual(y.tolist(), [[[[3.5], [11.5]]]])
 * assert.strictEqual(y.grad_fn?.name(), 'AdaptiveAvgPool2DBackward0')
 * // an all-ones output is a mean, as in PyTorch
 * assert.strictEqual(F.adaptive_avg_pool2d(x, 1).grad_fn?.name(), 'MeanBackward1')
 * @category torch @since 0.2.0
 */
export const adaptive_avg_pool2d = checkedEntry(
  'adaptive_avg_pool2d',
  'Tensor input, any output_size',
  (input: T, output_size: AdaptiveSize): T => adaptiveAvg(2, input, output_size),
)

/**
 * 3-D adaptive average pooling of [N, C, D, H, W] (or [C, D, H, W]).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * assert.strictEqual(String(F.adaptive_avg_pool3d(torch.ones(1, 2, 4, 5, 6), [2, null, 3]).shape), 'torch.Size([1, 2, 2, 5, 3])')
 * @category torch @since 0.2.0
 */
export const adaptive_avg_pool3d = checkedEntry(
  'adaptive_avg_pool3d',
  'Tensor input, any output_size',
  (input: T, output_size: AdaptiveSize): T => adaptiveAvg(3, input, output_size),
)

/** The entry check of `adaptive_max_pool1d` (a `boolean_dispatch` pair in PyTorch). */
const adaptiveMaxPool1dEntry = entryCheck('adaptive_max_pool1d', 'Tensor input, any output_size', 'dispatch')
/** The entry check of `adaptive_max_pool2d` (a `boolean_dispatch` pair in PyTorch). */
const adaptiveMaxPool2dEntry = entryCheck('adaptive_max_pool2d', 'Tensor input, any output_size', 'dispatch')

/**
 * 2-D adaptive max pooling; with `return_indices`, also each maximum's flat index in its H×W plane.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.tensor([[[[1, 5, 2], [4, 3, 6]]]])
 * assert.deepStrictEqual(F.adaptive_max_pool2d(x, [1, 2]).tolist(), [[[[5, 6]]]])
 * const [, idx] = F.adaptive_max_pool2d(x, [1, 2], { return_indices: true })
 * assert.deepStrictEqual(idx.tolist(), [[[[1, 5]]]])
 * @category torch @since 0.2.0
 */
export function adaptive_max_pool2d(input: T, output_size: AdaptiveSize, kw: { readonly return_indices: true }): [T, T]
export function adaptive_max_pool2d(input: T, output_size: AdaptiveSize, kw?: AdaptiveMaxKw | boolean): T
export function adaptive_max_pool2d(input: T, output_size: AdaptiveSize, kw: AdaptiveMaxKw | boolean = {}): T | [T, T] {
  adaptiveMaxPool2dEntry([input, output_size, kw])
  const withIdx = typeof kw === 'boolean' ? kw : kw.return_indices === true
  return adaptiveMax2d('adaptive_max_pool2d', input, output_size, withIdx)
}

/**
 * 1-D adaptive max pooling of [N, C, L] (or [C, L]).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * assert.deepStrictEqual(F.adaptive_max_pool1d(torch.tensor([[1, 5, 2, 0, 3]]), 2).tolist(), [[5, 3]])
 * @category torch @since 0.2.0
 */
export function adaptive_max_pool1d(input: T, output_size: AdaptiveSize, kw: { readonly return_indices: true }): [T, T]
export function adaptive_max_pool1d(input: T, output_size: AdaptiveSize, kw?: AdaptiveMaxKw | boolean): T
export function adaptive_max_pool1d(input: T, output_size: AdaptiveSize, kw: AdaptiveMaxKw | boolean = {}): T | [T, T] {
  adaptiveMaxPool1dEntry([input, output_size, kw])
  check1d('adaptive_max_pool1d', input)
  const withIdx = typeof kw === 'boolean' ? kw : kw.return_indices === true
  const o = one('adaptive_max_pool1d', output_size)
  const r = adaptiveMax2d('adaptive_max_pool1d', input.unsqueeze(-2), [1, o], withIdx)
  return Array.isArray(r) ? [r[0].squeeze(-2), r[1].squeeze(-2)] : r.squeeze(-2)
}

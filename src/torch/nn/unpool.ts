/**
 * `torch.nn.functional` pooling extras: `max_unpool1d/2d/3d` (the inverse of max pooling with
 * `return_indices`), `adaptive_max_pool3d(_with_indices)` and the power-average pools
 * `lp_pool1d/2d`, with PyTorch's arguments, checks, error texts and nodes
 * (`MaxUnpool2DBackward0`, `MaxUnpool3DBackward0`, `AdaptiveMaxPool3DBackward0`; `lp_pool` is
 * PyTorch's own composition of ops, so its node is `PowBackward0`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { customVjp } from '../../transforms/custom'
import { op } from '../autograd/op'
import { RuntimeError, TorchValueError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import { Tensor } from '../tensor'
import { plan as adaptivePlan, takeMaxima, window, type AdaptiveSize } from './adaptive'
import { expand, sizeList, type IntOrTuple } from './convUtils'
import { avg_pool1d, avg_pool2d } from './pool_functional'
import { checkedEntry, entryCheck } from './functionalArgs'

type T = Tensor
type Sizes = ReadonlyArray<number> | null

/** Keyword options of `max_unpool1d/2d/3d`. */
export interface MaxUnpoolKw {
  readonly kernel_size?: IntOrTuple
  readonly stride?: IntOrTuple | null
  readonly padding?: IntOrTuple
  readonly output_size?: Sizes
}

type UnpoolArgs = PyArgs<[stride: IntOrTuple | null, padding: IntOrTuple, output_size: Sizes], MaxUnpoolKw>

/** PyTorch's `_unpool_output_size`: the default size, or the given one checked against it. */
const unpoolSize = (x: NdArray, k: number[], s: number[], p: number[], given: Sizes): number[] => {
  const d = k.length
  const dflt = k.map(
    (kk, i) => ((x.shape[x.ndim - d + i] as number) - 1) * (s[i] as number) + kk - 2 * (p[i] as number),
  )
  if (given === null) return dflt
  const size = given.length === d + 2 ? given.slice(2) : [...given]
  if (size.length !== d) {
    throw new TorchValueError(
      `output_size should be a sequence containing ${d} or ${d + 2} elements, but it has a length of '${size.length}'`,
    )
  }
  size.forEach((o, i) => {
    const lo = (dflt[i] as number) - (s[i] as number)
    const hi = (dflt[i] as number) + (s[i] as number)
    if (!(lo < o && o < hi)) {
      throw new TorchValueError(`invalid output_size "${sizeList(given)}" (dim ${i} must be between ${lo} and ${hi})`)
    }
  })
  return size
}

/** ATen's max_unpool over the last `out.length` axes: each value written at its flat index in a zero plane. */
const unpoolNd = (input: T, indices: T, out: number[]): T => {
  const x = input._value()
  const ix = indices._value()
  const nsp = out.length
  if (ix.dtype !== 'int64')
    throw new RuntimeError(`elements in indices should be type int64 but got: ${indices.dtype.word}`)
  if (ix.shape.length !== x.shape.length || ix.shape.some((n, i) => n !== x.shape[i])) {
    throw new RuntimeError(
      `Expected shape of indices to be same as that of the input tensor (${sizeList(x.shape)}) but got indices tensor with shape: ${sizeList(ix.shape)}`,
    )
  }
  if (x.ndim !== nsp + 1 && x.ndim !== nsp + 2) {
    throw new RuntimeError(
      `Input to max_unpooling${nsp}d should be a ${nsp + 1}d or ${nsp + 2}d Tensor, but got a tensor with ${x.ndim} dimensions.`,
    )
  }
  const plane = x.shape.slice(-nsp).reduce((a, b) => a * b, 1)
  const outPlane = out.reduce((a, b) => a * b, 1)
  const idx = ix.toTypedArray()
  const flat = new Int32Array(idx.length)
  let bad: number | null = null
  idx.forEach((v, j) => {
    // ATen's loop keeps going and reports the last invalid index it met
    if (v < 0 || v >= outPlane) bad = v
    flat[j] = Math.floor(j / plane) * outPlane + v
  })
  if (bad !== null)
    throw new RuntimeError(`Found an invalid max index: ${String(bad)} (output volumes are of size ${out.join('x')}`)
  const lead = x.shape.slice(0, -nsp)
  const total = (lead.reduce((a, b) => a * b, 1) as number) * outPlane
  const at = new NdArray([flat.length], 'int32', flat)
  // the last of repeated indices wins (as ATen's loop); each input still gets its gradient entry
  const write = customVjp(
    (u: NdArray) => lax.scatter(lax.zerosLike({ shape: [total], dtype: u.dtype }), at, u),
    (u: NdArray) => [lax.scatter(lax.zerosLike({ shape: [total], dtype: u.dtype }), at, u), null] as const,
    (_res: null, g: NdArray) => [lax.gather(g, at, 0)],
  )
  return op(`MaxUnpool${nsp}DBackward0`, [input], (u) =>
    lax.reshape(write(lax.reshape(u, [u.size])), [...lead, ...out]),
  )
}

/** Parses an unpool call's geometry. */
const geometry = (fn: string, a: Record<string, unknown>, d: number): [number[], number[], number[]] => {
  const k = expand(fn, 'kernel_size', a.kernel_size as IntOrTuple, d)
  const sArg = a.stride as IntOrTuple | null | undefined
  const s = sArg === undefined || sArg === null ? k : expand(fn, 'stride', sArg, d)
  const p = expand(fn, 'padding', (a.padding as IntOrTuple | undefined) ?? 0, d)
  return [k, s, p]
}

const UNPOOL_NAMES = ['stride', 'padding', 'output_size'] as const

/**
 * Inverse of `max_pool2d`: each value of `input` [N, C, H, W] (or [C, H, W]) written at its
 * index from `return_indices` in a zero output; `output_size` resolves ambiguous sizes.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const [y, i] = F.max_pool2d(torch.tensor([[[[1, 2], [4, 3]]]]), 2, { return_indices: true })
 * assert.deepStrictEqual(F.max_unpool2d(y, i, 2).tolist(), [[[[0, 0], [4, 0]]]])
 * @category torch @since 0.2.0
 */
export const max_unpool2d = checkedEntry(
  'max_unpool2d',
  'Tensor input, Tensor indices, tuple of ints kernel_size',
  keywordForms(
    'max_unpool2d',
    ['input', 'indices', 'kernel_size'],
    (input: T, indices: T, kernel_size: IntOrTuple, ...rest: UnpoolArgs): T => {
      const a: Record<string, unknown> = { ...parseArgs('max_unpool2d', rest, UNPOOL_NAMES), kernel_size }
      const [k, s, p] = geometry('max_unpool2d', a, 2)
      return unpoolNd(input, indices, unpoolSize(input._value(), k, s, p, (a.output_size as Sizes | undefined) ?? null))
    },
  ),
)

/**
 * Inverse of `max_pool1d` over [N, C, L] (or [C, L]); recorded as PyTorch does, through the 2-D op.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const [y, i] = F.max_pool1d(torch.tensor([[[1, 3, 2, 0]]]), 2, { return_indices: true })
 * assert.deepStrictEqual(F.max_unpool1d(y, i, 2).tolist(), [[[0, 3, 2, 0]]])
 * @category torch @since 0.2.0
 */
export const max_unpool1d = checkedEntry(
  'max_unpool1d',
  'Tensor input, Tensor indices, tuple of ints kernel_size',
  keywordForms(
    'max_unpool1d',
    ['input', 'indices', 'kernel_size'],
    (input: T, indices: T, kernel_size: IntOrTuple, ...rest: UnpoolArgs): T => {
      const a: Record<string, unknown> = { ...parseArgs('max_unpool1d', rest, UNPOOL_NAMES), kernel_size }
      const [k, s, p] = geometry('max_unpool1d', a, 1)
      const out = unpoolSize(input._value(), k, s, p, (a.output_size as Sizes | undefined) ?? null)
      return unpoolNd(input.unsqueeze(-1), indices.unsqueeze(-1), [...out, 1]).squeeze(-1)
    },
  ),
)

/**
 * Inverse of `max_pool3d` over [N, C, D, H, W] (or [C, D, H, W]).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const [y, i] = F.max_pool3d(torch.arange(8, { dtype: torch.float32 }).reshape(1, 2, 2, 2), 2, { return_indices: true })
 * assert.strictEqual(F.max_unpool3d(y, i, 2).sum().item(), 7)
 * @category torch @since 0.2.0
 */
export const max_unpool3d = checkedEntry(
  'max_unpool3d',
  'Tensor input, Tensor indices, tuple of ints kernel_size',
  keywordForms(
    'max_unpool3d',
    ['input', 'indices', 'kernel_size'],
    (input: T, indices: T, kernel_size: IntOrTuple, ...rest: UnpoolArgs): T => {
      const a: Record<string, unknown> = { ...parseArgs('max_unpool3d', rest, UNPOOL_NAMES), kernel_size }
      const [k, s, p] = geometry('max_unpool3d', a, 3)
      return unpoolNd(input, indices, unpoolSize(input._value(), k, s, p, (a.output_size as Sizes | undefined) ?? null))
    },
  ),
)

/** The flat index (within its D×H×W volume) of each adaptive window's maximum (first wins ties). */
const argmax3d = (x: NdArray, out: ReadonlyArray<number>): T => {
  const sp = x.shape.slice(-3) as [number, number, number]
  const plane = sp[0] * sp[1] * sp[2]
  const outPlane = (out[0] as number) * (out[1] as number) * (out[2] as number)
  const lead = x.size / Math.max(plane, 1)
  const data = x.toTypedArray()
  const idx = new Float64Array(lead * outPlane)
  let o = 0
  for (let b = 0; b < lead; b++) {
    for (let i = 0; i < (out[0] as number); i++) {
      const [d0, d1] = window(i, sp[0], out[0] as number)
      for (let j = 0; j < (out[1] as number); j++) {
        const [h0, h1] = window(j, sp[1], out[1] as number)
        for (let l = 0; l < (out[2] as number); l++) {
          const [w0, w1] = window(l, sp[2], out[2] as number)
          let best = -Infinity
          let at = (d0 * sp[1] + h0) * sp[2] + w0
          for (let d = d0; d < d1; d++)
            for (let h = h0; h < h1; h++)
              for (let w = w0; w < w1; w++) {
                const f = (d * sp[1] + h) * sp[2] + w
                const v = data[b * plane + f] as number
                if (v > best || Number.isNaN(v)) {
                  best = v
                  at = f
                  if (Number.isNaN(v)) d = d1
                }
              }
          idx[o++] = at
        }
      }
    }
  }
  return Tensor._fromValue(new NdArray([...x.shape.slice(0, -3), ...out], 'int64', idx))
}

/** The entry check of `adaptive_max_pool3d` (a `boolean_dispatch` pair in PyTorch). */
const adaptiveMaxPool3dEntry = entryCheck('adaptive_max_pool3d', 'Tensor input, any output_size', 'dispatch')

/**
 * 3-D adaptive max pooling of [N, C, D, H, W] (or [C, D, H, W]) to `output_size`; with
 * `return_indices`, also each maximum's flat index in its D×H×W volume.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.arange(8, { dtype: torch.float32 }).reshape(1, 2, 2, 2)
 * assert.deepStrictEqual(F.adaptive_max_pool3d(x, [1, 1, 2]).tolist(), [[[[6, 7]]]])
 * @category torch @since 0.2.0
 */
export function adaptive_max_pool3d(input: T, output_size: AdaptiveSize, kw: { readonly return_indices: true }): [T, T]
export function adaptive_max_pool3d(
  input: T,
  output_size: AdaptiveSize,
  kw?: { readonly return_indices?: boolean } | boolean,
): T
export function adaptive_max_pool3d(
  input: T,
  output_size: AdaptiveSize,
  kw: { readonly return_indices?: boolean } | boolean = {},
): T | [T, T] {
  adaptiveMaxPool3dEntry([input, output_size, kw])
  const withIdx = typeof kw === 'boolean' ? kw : kw.return_indices === true
  const x0 = input._value()
  const out = adaptivePlan('adaptive_max_pool3d', x0, 3, output_size, true)
  // PyTorch's node saves its input and the indices (adaptive_max_pool3d_backward(grad, self, indices))
  const idx = argmax3d(x0, out)
  const y = op('AdaptiveMaxPool3DBackward0', [input], (x) => takeMaxima(x, idx._value(), 3), {
    saves: [0],
    savesTensors: [idx],
  })
  return withIdx ? [y, idx] : y
}

/** `adaptive_max_pool3d` returning `[output, indices]`. @example
 * import * as torch from 'wengert/torch'
 * const [, i] = torch.nn.functional.adaptive_max_pool3d_with_indices(torch.arange(8, { dtype: torch.float32 }).reshape(1, 2, 2, 2), 1)
 * assert.deepStrictEqual(i.tolist(), [[[[7]]]])
 * @category torch @since 0.2.0 */
export const adaptive_max_pool3d_with_indices = checkedEntry(
  'adaptive_max_pool3d_with_indices',
  'Tensor input, any output_size',
  keywordForms(
    'adaptive_max_pool3d_with_indices',
    ['input', 'output_size'],
    (
      input: T,
      output_size: AdaptiveSize,
      ...rest: PyArgs<[return_indices: boolean], { readonly return_indices?: boolean }>
    ): [T, T] => {
      parseArgs('adaptive_max_pool3d_with_indices', rest, ['return_indices'])
      return adaptive_max_pool3d(input, output_size, { return_indices: true })
    },
  ),
)

/** Keyword options of `lp_pool1d/2d`. */
export interface LpPoolKw {
  readonly norm_type?: number
  readonly kernel_size?: IntOrTuple
  readonly stride?: IntOrTuple | null
  readonly ceil_mode?: boolean
}

type LpArgs = PyArgs<[stride: IntOrTuple | null, ceil_mode: boolean], LpPoolKw>

/** PyTorch's lp_pool tail: `(sign(out)·relu(|out|)·k)^(1/p)` of the averaged powers. */
const lpFinish = (out: T, k: number, p: number): T =>
  out
    .sign()
    .mul(out.abs().relu())
    .mul(k)
    .pow(1 / p)

/**
 * 2-D power-average pooling: `(Σ_window xᵖ)^(1/p)` over [N, C, H, W] (or [C, H, W]).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const y = F.lp_pool2d(torch.tensor([[[[3, 4], [0, 0]]]]), 2, 2)
 * assert.deepStrictEqual(y.tolist(), [[[[5]]]])
 * @category torch @since 0.2.0
 */
export const lp_pool2d = checkedEntry(
  'lp_pool2d',
  'Tensor input, float norm_type, tuple of ints kernel_size',
  keywordForms(
    'lp_pool2d',
    ['input', 'norm_type', 'kernel_size'],
    (input: T, norm_type: number, kernel_size: IntOrTuple, ...rest: LpArgs): T => {
      const a = parseArgs('lp_pool2d', rest, ['stride', 'ceil_mode'])
      const [kh, kw] = expand('lp_pool2d', 'kernel_size', kernel_size, 2) as [number, number]
      const stride = a.stride as IntOrTuple | null | undefined
      const ceil = (a.ceil_mode as boolean | undefined) ?? false
      const out =
        stride !== undefined && stride !== null
          ? avg_pool2d(input.pow(norm_type), kernel_size, stride, 0, ceil)
          : avg_pool2d(input.pow(norm_type), kernel_size, { padding: 0, ceil_mode: ceil })
      return lpFinish(out, kh * kw, norm_type)
    },
  ),
)

/**
 * 1-D power-average pooling over [N, C, L] (or [C, L]).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * assert.deepStrictEqual(F.lp_pool1d(torch.tensor([[3, 4, 1, 1]]), 1, 2).tolist(), [[7, 2]])
 * @category torch @since 0.2.0
 */
export const lp_pool1d = checkedEntry(
  'lp_pool1d',
  'Tensor input, float norm_type, tuple of ints kernel_size',
  keywordForms(
    'lp_pool1d',
    ['input', 'norm_type', 'kernel_size'],
    (input: T, norm_type: number, kernel_size: number, ...rest: LpArgs): T => {
      const a = parseArgs('lp_pool1d', rest, ['stride', 'ceil_mode'])
      const stride = a.stride as IntOrTuple | null | undefined
      const ceil = (a.ceil_mode as boolean | undefined) ?? false
      const out =
        stride !== undefined && stride !== null
          ? avg_pool1d(input.pow(norm_type), kernel_size, stride, 0, ceil)
          : avg_pool1d(input.pow(norm_type), kernel_size, { padding: 0, ceil_mode: ceil })
      return lpFinish(out, kernel_size, norm_type)
    },
  ),
)

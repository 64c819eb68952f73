/**
 * `torch.nn.functional.pad` in all four modes: `'constant'` (any number of trailing axes,
 * negative amounts crop; `ConstantPadNdBackward0`), and `'reflect'`, `'replicate'`,
 * `'circular'` over the last 1, 2 or 3 axes of a batched or unbatched input
 * (`ReflectionPad2DBackward0`, `ReplicationPad1DBackward0`, …; circular is `CopySlices` at
 * `_version` 1 + the number of positive amounts, PyTorch 2.x's `_pad_circular` built by `copy_`;
 * an unbatched circular input is 2.x's, PyTorch 1.13 refuses it). The non-constant modes are one gather per padded axis with precomputed source
 * indices, so their gradients are scatter-adds and differentiate again.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { NotImplementedError, RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { checkedEntry } from './functionalArgs'

type T = Tensor

/** Padding modes of `F.pad`. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular'

/** `x` indexed along `axis` by the integer positions `idx` (an index_select on the primitives). */
export const takeAlong = (x: NdArray, axis: number, idx: ReadonlyArray<number>): NdArray =>
  lax.gather(x, new NdArray([idx.length], 'int32', Int32Array.from(idx)), axis)

/** Source position of each output position `-lo … n + hi − 1` of one padded axis. */
const sourceIndex = (mode: Exclude<PadMode, 'constant'>, n: number, lo: number, hi: number): number[] => {
  const out: number[] = []
  // circular: a negative amount crops first, and the borders wrap the kept part [s, s + m)
  const s = Math.max(0, -lo)
  const m = n - s - Math.max(0, -hi)
  for (let i = -lo; i < n + hi; i++) {
    if (mode === 'reflect') out.push(i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i)
    else if (mode === 'replicate') out.push(Math.min(n - 1, Math.max(0, i)))
    else out.push(s + ((((i - s) % m) + m) % m))
  }
  return out
}

/** `[lo, hi]` per padded axis, the last axis first in `pad` (PyTorch's order). */
const pairs = (pad: ReadonlyArray<number>): Array<[number, number]> => {
  const out: Array<[number, number]> = []
  for (let i = 0; i < pad.length; i += 2) out.push([pad[i] as number, pad[i + 1] as number])
  return out
}

/** Constant padding (negative amounts crop), as `ConstantPadNdBackward0`. */
export const constantPad = (input: T, pad: ReadonlyArray<number>, value: number): T => {
  const shape = input._value().shape
  const nd = shape.length
  if (pad.length / 2 > nd) throw new RuntimeError('Padding length too large')
  const lo = new Array<number>(nd).fill(0)
  const hi = new Array<number>(nd).fill(0)
  pairs(pad).forEach(([l, h], j) => {
    lo[nd - 1 - j] = l
    hi[nd - 1 - j] = h
  })
  shape.forEach((n, i) => {
    const size = n + (lo[i] as number) + (hi[i] as number)
    if (size < 0) {
      throw new RuntimeError(
        `The input size ${n}, plus negative padding ${lo[i]} and ${hi[i]} resulted in a negative output size, which is invalid. Check dimension ${i} of your input.`,
      )
    }
  })
  return op('ConstantPadNdBackward0', [input], (x) => {
    const pos = (v: number): number => Math.max(0, v)
    const padded = lax.pad(x, lo.map(pos), hi.map(pos), new Array<number>(nd).fill(0), value)
    if (lo.every((v) => v >= 0) && hi.every((v) => v >= 0)) return padded
    // negative amounts: crop what was not padded
    const starts = lo.map((v) => Math.max(0, -v))
    const limits = padded.shape.map((n, i) => n - Math.max(0, -(hi[i] as number)))
    return lax.slice(padded, starts, limits, new Array<number>(nd).fill(1))
  })
}

/** Reflect/replicate/circular padding of the last `pad.length / 2` axes. */
const indexPad = (input: T, pad: ReadonlyArray<number>, mode: Exclude<PadMode, 'constant'>): T => {
  const shape = input._value().shape
  const nd = shape.length
  const k = pad.length / 2
  if (k < 1 || k > 3 || (nd !== k + 1 && nd !== k + 2)) {
    throw new NotImplementedError('Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now')
  }
  const axes = pairs(pad).map(([lo, hi], j) => ({ axis: nd - 1 - j, lo, hi, j }))
  for (const { axis, lo, hi, j } of axes) {
    const n = shape[axis] as number
    if (mode === 'reflect' && (lo >= n || hi >= n)) {
      // PyTorch's reflection_pad{1,2,3}d: the argument number of the pair; 2-d names the rank, 1-d and 3-d the sizes
      const of = k === 2 ? String(nd) : `[${shape.join(', ')}]`
      throw new RuntimeError(
        `Argument #${4 + 2 * j}: Padding size should be less than the corresponding input dimension, but got: padding (${lo}, ${hi}) at dimension ${axis} of input ${of}`,
      )
    }
    if (mode === 'circular' && (lo > n || hi > n)) {
      throw new RuntimeError('Padding value causes wrapping around more than once.')
    }
    if (mode === 'circular' && n + lo + hi < 0) {
      throw new RuntimeError('Negative padding value is resulting in an empty dimension')
    }
    if (mode !== 'circular' && n + lo + hi < 1) {
      throw new RuntimeError(
        `input (${shape.join(', ')}) is too small for padding (${lo}, ${hi}) along dimension ${axis}`,
      )
    }
  }
  const name =
    mode === 'circular' ? 'CopySlices' : `${mode === 'reflect' ? 'Reflection' : 'Replication'}Pad${k}DBackward0`
  const out = op(
    name,
    [input],
    (x) =>
      axes.reduce((acc, { axis, lo, hi }) => takeAlong(acc, axis, sourceIndex(mode, shape[axis] as number, lo, hi)), x),
    // reflection_padNd_backward / replication_padNd_backward(grad, self, padding) save self
    mode === 'circular' ? {} : { saves: [0] },
  )
  if (mode === 'circular') {
    // PyTorch fills an empty tensor by copy_: the input's kept part, then one copy per positive
    // amount (the wrapped borders), each bumping the output's version counter
    const copies = 1 + axes.reduce((c, { lo, hi }) => c + (lo > 0 ? 1 : 0) + (hi > 0 ? 1 : 0), 0)
    for (let c = 0; c < copies; c++) out._bump()
    // the input's gradient flows back through the slices of the first copy_: a fresh contiguous tensor
    if (out._gradFn !== null)
      out._gradFn._freshStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1))
  }
  return out
}

/** Keyword options of `F.pad`. */
export interface PadKw {
  readonly pad?: ReadonlyArray<number>
  readonly mode?: PadMode
  readonly value?: number | null
}

/**
 * Pads the last `pad.length / 2` axes of `input`; `pad` lists `[left, right]` amounts starting
 * from the last axis (`[wLeft, wRight, hTop, hBottom, …]`). Modes: `'constant'` (fill `value`,
 * default 0; negative amounts crop), `'reflect'`, `'replicate'`, `'circular'`.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.tensor([[[1, 2, 3]]], { requires_grad: true })
 * assert.deepStrictEqual(F.pad(x, [2, 1], 'reflect').tolist(), [[[3, 2, 1, 2, 3, 2]]])
 * assert.deepStrictEqual(F.pad(x, [1, 1], 'replicate').tolist(), [[[1, 1, 2, 3, 3]]])
 * assert.deepStrictEqual(F.pad(x, [1, 2], 'circular').tolist(), [[[3, 1, 2, 3, 1, 2]]])
 * assert.deepStrictEqual(F.pad(x, [1, -1], { value: 9 }).tolist(), [[[9, 1, 2]]])
 * assert.strictEqual(F.pad(x, [2, 1], 'reflect').grad_fn?.name(), 'ReflectionPad1DBackward0')
 * @category torch @since 0.2.0
 */
export const pad = checkedEntry(
  'pad',
  'Tensor input, tuple of ints pad',
  (input: T, ...rest: PyArgs<[pad: ReadonlyArray<number>, mode: PadMode, value: number | null], PadKw>): T => {
    const a = parseArgs('pad', rest, ['pad', 'mode', 'value'])
    const amounts = a.pad as ReadonlyArray<number> | undefined
    if (amounts === undefined) throw new RuntimeError("pad(): argument 'pad' must be a tuple of ints")
    if (amounts.length % 2 !== 0) throw new RuntimeError('Padding length must be divisible by 2')
    if (!amounts.every(Number.isInteger)) throw new RuntimeError("pad(): argument 'pad' must be a tuple of ints")
    const mode = (a.mode as string | undefined) ?? 'constant'
    const value = a.value as number | null | undefined
    if (mode === 'constant') return constantPad(input, amounts, value ?? 0)
    if (mode !== 'reflect' && mode !== 'replicate' && mode !== 'circular') {
      throw new NotImplementedError(`Unrecognised padding mode ${mode}`)
    }
    if (value !== undefined && value !== null && value !== 0) {
      throw new RuntimeError(`Padding mode "${mode}" doesn't take in value argument`)
    }
    return indexPad(input, amounts, mode)
  },
  'native',
)

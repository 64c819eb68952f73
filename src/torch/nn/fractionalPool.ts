/**
 * Fractional max pooling (`F.fractional_max_pool2d/3d`, their `_with_indices` forms, and
 * `nn.FractionalMaxPool2d/3d`): pseudo-random window starts from one uniform sample per plane
 * and axis (`_random_samples`, else drawn from the global generator as PyTorch's `torch.rand`),
 * following ATen's `generate_intervals`. The output is a gather of each window's maximum, so its
 * gradient is a scatter-add to those positions (`FractionalMaxPool2DBackward0`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { isFloat } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { get_default_dtype } from '../dtype'
import { RuntimeError, TorchValueError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import { nextKey, random } from '../random'
import { Tensor } from '../tensor'
import { expand, type IntOrTuple } from './convUtils'
import { checkedEntry, entryCheck } from './functionalArgs'

type T = Tensor

/** ATen's `generate_intervals`: the window starts along one axis (alpha in the input's precision). */
const intervals = (u: number, n: number, o: number, k: number, f32: boolean): number[] => {
  const r = (v: number): number => (f32 ? Math.fround(v) : v)
  const seq = new Array<number>(o).fill(0)
  if (o > 1) {
    const alpha = r((n - k) / (o - 1))
    for (let i = 0; i < o - 1; i++) seq[i] = Math.trunc(r(r(i + u) * alpha)) - Math.trunc(r(u * alpha))
  }
  seq[o - 1] = n - k
  return seq
}

/** Keyword options of `F.fractional_max_pool2d/3d`. */
export interface FractionalMaxPoolKw {
  readonly output_size?: IntOrTuple | null
  readonly output_ratio?: number | ReadonlyArray<number> | null
  readonly return_indices?: boolean
  readonly _random_samples?: T | null
}

type FracArgs = PyArgs<
  [
    output_size: IntOrTuple | null,
    output_ratio: number | ReadonlyArray<number> | null,
    return_indices: boolean,
    _random_samples: T | null,
  ],
  FractionalMaxPoolKw
>

/** The flat index (within its plane) of each window's maximum (a NaN wins), over planes of `sp`. */
const argmaxes = (x: NdArray, sp: number[], k: number[], out: number[], samples: Float64Array, f32: boolean) => {
  const d = sp.length
  const plane = sp.reduce((p, q) => p * q, 1)
  const outPlane = out.reduce((p, q) => p * q, 1)
  const planes = x.size / plane
  const c = x.shape[x.ndim - d - 1] as number
  const data = x.toTypedArray()
  const idx = new Float64Array(planes * outPlane)
  // ATen's sample order: [W, H] for 2-D, [T, H, W] for 3-D
  const sampleAxis = (ax: number): number => (d === 2 ? 1 - ax : ax)
  for (let pl = 0; pl < planes; pl++) {
    const starts = sp.map((n, ax) =>
      intervals(samples[pl * d + sampleAxis(ax)] as number, n, out[ax] as number, k[ax] as number, f32),
    )
    for (let o = 0; o < outPlane; o++) {
      const pos = out.map((_, ax) => Math.floor(o / out.slice(ax + 1).reduce((p, q) => p * q, 1)) % (out[ax] as number))
      let best = -Infinity
      let at = -1
      const win = k.reduce((p, q) => p * q, 1)
      for (let w = 0; w < win; w++) {
        let flat = 0
        for (let ax = 0; ax < d; ax++) {
          const off = Math.floor(w / k.slice(ax + 1).reduce((p, q) => p * q, 1)) % (k[ax] as number)
          flat = flat * (sp[ax] as number) + ((starts[ax] as number[])[pos[ax] as number] as number) + off
        }
        const v = data[pl * plane + flat] as number
        if (at === -1 || v > best || Number.isNaN(v)) {
          best = v
          at = flat
          if (Number.isNaN(v)) break
        }
      }
      idx[pl * outPlane + o] = at
    }
  }
  void c
  return idx
}

/** Fractional max pooling over the last `d` axes. */
const fractional = (d: number, input: T, kernel: IntOrTuple, rest: FracArgs): T | [T, T] => {
  const fn = `fractional_max_pool${d}d`
  const a = parseArgs(fn, rest, ['output_size', 'output_ratio', 'return_indices', '_random_samples'])
  const x0 = input._value()
  if (x0.ndim !== d + 1 && x0.ndim !== d + 2) {
    throw new RuntimeError(`${fn}(): Expected ${d + 1}D or ${d + 2}D tensor, but got: ${String(input.shape)}`)
  }
  const sp = x0.shape.slice(-d)
  const k = expand(fn, 'kernel_size', kernel, d)
  let outArg = a.output_size as IntOrTuple | null | undefined
  const ratio = a.output_ratio as number | ReadonlyArray<number> | null | undefined
  if ((outArg === undefined || outArg === null) && (ratio === undefined || ratio === null)) {
    throw new TorchValueError(`${fn} requires specifying either an output_size or an output_ratio`)
  }
  if (outArg === undefined || outArg === null) {
    const r = typeof ratio === 'number' ? new Array<number>(d).fill(ratio) : [...(ratio as ReadonlyArray<number>)]
    outArg = sp.map((n, i) => Math.trunc(n * (r[i] as number)))
  }
  const out = expand(fn, 'output_size', outArg, d)
  const axisNames = d === 2 ? ['height', 'width'] : ['time', 'height', 'width']
  out.forEach((o, i) => {
    if (o + (k[i] as number) - 1 > (sp[i] as number))
      throw new RuntimeError(
        `${fn}(): pool ${axisNames[i]} ${k[i]} too large relative to input ${axisNames[i]} ${sp[i]}`,
      )
  })
  const n = x0.ndim === d + 1 ? 1 : (x0.shape[0] as number)
  const c = x0.shape[x0.ndim - d - 1] as number
  const dtype = isFloat(x0.dtype) ? x0.dtype : get_default_dtype().storage
  const given = a._random_samples as T | null | undefined
  const samples =
    given === undefined || given === null ? random.uniform(nextKey(), [n, c, d], { dtype }) : given._value()
  const idx = argmaxes(x0, sp, k, out, Float64Array.from(samples.toTypedArray()), dtype === 'float32')
  const lead = x0.shape.slice(0, -d)
  const plane = sp.reduce((p, q) => p * q, 1)
  const outPlane = out.reduce((p, q) => p * q, 1)
  const at = new NdArray(
    [idx.length],
    'int32',
    Int32Array.from(idx, (v, j) => Math.floor(j / outPlane) * plane + v),
  )
  const y = op(`FractionalMaxPool${d}DBackward0`, [input], (x) =>
    lax.reshape(lax.gather(lax.reshape(x, [x.size]), at, 0), [...lead, ...out]),
  )
  return a.return_indices === true ? [y, Tensor._fromValue(new NdArray([...lead, ...out], 'int64', idx))] : y
}

/** The entry check of `fractional_max_pool2d` (a `boolean_dispatch` pair in PyTorch). */
const fractionalMaxPool2dEntry = entryCheck(
  'fractional_max_pool2d',
  'Tensor input, tuple of ints kernel_size',
  'dispatch',
)
/** The entry check of `fractional_max_pool3d` (a `boolean_dispatch` pair in PyTorch). */
const fractionalMaxPool3dEntry = entryCheck(
  'fractional_max_pool3d',
  'Tensor input, tuple of ints kernel_size',
  'dispatch',
)

/**
 * 2-D fractional max pooling of [N, C, H, W] (or [C, H, W]) to `output_size` (or
 * `output_ratio` of the input size), windows of `kernel_size` at pseudo-random starts.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.arange(16, { dtype: torch.float32 }).reshape(1, 1, 4, 4)
 * const y = F.fractional_max_pool2d(x, 2, { output_size: 2 })
 * assert.strictEqual(String(y.shape), 'torch.Size([1, 1, 2, 2])')
 * assert.strictEqual((y.reshape(-1).tolist() as number[])[3], 15)
 * @category torch @since 0.2.0
 */
export function fractional_max_pool2d(
  input: T,
  kernel_size: IntOrTuple,
  kw: FractionalMaxPoolKw & { readonly return_indices: true },
): [T, T]
export function fractional_max_pool2d(input: T, kernel_size: IntOrTuple, ...rest: FracArgs): T
export function fractional_max_pool2d(input: T, kernel_size: IntOrTuple, ...rest: FracArgs): T | [T, T] {
  fractionalMaxPool2dEntry([input, kernel_size, ...rest])
  return fractional(2, input, kernel_size, rest)
}

/**
 * 3-D fractional max pooling of [N, C, T, H, W] (or [C, T, H, W]).
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.nn.functional.fractional_max_pool3d(torch.ones(1, 1, 4, 4, 4), 2, { output_ratio: 0.5 })
 * assert.strictEqual(String(y.shape), 'torch.Size([1, 1, 2, 2, 2])')
 * @category torch @since 0.2.0
 */
export function fractional_max_pool3d(
  input: T,
  kernel_size: IntOrTuple,
  kw: FractionalMaxPoolKw & { readonly return_indices: true },
): [T, T]
export function fractional_max_pool3d(input: T, kernel_size: IntOrTuple, ...rest: FracArgs): T
export function fractional_max_pool3d(input: T, kernel_size: IntOrTuple, ...rest: FracArgs): T | [T, T] {
  fractionalMaxPool3dEntry([input, kernel_size, ...rest])
  return fractional(3, input, kernel_size, rest)
}

/** `fractional_max_pool2d` returning `[output, indices]`. @example
 * import * as torch from 'wengert/torch'
 * const [, i] = torch.nn.functional.fractional_max_pool2d_with_indices(torch.arange(4, { dtype: torch.float32 }).reshape(1, 2, 2), 2, { output_size: 1 })
 * assert.deepStrictEqual(i.tolist(), [[[3]]])
 * @category torch @since 0.2.0 */
export const fractional_max_pool2d_with_indices = checkedEntry(
  'fractional_max_pool2d_with_indices',
  'Tensor input, tuple of ints kernel_size',
  keywordForms(
    'fractional_max_pool2d_with_indices',
    ['input', 'kernel_size'],
    (input: T, kernel_size: IntOrTuple, kw: FractionalMaxPoolKw = {}): [T, T] =>
      fractional(2, input, kernel_size, [{ ...kw, return_indices: true }]) as [T, T],
  ),
)

/** `fractional_max_pool3d` returning `[output, indices]`. @example
 * import * as torch from 'wengert/torch'
 * const [, i] = torch.nn.functional.fractional_max_pool3d_with_indices(torch.arange(8, { dtype: torch.float32 }).reshape(1, 2, 2, 2), 2, { output_size: 1 })
 * assert.deepStrictEqual(i.tolist(), [[[[7]]]])
 * @category torch @since 0.2.0 */
export const fractional_max_pool3d_with_indices = checkedEntry(
  'fractional_max_pool3d_with_indices',
  'Tensor input, tuple of ints kernel_size',
  keywordForms(
    'fractional_max_pool3d_with_indices',
    ['input', 'kernel_size'],
    (input: T, kernel_size: IntOrTuple, kw: FractionalMaxPoolKw = {}): [T, T] =>
      fractional(3, input, kernel_size, [{ ...kw, return_indices: true }]) as [T, T],
  ),
)

/**
 * `torch.nn.functional` pooling: `max_pool1d/2d` (`stride`, `padding`, `dilation`,
 * `ceil_mode`, `return_indices`) and `avg_pool1d/2d` (`ceil_mode`, `count_include_pad`,
 * `divisor_override`), recorded as PyTorch records them (`MaxPool2DWithIndicesBackward0`,
 * `AvgPool2DBackward0`; the 1-D forms are the 2-D ones between an unsqueeze and a squeeze, so
 * their `grad_fn` is `SqueezeBackward1`). They run on the `reduce_window_max`/`_sum`
 * primitives, so max pooling's backward is select-and-scatter and differentiates again.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { reduceWindow as reduceWindowKernel, windowArgmax } from '../../ndarray/kernels/conv/reduceWindow'
import { NdArray } from '../../ndarray/NdArray'
import { is_grad_enabled } from '../autograd/grad_mode'
import { op } from '../autograd/op'
import { IndexError, RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { Tensor } from '../tensor'
import { expand, type IntOrTuple } from './convUtils'
import { requireTensorArgs } from '../pyTypeName'
import { checkedEntry, entryCheck } from './functionalArgs'

type T = Tensor

/** Geometry of one pooling call over the last `nsp` axes. */
interface Pool {
  readonly k: number[]
  readonly s: number[]
  readonly p: number[]
  readonly d: number[]
  readonly out: number[]
}

/** PyTorch's pooling output size along one axis (ceil mode drops a window starting in the padding). */
const pooledSize = (n: number, k: number, s: number, p: number, d: number, ceil: boolean): number => {
  const num = n + 2 * p - d * (k - 1) - 1
  let out = (ceil ? Math.ceil(num / s) : Math.floor(num / s)) + 1
  if (ceil && (out - 1) * s >= n + p) out--
  return out
}

/** Checks rank, padding and output size as PyTorch does, and works out the output size. */
const plan = (fn: string, x: NdArray, a: Record<string, unknown>, ceil: boolean, dil: boolean, nsp = 2): Pool => {
  // avg_pool2d reads input.size(-3) before its rank check (PyTorch 1.13)
  if (fn === 'avg_pool2d' && x.ndim > 0 && x.ndim < 3)
    throw new IndexError(`Dimension out of range (expected to be in range of [${-x.ndim}, ${x.ndim - 1}], but got -3)`)
  if (x.ndim !== nsp + 1 && x.ndim !== nsp + 2) {
    throw new RuntimeError(`non-empty ${nsp + 1}D or ${nsp + 2}D (batch mode) tensor expected for input`)
  }
  const k = expand(fn, 'kernel_size', a.kernel_size as IntOrTuple, nsp)
  if (k.some((v) => v <= 0)) {
    const names = nsp === 3 ? ['kT', 'kH', 'kW'] : ['kH', 'kW']
    throw new RuntimeError(
      `kernel size should be greater than zero, but got ${names.map((n, i) => `${n}: ${k[i]}`).join(' ')}`,
    )
  }
  const sArg = a.stride as IntOrTuple | undefined
  const s = sArg === undefined || (Array.isArray(sArg) && sArg.length === 0) ? k : expand(fn, 'stride', sArg, nsp)
  const p = expand(fn, 'padding', (a.padding as IntOrTuple | undefined) ?? 0, nsp)
  const d = dil
    ? expand(fn, 'dilation', (a.dilation as IntOrTuple | undefined) ?? 1, nsp)
    : new Array<number>(nsp).fill(1)
  p.forEach((pp, i) => {
    if (pp > (k[i] as number) / 2) {
      throw new RuntimeError(`pad should be at most half of kernel size, but got pad=${pp} and kernel_size=${k[i]}`)
    }
  })
  const sp = x.shape.slice(-nsp)
  const out = sp.map((n, i) => pooledSize(n, k[i] as number, s[i] as number, p[i] as number, d[i] as number, ceil))
  if (out.some((o) => o < 1)) {
    const c = x.shape[x.ndim - nsp - 1] as number
    throw new RuntimeError(
      `Given input size: (${[c, ...sp].join('x')}). Calculated output size: (${[c, ...out].join('x')}). Output size is too small`,
    )
  }
  return { k, s, p, d, out }
}

/** reduce_window params over every axis of a rank-`ndim` value (windows of 1 on N and C). */
const windowParams = (pool: Pool, shape: ReadonlyArray<number>) => {
  const lead = shape.length - pool.k.length
  const ones = new Array<number>(lead).fill(1)
  const sp = shape.slice(lead)
  return {
    windowDimensions: [...ones, ...pool.k],
    strides: [...ones, ...pool.s],
    padding: [
      ...ones.map((): [number, number] => [0, 0]),
      ...sp.map((n, i): [number, number] => {
        const need =
          ((pool.out[i] as number) - 1) * (pool.s[i] as number) +
          (pool.d[i] as number) * ((pool.k[i] as number) - 1) +
          1
        const p = pool.p[i] as number
        return [p, Math.max(p, need - n - p)]
      }),
    ],
    baseDilation: shape.map(() => 1),
    windowDilation: [...ones, ...pool.d],
  }
}

/** Keyword options of `max_pool1d/2d`. */
export interface MaxPoolKw {
  readonly kernel_size?: IntOrTuple
  readonly stride?: IntOrTuple | null
  readonly padding?: IntOrTuple
  readonly dilation?: IntOrTuple
  readonly ceil_mode?: boolean
  readonly return_indices?: boolean
}

type MaxPoolArgs = PyArgs<
  [
    kernel_size: IntOrTuple,
    stride: IntOrTuple | null,
    padding: IntOrTuple,
    dilation: IntOrTuple,
    ceil_mode: boolean,
    return_indices: boolean,
  ],
  MaxPoolKw
>

const MAX_NAMES = ['kernel_size', 'stride', 'padding', 'dilation', 'ceil_mode', 'return_indices'] as const

/** 2-D (or 3-D) max pooling, with the flat (h·W + w) index of each maximum when asked. */
const maxPool = (fn: string, input: T, a: Record<string, unknown>, nsp = 2): T | [T, T] => {
  if (a.stride === null) delete a.stride
  const x0 = input._value()
  const pool = plan(fn, x0, a, a.ceil_mode === true, true, nsp)
  const params = windowParams(pool, x0.shape)
  const name = `MaxPool${nsp}DWithIndicesBackward0`
  const y = op(name, [input], (x) => lax.reduceWindowMax(x, params), { saves: [0] })
  if (a.return_indices !== true) return y
  // indices are PyTorch's positions within each spatial plane (int64)
  const flat = windowArgmax(x0, params)
  const plane = x0.shape.slice(-nsp).reduce((p, q) => p * q, 1)
  const idx = Float64Array.from(flat.toTypedArray(), (j) => j % plane) // int64 holds exact integers in float64
  return [y, Tensor._fromValue(new NdArray(flat.shape, 'int64', idx))]
}

/** The entry check of `max_pool1d` (a `boolean_dispatch` pair in PyTorch). */
const maxPool1dEntry = entryCheck('max_pool1d', 'Tensor input, tuple of ints kernel_size', 'dispatch')
/** The entry check of `max_pool2d` (a `boolean_dispatch` pair in PyTorch). */
const maxPool2dEntry = entryCheck('max_pool2d', 'Tensor input, tuple of ints kernel_size', 'dispatch')
/** The entry check of `max_pool3d` (a `boolean_dispatch` pair in PyTorch). */
const maxPool3dEntry = entryCheck('max_pool3d', 'Tensor input, tuple of ints kernel_size', 'dispatch')

/**
 * 2-D max pooling over [N, C, H, W] (or [C, H, W]); `stride` defaults to `kernel_size`.
 * With `return_indices`, also each maximum's flat index within its H×W plane.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.arange(16, { dtype: torch.float32 }).reshape(1, 1, 4, 4).requires_grad_()
 * const y = F.max_pool2d(x, 2)
 * assert.deepStrictEqual(y.tolist(), [[[[5, 7], [13, 15]]]])
 * assert.strictEqual(y.grad_fn?.name(), 'MaxPool2DWithIndicesBackward0')
 * const [, idx] = F.max_pool2d(x, 2, { return_indices: true })
 * assert.deepStrictEqual(idx.tolist(), [[[[5, 7], [13, 15]]]])
 * @category torch @since 0.2.0
 */
export function max_pool2d(input: T, kernel_size: IntOrTuple, kw: MaxPoolKw & { readonly return_indices: true }): [T, T]
export function max_pool2d(input: T, ...rest: MaxPoolArgs): T
export function max_pool2d(input: T, ...rest: MaxPoolArgs): T | [T, T] {
  maxPool2dEntry([input, ...rest])
  return maxPool('max_pool2d', input, parseArgs('max_pool2d', rest, MAX_NAMES))
}

/** The 1-D form of a 2-D pool: an H axis of 1 between unsqueeze and squeeze (as PyTorch). */
const as1d = (
  fn: string,
  input: T,
  a: Record<string, unknown>,
  keys: ReadonlyArray<string>,
): Record<string, unknown> => {
  const nd = input._value().ndim
  if (nd !== 2 && nd !== 3) {
    // PyTorch 1.13 (max_pool1d's text also in 2.x): max_pool1d's own check; avg_pool1d's checkDimRange
    throw new RuntimeError(
      fn === 'max_pool1d'
        ? `max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:[${input._value().shape.join(', ')}]`
        : `Expected 2 to 3 dimensions, but got ${nd}-dimensional tensor for argument #1 'self' (while checking arguments for ${fn})`,
    )
  }
  const k0 = a.kernel_size
  const kw = typeof k0 === 'number' ? k0 : Array.isArray(k0) ? (k0[0] as number) : 1
  if (fn === 'max_pool1d' && kw <= 0)
    throw new RuntimeError(`max_pool1d() kernel_size must be greater than zero, but got ${kw}`)
  const out: Record<string, unknown> = { ...a }
  const one = (v: unknown, dflt: number): number =>
    typeof v === 'number' ? v : ((v as number[] | undefined)?.[0] ?? dflt)
  for (const key of keys) {
    if (out[key] !== undefined && out[key] !== null) out[key] = [key === 'padding' ? 0 : 1, one(out[key], 1)]
  }
  return out
}

/**
 * 1-D max pooling over [N, C, L] (or [C, L]).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const y = F.max_pool1d(torch.tensor([[[1, 3, 2, 5, 4]]], { requires_grad: true }), 2)
 * assert.deepStrictEqual(y.tolist(), [[[3, 5]]])
 * assert.strictEqual(y.grad_fn?.name(), 'SqueezeBackward1')
 * @category torch @since 0.2.0
 */
export function max_pool1d(input: T, kernel_size: IntOrTuple, kw: MaxPoolKw & { readonly return_indices: true }): [T, T]
export function max_pool1d(input: T, ...rest: MaxPoolArgs): T
export function max_pool1d(input: T, ...rest: MaxPoolArgs): T | [T, T] {
  maxPool1dEntry([input, ...rest])
  const a = as1d('max_pool1d', input, parseArgs('max_pool1d', rest, MAX_NAMES), [
    'kernel_size',
    'stride',
    'padding',
    'dilation',
  ])
  const r = maxPool('max_pool1d', input.unsqueeze(-2), a)
  if (Array.isArray(r)) return [r[0].squeeze(-2), r[1].squeeze(-2)]
  const y = r.squeeze(-2)
  // without autograd PyTorch pools into [1, C, L'] and squeezes an unbatched result in place
  if (input._value().ndim === 2 && !(input.requires_grad && is_grad_enabled())) y._bump()
  return y
}

type AvgPoolArgs = PyArgs<
  [
    kernel_size: IntOrTuple,
    stride: IntOrTuple | null,
    padding: IntOrTuple,
    ceil_mode: boolean,
    count_include_pad: boolean,
    divisor_override: number | null,
  ],
  {
    readonly kernel_size?: IntOrTuple
    readonly stride?: IntOrTuple | null
    readonly padding?: IntOrTuple
    readonly ceil_mode?: boolean
    readonly count_include_pad?: boolean
    readonly divisor_override?: number | null
  }
>

const AVG_NAMES = ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad', 'divisor_override'] as const

/** Each window's divisor: its elements inside the input (and, with count_include_pad, the explicit padding). */
const divisors = (x: NdArray, pool: Pool, params: ReturnType<typeof windowParams>, includePad: boolean): NdArray => {
  const lead = x.ndim - pool.k.length
  // ones over the input, padded with ones where the explicit padding counts
  const shape = x.shape.map((n, i) => (i < lead || !includePad ? n : n + 2 * (pool.p[i - lead] as number)))
  const ones = new NdArray(
    shape,
    x.dtype,
    new (x.dtype === 'float64' ? Float64Array : Float32Array)(shape.reduce((p, q) => p * q, 1)).fill(1),
  )
  const padding = params.padding.map(([lo, hi], i): [number, number] =>
    i < lead || !includePad ? [lo, hi] : [0, hi - lo],
  )
  return reduceWindowKernel('sum', ones, { ...params, padding })
}

/** 2-D average pooling (sum over each window divided by its divisor). */
const avgPool = (fn: string, input: T, a: Record<string, unknown>, nsp = 2): T => {
  if (a.stride === null) delete a.stride
  const x0 = input._value()
  const pool = plan(fn, x0, a, a.ceil_mode === true, false, nsp)
  const params = windowParams(pool, x0.shape)
  const override = a.divisor_override as number | null | undefined
  if (override === 0) throw new RuntimeError('divisor must be not zero')
  const div =
    override === null || override === undefined ? divisors(x0, pool, params, a.count_include_pad !== false) : undefined
  return op(
    `AvgPool${nsp}DBackward0`,
    [input],
    (x) => {
      const sum = lax.reduceWindowSum(x, params)
      return div === undefined
        ? lax.div(sum, lax.scalarLike(override as number, sum))
        : lax.div(sum, lax.cast(div, sum.dtype))
    },
    { saves: [0] },
  )
}

/**
 * 2-D average pooling over [N, C, H, W] (or [C, H, W]).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.ones(1, 1, 3, 3, { requires_grad: true })
 * const y = F.avg_pool2d(x, 2, { stride: 1, padding: 1, count_include_pad: false })
 * assert.deepStrictEqual(y.tolist(), [[[[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]]])
 * assert.strictEqual(y.grad_fn?.name(), 'AvgPool2DBackward0')
 * assert.strictEqual(F.avg_pool2d(x, 2, { stride: 1, padding: 1 }).sum().item(), 9)
 * @category torch @since 0.2.0
 */
export const avg_pool2d = checkedEntry(
  'avg_pool2d',
  'Tensor input, tuple of ints kernel_size',
  (input: T, ...rest: AvgPoolArgs): T => avgPool('avg_pool2d', input, parseArgs('avg_pool2d', rest, AVG_NAMES)),
  'native',
)

/**
 * 1-D average pooling over [N, C, L] (or [C, L]).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * assert.deepStrictEqual(F.avg_pool1d(torch.tensor([[[1, 3, 2, 6]]]), 2).tolist(), [[[2, 4]]])
 * @category torch @since 0.2.0
 */
export const avg_pool1d = (input: T, ...rest: AvgPoolArgs): T => {
  requireTensorArgs('avg_pool1d', ['input'], [input])
  const a = as1d('avg_pool1d', input, parseArgs('avg_pool1d', rest, AVG_NAMES), ['kernel_size', 'stride', 'padding'])
  return avgPool('avg_pool1d', input.unsqueeze(-2), a).squeeze(-2)
}

/**
 * 3-D max pooling over [N, C, D, H, W] (or [C, D, H, W]); indices are flat within each D×H×W volume.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.arange(8, { dtype: torch.float32 }).reshape(1, 1, 2, 2, 2).requires_grad_()
 * const y = F.max_pool3d(x, 2)
 * assert.deepStrictEqual(y.tolist(), [[[[[7]]]]])
 * assert.strictEqual(y.grad_fn?.name(), 'MaxPool3DWithIndicesBackward0')
 * @category torch @since 0.2.0
 */
export function max_pool3d(input: T, kernel_size: IntOrTuple, kw: MaxPoolKw & { readonly return_indices: true }): [T, T]
export function max_pool3d(input: T, ...rest: MaxPoolArgs): T
export function max_pool3d(input: T, ...rest: MaxPoolArgs): T | [T, T] {
  maxPool3dEntry([input, ...rest])
  return maxPool('max_pool3d', input, parseArgs('max_pool3d', rest, MAX_NAMES), 3)
}

/**
 * 3-D average pooling over [N, C, D, H, W] (or [C, D, H, W]).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const y = F.avg_pool3d(torch.arange(8, { dtype: torch.float32 }).reshape(1, 1, 2, 2, 2), 2)
 * assert.deepStrictEqual(y.tolist(), [[[[[3.5]]]]])
 * @category torch @since 0.2.0
 */
export const avg_pool3d = checkedEntry(
  'avg_pool3d',
  'Tensor input, tuple of ints kernel_size',
  (input: T, ...rest: AvgPoolArgs): T => avgPool('avg_pool3d', input, parseArgs('avg_pool3d', rest, AVG_NAMES), 3),
  'native',
)

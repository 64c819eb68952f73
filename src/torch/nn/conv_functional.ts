/**
 * `torch.nn.functional` convolutions: `conv1d/2d/3d` and `conv_transpose1d/2d/3d`, each one
 * facade op recorded as PyTorch records it (`ConvolutionBackward0`), with PyTorch's argument
 * forms (an int or a tuple per spatial axis; `padding` also `'same'`/`'valid'`), output shapes
 * and error messages. They run on the `conv_general_dilated` primitive in its canonical layout
 * (PyTorch's NC… / OI… is that layout already).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { givenArgs, overloads, signature } from '../pyTypeName'
import { Tensor } from '../tensor'
import { expand, sizeList, unbatched, type IntOrTuple } from './convUtils'

type T = Tensor

/** Keyword options of `conv1d/2d/3d`. */
export interface ConvKw {
  readonly bias?: T | null
  readonly stride?: IntOrTuple
  readonly padding?: IntOrTuple | 'same' | 'valid'
  readonly dilation?: IntOrTuple
  readonly groups?: number
}

type ConvArgs = PyArgs<
  [bias: T | null, stride: IntOrTuple, padding: IntOrTuple | 'same' | 'valid', dilation: IntOrTuple, groups: number],
  ConvKw
>

interface Shaped {
  readonly ndim: number
  readonly shape: ReadonlyArray<number>
}

/** The weight/channel/kernel checks PyTorch's convolution makes, with its messages. */
const checkConv = (x: Shaped, w: Shaped, groups: number, transposed: boolean, bias?: unknown): void => {
  if (w.ndim !== x.ndim) {
    throw new RuntimeError(
      `Expected ${w.ndim}-dimensional input for ${w.ndim}-dimensional weight ${sizeList(w.shape)}, but got ${x.ndim}-dimensional input of size ${sizeList(x.shape)} instead`,
    )
  }
  if (!Number.isInteger(groups) || groups < 1) throw new RuntimeError('non-positive groups is not supported')
  const c = x.shape[1] as number
  if (!transposed) {
    if ((w.shape[0] as number) % groups !== 0) {
      throw new RuntimeError(
        `Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size ${sizeList(w.shape)} instead`,
      )
    }
    if (c !== (w.shape[1] as number) * groups) {
      throw new RuntimeError(
        `Given groups=${groups}, weight of size ${sizeList(w.shape)}, expected input${sizeList(x.shape)} to have ${(w.shape[1] as number) * groups} channels, but got ${c} channels instead`,
      )
    }
  } else if (c !== w.shape[0]) {
    throw new RuntimeError(
      `Given transposed=1, weight of size ${sizeList(w.shape)}, expected input${sizeList(x.shape)} to have ${w.shape[0]} channels, but got ${c} channels instead`,
    )
  }
  checkBias(w, groups, transposed, bias)
}

/** PyTorch's check of a bias: 1-D with one element per output channel. */
const checkBias = (w: Shaped, groups: number, transposed: boolean, bias: unknown): void => {
  if (!(bias instanceof Tensor)) return
  const b = bias._value().shape
  const o = transposed ? (w.shape[1] as number) * groups : (w.shape[0] as number)
  if (b.length === 1 && b[0] === o) return
  throw new RuntimeError(
    `Given ${transposed ? 'transposed=1, ' : ''}weight of size ${sizeList(w.shape)}, expected bias to be 1-dimensional with ${o} elements, but got bias of size ${sizeList(b)} instead`,
  )
}

/** Adds the bias [O] over the channel axis of `y`. */
const addBias = (y: NdArray, b: NdArray | undefined): NdArray =>
  b === undefined ? y : lax.add(y, lax.broadcastInDim(lax.cast(b, y.dtype), y.shape, [1]))

/** Runs `fn` as the one ConvolutionBackward0 op over input, weight and optional bias. */
const convOp = (input: T, weight: T, bias: T | null, fn: (x: NdArray, w: NdArray, b?: NdArray) => NdArray): T =>
  bias === null
    ? op('ConvolutionBackward0', [input, weight], (x, w) => fn(x, w), { saves: [0, 1] })
    : op('ConvolutionBackward0', [input, weight, bias], (x, w, b) => fn(x, w, b), { saves: [0, 1] })

// the argument checks of conv{n}d and conv_transpose{n}d (PyTorch 2.x's signatures)
const CONV_HEAD = 'Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1'
const CONV_TAIL = 'tuple of ints dilation = 1, int groups = 1'
const convCheck = (fn: string): ((args: ReadonlyArray<unknown>) => void) =>
  overloads(fn, [
    `(${CONV_HEAD}, tuple of ints padding = 0, ${CONV_TAIL})`,
    `(${CONV_HEAD}, str padding = "valid", ${CONV_TAIL})`,
  ])
const transposeCheck = (fn: string): ((args: ReadonlyArray<unknown>) => void) =>
  signature(
    fn,
    `(${CONV_HEAD}, tuple of ints padding = 0, tuple of ints output_padding = 0, int groups = 1, tuple of ints dilation = 1)`,
  )
const CHECKS: Readonly<Record<string, (args: ReadonlyArray<unknown>) => void>> = {
  conv1d: convCheck('conv1d'),
  conv2d: convCheck('conv2d'),
  conv3d: convCheck('conv3d'),
  conv_transpose1d: transposeCheck('conv_transpose1d'),
  conv_transpose2d: transposeCheck('conv_transpose2d'),
  conv_transpose3d: transposeCheck('conv_transpose3d'),
}

/** A convolution of `nsp` spatial axes (PyTorch's `conv{n}d`). */
const convNd = (nsp: number, fn: string, input: T, weight: T, rest: ConvArgs): T => {
  CHECKS[fn]?.(givenArgs(input, weight, ...rest))
  const a = parseArgs(fn, rest, ['bias', 'stride', 'padding', 'dilation', 'groups'])
  // unbatched: the batched op between an unsqueeze and a squeeze, as PyTorch (SqueezeBackward1)
  if (unbatched(fn, input, nsp)) return convNd(nsp, fn, input.unsqueeze(0), weight, [a as ConvKw]).squeeze(0)
  const stride = expand(fn, 'stride', (a.stride as IntOrTuple | undefined) ?? 1, nsp)
  const dilation = expand(fn, 'dilation', (a.dilation as IntOrTuple | undefined) ?? 1, nsp)
  const groups = (a.groups as number | undefined) ?? 1
  const p = (a.padding as IntOrTuple | 'same' | 'valid' | undefined) ?? 0
  const w0 = weight._value()
  const k = w0.shape.slice(2)
  let padding: Array<[number, number]>
  if (typeof p === 'string') {
    if (p !== 'same' && p !== 'valid') throw new RuntimeError(`Invalid padding string: '${p}'`)
    if (p === 'same' && stride.some((s) => s !== 1)) {
      throw new RuntimeError("padding='same' is not supported for strided convolutions")
    }
    // 'same': total dilation·(k − 1), the odd element on the right (as PyTorch)
    padding = k.map((kk, i) => {
      const total = p === 'valid' ? 0 : (dilation[i] as number) * (kk - 1)
      return [Math.floor(total / 2), total - Math.floor(total / 2)]
    })
  } else {
    padding = expand(fn, 'padding', p, nsp).map((q): [number, number] => {
      if (q < 0) throw new RuntimeError('negative padding is not supported')
      return [q, q]
    })
  }
  const x0 = input._value()
  const xs = x0.shape
  checkConv({ ndim: xs.length, shape: xs }, w0, groups, false, a.bias)
  xs.slice(2).forEach((n, i) => {
    const padded = n + (padding[i] as [number, number])[0] + (padding[i] as [number, number])[1]
    if (padded < (dilation[i] as number) * ((k[i] as number) - 1) + 1) {
      const sizes = xs.slice(2).map((m, j) => m + (padding[j] as [number, number])[0] * 2)
      throw new RuntimeError(
        `Calculated padded input size per channel: (${sizes.join(' x ')}). Kernel size: (${dilatedKernel(k, dilation).join(' x ')}). Kernel size can't be greater than actual input size`,
      )
    }
  })
  const params = {
    windowStrides: stride,
    padding,
    lhsDilation: new Array<number>(nsp).fill(1),
    rhsDilation: dilation,
    featureGroupCount: groups,
    batchGroupCount: 1,
  }
  return convOp(input, weight, (a.bias as T | null | undefined) ?? null, (x, w, b) => {
    return addBias(lax.convGeneralDilated(x, lax.cast(w, x.dtype), params), b)
  })
}

/**
 * 1-D convolution over an input [N, C, L] (or unbatched [C, L]) with weight [O, C/groups, k].
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const y = F.conv1d(torch.tensor([[[1, 2, 3, 4]]]), torch.tensor([[[1, 1]]]), { padding: 'same' })
 * assert.deepStrictEqual(y.tolist(), [[[3, 5, 7, 4]]])
 * @category torch @since 0.2.0
 */

/** The kernel extents ATen's size check prints: `dilation·(k − 1) + 1` per axis. */
const dilatedKernel = (k: ReadonlyArray<number>, dilation: ReadonlyArray<number>): number[] =>
  k.map((kk, j) => (dilation[j] ?? 1) * (kk - 1) + 1)

/** ATen's slow_conv_transpose shape-check text (1-D runs as 2-D with a unit height axis). */
const outputPaddingMessage = (
  outPad: ReadonlyArray<number>,
  stride: ReadonlyArray<number>,
  dilation: ReadonlyArray<number>,
): string => {
  const lift = (v: ReadonlyArray<number>, unit: number): ReadonlyArray<number> => (v.length === 1 ? [unit, ...v] : v)
  const names = outPad.length === 3 ? ['depth', 'height', 'width'] : ['height', 'width']
  const part = (label: string, v: ReadonlyArray<number>): string =>
    names.map((n, i) => `${label}_${n}: ${v[i]}`).join(' ')
  return `output padding must be smaller than either stride or dilation, but got ${part('output_padding', lift(outPad, 0))} ${part('stride', lift(stride, 1))} ${part('dilation', lift(dilation, 1))}`
}

export const conv1d = (input: T, weight: T, ...rest: ConvArgs): T => convNd(1, 'conv1d', input, weight, rest)

/**
 * 2-D convolution over an input [N, C, H, W] (or unbatched [C, H, W]) with weight
 * [O, C/groups, kH, kW]; `grad_fn` is `ConvolutionBackward0`.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.ones(1, 1, 4, 4, { requires_grad: true })
 * const y = F.conv2d(x, torch.ones(2, 1, 3, 3), { stride: 1, padding: 1 })
 * assert.strictEqual(String(y.shape), 'torch.Size([1, 2, 4, 4])')
 * assert.strictEqual(y.grad_fn?.name(), 'ConvolutionBackward0')
 * assert.throws(() => F.conv2d(torch.ones(28, 28), torch.ones(1, 1, 3, 3)), /Expected 3D \(unbatched\) or 4D/)
 * @category torch @since 0.2.0
 */
export const conv2d = (input: T, weight: T, ...rest: ConvArgs): T => convNd(2, 'conv2d', input, weight, rest)

/**
 * 3-D convolution over an input [N, C, D, H, W] (or unbatched [C, D, H, W]).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * assert.strictEqual(String(F.conv3d(torch.ones(1, 2, 3, 3, 3), torch.ones(4, 2, 2, 2, 2)).shape), 'torch.Size([1, 4, 2, 2, 2])')
 * @category torch @since 0.2.0
 */
export const conv3d = (input: T, weight: T, ...rest: ConvArgs): T => convNd(3, 'conv3d', input, weight, rest)

/** Keyword options of `conv_transpose1d/2d/3d`. */
export interface ConvTransposeKw {
  readonly bias?: T | null
  readonly stride?: IntOrTuple
  readonly padding?: IntOrTuple
  readonly output_padding?: IntOrTuple
  readonly groups?: number
  readonly dilation?: IntOrTuple
}

type ConvTransposeArgs = PyArgs<
  [
    bias: T | null,
    stride: IntOrTuple,
    padding: IntOrTuple,
    output_padding: IntOrTuple,
    groups: number,
    dilation: IntOrTuple,
  ],
  ConvTransposeKw
>

/** A transposed convolution: the input dilated by the strides, the kernel flipped, in/out swapped per group. */
const convTransposeNd = (nsp: number, fn: string, input: T, weight: T, rest: ConvTransposeArgs): T => {
  CHECKS[fn]?.(givenArgs(input, weight, ...rest))
  const a = parseArgs(fn, rest, ['bias', 'stride', 'padding', 'output_padding', 'groups', 'dilation'])
  if (unbatched(fn, input, nsp)) {
    return convTransposeNd(nsp, fn, input.unsqueeze(0), weight, [a as ConvTransposeKw]).squeeze(0)
  }
  const stride = expand(fn, 'stride', (a.stride as IntOrTuple | undefined) ?? 1, nsp)
  const pad = expand(fn, 'padding', (a.padding as IntOrTuple | undefined) ?? 0, nsp)
  const outPad = expand(fn, 'output_padding', (a.output_padding as IntOrTuple | undefined) ?? 0, nsp)
  const dilation = expand(fn, 'dilation', (a.dilation as IntOrTuple | undefined) ?? 1, nsp)
  const groups = (a.groups as number | undefined) ?? 1
  if (outPad.some((o, i) => o >= (stride[i] as number) && o >= (dilation[i] as number)))
    throw new RuntimeError(outputPaddingMessage(outPad, stride, dilation))
  const w0 = weight._value()
  const x0 = input._value()
  const xs = x0.shape
  checkConv({ ndim: xs.length, shape: xs }, w0, groups, true, a.bias)
  const k = w0.shape.slice(2)
  const params = {
    windowStrides: new Array<number>(nsp).fill(1),
    padding: k.map((kk, i): [number, number] => {
      const e = (dilation[i] as number) * (kk - 1) - (pad[i] as number)
      return [e, e + (outPad[i] as number)]
    }),
    lhsDilation: stride,
    rhsDilation: dilation,
    featureGroupCount: groups,
    batchGroupCount: 1,
  }
  const [cin, coutG] = w0.shape as [number, number]
  return convOp(input, weight, (a.bias as T | null | undefined) ?? null, (x, w, b) => {
    // [G·Cin/G, Cout/G, k…] -> [G, Cout/G, Cin/G, k…] -> [Cout, Cin/G, k…], flipped
    const wg = lax.reshape(lax.cast(w, x.dtype), [groups, cin / groups, coutG, ...k])
    const sp = k.map((_, i) => i + 3)
    const wt = lax.reshape(lax.transpose(wg, [0, 2, 1, ...sp]), [groups * coutG, cin / groups, ...k])
    const kernel = lax.flip(
      wt,
      sp.map((s) => s - 1),
    )
    return addBias(lax.convGeneralDilated(x, kernel, params), b)
  })
}

/**
 * 1-D transposed convolution (weight [C, O/groups, k]); output length
 * (L − 1)·stride − 2·padding + dilation·(k − 1) + output_padding + 1.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const y = F.conv_transpose1d(torch.tensor([[[1, 2]]]), torch.tensor([[[1, 1]]]), { stride: 2 })
 * assert.deepStrictEqual(y.tolist(), [[[1, 1, 2, 2]]])
 * @category torch @since 0.2.0
 */
export const conv_transpose1d = (input: T, weight: T, ...rest: ConvTransposeArgs): T =>
  convTransposeNd(1, 'conv_transpose1d', input, weight, rest)

/**
 * 2-D transposed convolution (weight [C, O/groups, kH, kW]).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const y = F.conv_transpose2d(torch.ones(1, 2, 3, 3), torch.ones(2, 4, 3, 3), { stride: 2, padding: 1, output_padding: 1 })
 * assert.strictEqual(String(y.shape), 'torch.Size([1, 4, 6, 6])')
 * @category torch @since 0.2.0
 */
export const conv_transpose2d = (input: T, weight: T, ...rest: ConvTransposeArgs): T =>
  convTransposeNd(2, 'conv_transpose2d', input, weight, rest)

/**
 * 3-D transposed convolution (weight [C, O/groups, kD, kH, kW]).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * assert.strictEqual(String(F.conv_transpose3d(torch.ones(1, 1, 2, 2, 2), torch.ones(1, 1, 2, 2, 2)).shape), 'torch.Size([1, 1, 3, 3, 3])')
 * @category torch @since 0.2.0
 */
export const conv_transpose3d = (input: T, weight: T, ...rest: ConvTransposeArgs): T =>
  convTransposeNd(3, 'conv_transpose3d', input, weight, rest)

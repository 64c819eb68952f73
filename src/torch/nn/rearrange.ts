/**
 * Rearrangements of spatial data: `F.pixel_shuffle`/`pixel_unshuffle` (a reshape and a
 * transpose) and `F.unfold`/`F.fold` (im2col and its adjoint col2im: one strided slice, or one
 * interior-padded placement, per kernel offset), recorded as PyTorch records them
 * (`PixelShuffleBackward0`, `PixelUnshuffleBackward0`, `Im2ColBackward0`, `Col2ImBackward0`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { IndexError, RuntimeError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { expand, pyRepr, type IntOrTuple } from './convUtils'
import { requireTensorArgs } from '../pyTypeName'
import { checkedEntry } from './functionalArgs'

type T = Tensor

/** Checks a pixel (un)shuffle's input and factor; returns the shape split into batch, C, H, W. */
const shuffleShape = (fn: string, x: NdArray, r: number, up: boolean): [number[], number, number, number] => {
  if (x.ndim < 3) {
    throw new RuntimeError(
      `${fn} expects input to have at least 3 dimensions, but got input with ${x.ndim} dimension(s)`,
    )
  }
  if (!Number.isInteger(r) || r <= 0) {
    throw new RuntimeError(`${fn} expects a positive ${up ? 'upscale' : 'downscale'}_factor, but got ${r}`)
  }
  const [c, h, w] = x.shape.slice(-3) as [number, number, number]
  if (up && c % (r * r) !== 0) {
    throw new RuntimeError(
      `${fn} expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`,
    )
  }
  if (!up && h % r !== 0) {
    throw new RuntimeError(
      `${fn} expects height to be divisible by downscale_factor, but input.size(-2)=${h} is not divisible by ${r}`,
    )
  }
  if (!up && w % r !== 0) {
    throw new RuntimeError(
      `${fn} expects width to be divisible by downscale_factor, but input.size(-1)=${w} is not divisible by ${r}`,
    )
  }
  return [x.shape.slice(0, -3), c, h, w]
}

/**
 * Rearranges [*, C·r², H, W] into [*, C, H·r, W·r] (sub-pixel convolution's upsampling).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const y = F.pixel_shuffle(torch.arange(8, { dtype: torch.float32 }).reshape(1, 4, 1, 2), 2)
 * assert.deepStrictEqual(y.tolist(), [[[[0, 2, 1, 3], [4, 6, 5, 7]]]])
 * assert.deepStrictEqual(F.pixel_unshuffle(y, 2).tolist(), [[[[0, 1]], [[2, 3]], [[4, 5]], [[6, 7]]]])
 * @category torch @since 0.2.0
 */
export const pixel_shuffle = (input: T, upscale_factor: number): T => {
  requireTensorArgs('pixel_shuffle', ['input'], [input])
  const r = upscale_factor
  const [lead, c, h, w] = shuffleShape('pixel_shuffle', input._value(), r, true)
  const b = lead.length
  const oc = c / (r * r)
  return op('PixelShuffleBackward0', [input], (x) => {
    const split = lax.reshape(x, [...lead, oc, r, r, h, w])
    const perm = [...lead.map((_, i) => i), b, b + 3, b + 1, b + 4, b + 2]
    return lax.reshape(lax.transpose(split, perm), [...lead, oc, h * r, w * r])
  })
}

/**
 * Rearranges [*, C, H·r, W·r] into [*, C·r², H, W] (the inverse of `pixel_shuffle`).
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * assert.strictEqual(String(F.pixel_unshuffle(torch.ones(2, 3, 4, 6), 2).shape), 'torch.Size([2, 12, 2, 3])')
 * @category torch @since 0.2.0
 */
export const pixel_unshuffle = (input: T, downscale_factor: number): T => {
  requireTensorArgs('pixel_unshuffle', ['input'], [input])
  const r = downscale_factor
  const [lead, c, h, w] = shuffleShape('pixel_unshuffle', input._value(), r, false)
  const b = lead.length
  return op('PixelUnshuffleBackward0', [input], (x) => {
    const split = lax.reshape(x, [...lead, c, h / r, r, w / r, r])
    const perm = [...lead.map((_, i) => i), b, b + 2, b + 4, b + 1, b + 3]
    return lax.reshape(lax.transpose(split, perm), [...lead, c * r * r, h / r, w / r])
  })
}

/** Keyword options of `F.unfold`/`F.fold`. */
export interface FoldKw {
  readonly kernel_size?: IntOrTuple
  readonly dilation?: IntOrTuple
  readonly padding?: IntOrTuple
  readonly stride?: IntOrTuple
}

/** Geometry of an unfold/fold: kernel, dilation, padding, stride, and the block grid. */
interface Blocks {
  readonly k: number[]
  readonly d: number[]
  readonly p: number[]
  readonly s: number[]
  readonly grid: number[]
}

/** Reads the four pair arguments and works out the number of blocks along H and W. */
const blocks = (fn: string, a: Record<string, unknown>, spatial: ReadonlyArray<number>): Blocks => {
  const k = expand(fn, 'kernel_size', a.kernel_size as IntOrTuple, 2)
  const d = expand(fn, 'dilation', (a.dilation as IntOrTuple | undefined) ?? 1, 2)
  const p = expand(fn, 'padding', (a.padding as IntOrTuple | undefined) ?? 0, 2)
  const s = expand(fn, 'stride', (a.stride as IntOrTuple | undefined) ?? 1, 2)
  const grid = spatial.map(
    (n, i) =>
      Math.floor((n + 2 * (p[i] as number) - (d[i] as number) * ((k[i] as number) - 1) - 1) / (s[i] as number)) + 1,
  )
  return { k, d, p, s, grid }
}

/** The (row, column) offsets of the kernel, row-major. */
const offsets = (k: ReadonlyArray<number>): Array<[number, number]> =>
  Array.from({ length: (k[0] as number) * (k[1] as number) }, (_, j) => [
    Math.floor(j / (k[1] as number)),
    j % (k[1] as number),
  ])

type FoldArgs = PyArgs<[kernel_size: IntOrTuple, dilation: IntOrTuple, padding: IntOrTuple, stride: IntOrTuple], FoldKw>
const FOLD_NAMES = ['kernel_size', 'dilation', 'padding', 'stride'] as const

/** im2col's rank check (PyTorch 1.13): it reads size(1) and size(2) first, so a low rank is an IndexError. */
const checkUnfoldRank = (shape: ReadonlyArray<number>): void => {
  const nd = shape.length
  if (nd === 0) throw new IndexError('Dimension specified as 1 but tensor has no dimensions')
  if (nd < 3)
    throw new IndexError(
      `Dimension out of range (expected to be in range of [${-nd}, ${nd - 1}], but got ${nd === 1 ? 1 : 2})`,
    )
  if (nd > 4)
    throw new RuntimeError(
      `Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: [${shape.join(', ')}]`,
    )
}

/**
 * Extracts sliding blocks (im2col): [N, C, H, W] (or [C, H, W]) → [N, C·kh·kw, L], L the number of blocks.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.arange(9, { dtype: torch.float32 }).reshape(1, 1, 3, 3).requires_grad_()
 * const cols = F.unfold(x, 2)
 * assert.deepStrictEqual(cols.tolist(), [[[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]]])
 * assert.strictEqual(cols.grad_fn?.name(), 'Im2ColBackward0')
 * assert.deepStrictEqual(F.fold(cols, [3, 3], 2).tolist(), [[[[0, 2, 2], [6, 16, 10], [6, 14, 8]]]])
 * @category torch @since 0.2.0
 */
export const unfold = checkedEntry(
  'unfold',
  'Tensor input, tuple of ints kernel_size',
  keywordForms('unfold', ['input'], (input: T, ...rest: FoldArgs): T => {
    const a = parseArgs('unfold', rest, FOLD_NAMES)
    const x0 = input._value()
    checkUnfoldRank(x0.shape)
    const b = blocks('unfold', a, x0.shape.slice(-2))
    if (b.grid.some((g) => g < 1)) {
      throw new RuntimeError(
        `Given input with spatial size ${pyRepr(x0.shape.slice(-2))}, kernel_size=${pyRepr(b.k)}, dilation=${pyRepr(b.d)}, padding=${pyRepr(b.p)}, calculated shape of the array of sliding blocks as ${pyRepr(b.grid)}, but its components must be at least one.`,
      )
    }
    const lead = x0.shape.slice(0, -2)
    const [gh, gw] = b.grid as [number, number]
    return op('Im2ColBackward0', [input], (x) => {
      const nd = x.ndim
      const zeros = new Array<number>(nd).fill(0)
      const xp = lax.pad(x, [...zeros.slice(0, nd - 2), ...b.p], [...zeros.slice(0, nd - 2), ...b.p], zeros, 0)
      const cols = offsets(b.k).map(([i, j]) => {
        const r0 = i * (b.d[0] as number)
        const c0 = j * (b.d[1] as number)
        const sl = lax.slice(
          xp,
          [...zeros.slice(0, nd - 2), r0, c0],
          [
            ...xp.shape.slice(0, nd - 2),
            r0 + (gh - 1) * (b.s[0] as number) + 1,
            c0 + (gw - 1) * (b.s[1] as number) + 1,
          ],
          [...new Array<number>(nd - 2).fill(1), b.s[0] as number, b.s[1] as number],
        )
        return lax.reshape(sl, [...lead, 1, gh * gw])
      })
      // [*, C, kh·kw, L] → [*, C·kh·kw, L]
      const stacked = lax.concatenate(cols, nd - 2)
      return lax.reshape(stacked, [...lead.slice(0, -1), (lead[lead.length - 1] as number) * cols.length, gh * gw])
    })
  }),
)

/**
 * Sums sliding blocks back into an image (col2im, the adjoint of `unfold`):
 * [N, C·kh·kw, L] (or [C·kh·kw, L]) → [N, C, H, W] for `output_size` [H, W].
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const y = F.fold(torch.ones(1, 4, 4), [3, 3], 2)
 * assert.deepStrictEqual(y.tolist(), [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]])
 * @category torch @since 0.2.0
 */
export const fold = checkedEntry(
  'fold',
  'Tensor input, tuple of ints output_size, tuple of ints kernel_size',
  keywordForms('fold', ['input', 'output_size'], (input: T, output_size: IntOrTuple, ...rest: FoldArgs): T => {
    const a = parseArgs('fold', rest, FOLD_NAMES)
    const x0 = input._value()
    if (x0.ndim !== 2 && x0.ndim !== 3) {
      throw new RuntimeError(
        `Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got ${x0.ndim}D)`,
      )
    }
    const out = expand('fold', 'output_size', output_size, 2)
    const b = blocks('fold', a, out)
    const kk = (b.k[0] as number) * (b.k[1] as number)
    const [ckk, L] = x0.shape.slice(-2) as [number, number]
    const ci = x0.ndim - 2
    if (ckk % kk !== 0) {
      throw new RuntimeError(
        `Expected size of input's dimension ${ci} to be divisible by the product of kernel_size, but got input.size(${ci})=${ckk} and kernel_size=${pyRepr(b.k)}.`,
      )
    }
    const [gh, gw] = b.grid as [number, number]
    if (gh * gw !== L) {
      throw new RuntimeError(
        `Given output_size=${pyRepr(out)}, kernel_size=${pyRepr(b.k)}, dilation=${pyRepr(b.d)}, padding=${pyRepr(b.p)}, stride=${pyRepr(b.s)}, expected size of input's dimension ${ci + 1} to match the calculated number of sliding blocks ${gh} * ${gw} = ${gh * gw}, but got input.size(${ci + 1})=${L}.`,
      )
    }
    const lead = [...x0.shape.slice(0, -2), ckk / kk]
    const [H, W] = [(out[0] as number) + 2 * (b.p[0] as number), (out[1] as number) + 2 * (b.p[1] as number)]
    return op('Col2ImBackward0', [input], (x) => {
      const blocksOf = lax.reshape(x, [...lead, kk, gh, gw])
      const nl = lead.length
      const zl = new Array<number>(nl).fill(0)
      let acc: NdArray | null = null
      offsets(b.k).forEach(([i, j], o) => {
        const start = [...zl, o, 0, 0]
        const block = lax.reshape(
          lax.slice(blocksOf, start, [...lead, o + 1, gh, gw], new Array<number>(nl + 3).fill(1)),
          [...lead, gh, gw],
        )
        const r0 = i * (b.d[0] as number)
        const c0 = j * (b.d[1] as number)
        const hiR = H - r0 - ((gh - 1) * (b.s[0] as number) + 1)
        const hiC = W - c0 - ((gw - 1) * (b.s[1] as number) + 1)
        const placed = lax.pad(
          block,
          [...zl, r0, c0],
          [...zl, hiR, hiC],
          [...zl, (b.s[0] as number) - 1, (b.s[1] as number) - 1],
          0,
        )
        acc = acc === null ? placed : lax.add(acc, placed)
      })
      const full = acc as unknown as NdArray
      return lax.slice(
        full,
        [...zl, b.p[0] as number, b.p[1] as number],
        [...lead, H - (b.p[0] as number), W - (b.p[1] as number)],
        new Array<number>(nl + 2).fill(1),
      )
    })
  }),
)

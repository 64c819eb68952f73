/**
 * `torch.nn.functional.interpolate` (modes `nearest`, `nearest-exact`, `linear`, `bilinear`,
 * `bicubic`, `trilinear`, `area`; `size` or `scale_factor`, `align_corners`,
 * `recompute_scale_factor`, `antialias` for bilinear/bicubic) and `pixel_shuffle`/`pixel_unshuffle`. Each resampling axis is a
 * sum of weighted gathers whose source indices and weights follow ATen's upsample kernels
 * (`area_pixel_compute_source_index`, the cubic convolution with A = −0.75), so gradients are
 * scatter-adds and differentiate again; nodes are PyTorch's (`UpsampleNearest2DBackward1`,
 * `UpsampleBilinear2DBackward1`, `PixelShuffleBackward0`, …).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { NotImplementedError, RuntimeError, TorchValueError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d } from './adaptive'
import { pyRepr, sizeList } from './convUtils'
import { takeAlong } from './padding'
import { checkedEntry } from './functionalArgs'

type T = Tensor

/** Interpolation modes of `F.interpolate`. */
export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear' | 'area'

/** One output position's taps: source indices and their weights. */
type Taps = ReadonlyArray<readonly [index: number, weight: number]>

/** ATen's scale: 1/scale_factor when one was given, else in/out. */
const scaleOf = (n: number, o: number, scale: number | null): number =>
  scale !== null && scale > 0 ? 1 / scale : n / o

/** ATen's `area_pixel_compute_scale`. */
const areaScale = (n: number, o: number, alignCorners: boolean, scale: number | null): number =>
  alignCorners ? (o > 1 ? (n - 1) / (o - 1) : 0) : scaleOf(n, o, scale)

/** ATen's source coordinate of output `i` (half-pixel centres unless align_corners; linear clamps at 0). */
const sourceCoord = (s: number, i: number, alignCorners: boolean, cubic: boolean): number => {
  if (alignCorners) return s * i
  const src = s * (i + 0.5) - 0.5
  return !cubic && src < 0 ? 0 : src
}

/** The cubic convolution weights of a fractional offset `t` (A = −0.75), for taps −1, 0, 1, 2. */
const cubicWeights = (t: number): [number, number, number, number] => {
  const A = -0.75
  const near = (x: number): number => ((A + 2) * x - (A + 3)) * x * x + 1
  const far = (x: number): number => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A
  return [far(t + 1), near(t), near(1 - t), far(2 - t)]
}

/** The taps of every output position along an axis of length `n` resampled to `o`. */
const axisTaps = (mode: InterpolateMode, n: number, o: number, alignCorners: boolean, scale: number | null): Taps[] =>
  Array.from({ length: o }, (_, i): Taps => {
    if (mode === 'nearest' || mode === 'nearest-exact') {
      // ATen computes the nearest index in float32
      const s = Math.fround(scaleOf(n, o, scale))
      const off = mode === 'nearest' ? 0 : 0.5
      const src = o === n ? i : Math.floor(Math.fround(Math.fround(i + off) * s))
      return [[Math.min(src, n - 1), 1]]
    }
    const s = areaScale(n, o, alignCorners, scale)
    const real = sourceCoord(s, i, alignCorners, mode === 'bicubic')
    if (mode === 'bicubic') {
      const x0 = Math.floor(real)
      const w = cubicWeights(real - x0)
      return w.map((wk, k) => [Math.min(Math.max(x0 - 1 + k, 0), n - 1), wk] as const)
    }
    const x0 = Math.floor(real)
    const x1 = x0 + (x0 < n - 1 ? 1 : 0)
    const l1 = real - x0
    return [
      [x0, 1 - l1],
      [x1, l1],
    ]
  })

/** The antialiasing filters (bilinear's triangle; bicubic's Keys cubic with A = −0.5, as ATen's `aa_filter`). */
const aaFilter = (mode: 'bilinear' | 'bicubic', x: number): number => {
  const a = Math.abs(x)
  if (mode === 'bilinear') return a < 1 ? 1 - a : 0
  const A = -0.5
  if (a < 1) return ((A + 2) * a - (A + 3)) * a * a + 1
  return a < 2 ? ((A * a - 5 * A) * a + 8 * A) * a - 4 * A : 0
}

/**
 * Antialiased taps (ATen's `_compute_weights_aa`): around the centre `scale·(i + ½)`, the filter
 * stretched by the scale when downsampling, over the in-range sources only, weights normalised
 * to sum 1; padded with zero-weight taps to one width.
 */
const aaTaps = (
  mode: 'bilinear' | 'bicubic',
  n: number,
  o: number,
  alignCorners: boolean,
  scale: number | null,
): Taps[] => {
  const s = areaScale(n, o, alignCorners, scale)
  const half = mode === 'bilinear' ? 1 : 2
  const support = s >= 1 ? half * s : half
  const inv = s >= 1 ? 1 / s : 1
  const rows = Array.from({ length: o }, (_, i): Array<readonly [number, number]> => {
    const center = s * (i + 0.5)
    const lo = Math.max(Math.trunc(center - support + 0.5), 0)
    const count = Math.min(Math.trunc(center + support + 0.5), n) - lo
    const ws = Array.from({ length: Math.max(count, 0) }, (_, j) => aaFilter(mode, (j + lo - center + 0.5) * inv))
    const total = ws.reduce((a, b) => a + b, 0)
    return ws.map((w, j) => [lo + j, total !== 0 ? w / total : w] as const)
  })
  const width = Math.max(1, ...rows.map((r) => r.length))
  return rows.map((r) => [...r, ...Array.from({ length: width - r.length }, () => [0, 0] as const)])
}

/** Resamples one axis: the weighted sum of one gather per tap. */
const resampleAxis = (x: NdArray, axis: number, taps: Taps[]): NdArray => {
  const width = Math.max(...taps.map((t) => t.length))
  let acc: NdArray | null = null
  for (let k = 0; k < width; k++) {
    const g = takeAlong(
      x,
      axis,
      taps.map((t) => (t[k] as readonly [number, number])[0]),
    )
    const ws = taps.map((t) => (t[k] as readonly [number, number])[1])
    const term = ws.every((w) => w === 1)
      ? g
      : lax.mul(
          g,
          lax.broadcastInDim(lax.cast(new NdArray([ws.length], 'float64', Float64Array.from(ws)), g.dtype), g.shape, [
            axis,
          ]),
        )
    acc = acc === null ? term : lax.add(acc, term)
  }
  return acc as NdArray
}

const MODES: ReadonlyArray<string> = ['nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area']
const LINEAR_RANK: Readonly<Record<string, number>> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 }

/** Keyword options of `F.interpolate`. */
export interface InterpolateKw {
  readonly size?: number | ReadonlyArray<number> | null
  readonly scale_factor?: number | ReadonlyArray<number> | null
  readonly mode?: InterpolateMode
  readonly align_corners?: boolean | null
  readonly recompute_scale_factor?: boolean | null
  readonly antialias?: boolean
}

type InterpolateArgs = PyArgs<
  [
    size: number | ReadonlyArray<number> | null,
    scale_factor: number | ReadonlyArray<number> | null,
    mode: InterpolateMode,
    align_corners: boolean | null,
    recompute_scale_factor: boolean | null,
    antialias: boolean,
  ],
  InterpolateKw
>

/** Works out the output sizes and the scales ATen receives, with PyTorch's checks and messages. */
const plan = (x: NdArray, a: Record<string, unknown>, mode: string): [number[], Array<number | null>] => {
  const dim = x.ndim - 2
  const sp = x.shape.slice(2)
  const size = a.size as number | ReadonlyArray<number> | null | undefined
  const sf = a.scale_factor as number | ReadonlyArray<number> | null | undefined
  const has = (v: unknown): boolean => v !== undefined && v !== null
  if (has(size) && has(sf)) throw new TorchValueError('only one of size or scale_factor should be defined')
  if (!has(size) && !has(sf)) throw new TorchValueError('either size or scale_factor should be defined')
  if (has(size) && a.recompute_scale_factor === true) {
    throw new TorchValueError('recompute_scale_factor is not meaningful with an explicit size.')
  }
  if (has(size)) {
    const s = size as number | ReadonlyArray<number>
    if (typeof s !== 'number' && s.length !== dim) {
      throw new TorchValueError(
        `Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${sizeList(sp)} and output size of ${sizeList(s)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`,
      )
    }
    return [typeof s === 'number' ? new Array<number>(dim).fill(s) : [...s], new Array<null>(dim).fill(null)]
  }
  const f = sf as number | ReadonlyArray<number>
  if (typeof f !== 'number' && f.length !== dim) {
    throw new TorchValueError(
      `Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${sizeList(sp)} and scale_factor of shape ${pyRepr(f)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`,
    )
  }
  const scales = typeof f === 'number' ? new Array<number>(dim).fill(f) : [...f]
  const out = sp.map((n, i) => Math.floor(n * (scales[i] as number)))
  const recompute = a.recompute_scale_factor === true || mode === 'area'
  return [out, recompute ? new Array<null>(dim).fill(null) : scales]
}

/** Spatial sizes as ATen's upsample checks print them: `(W: 4)`, `(H: 2, W: 4)`, `(D: 1, H: 2, W: 4)`. */
const upsampleSizes = (sizes: ReadonlyArray<number>): string => {
  const names = ['D', 'H', 'W'].slice(3 - sizes.length)
  return `(${sizes.map((v, i) => `${names[i]}: ${v}`).join(', ')})`
}

/** The node name ATen's upsample op gives (`UpsampleBilinear2DBackward1`). */
const nodeName = (mode: string, dim: number): string => {
  const m = mode === 'nearest-exact' ? 'NearestExact' : mode.charAt(0).toUpperCase() + mode.slice(1)
  return `Upsample${m}${dim}DBackward1`
}

/**
 * Resamples the spatial axes of [N, C, …] to `size` or by `scale_factor`. Modes: `'nearest'`
 * (default), `'nearest-exact'`, `'linear'` (3-D input), `'bilinear'`/`'bicubic'` (4-D),
 * `'trilinear'` (5-D), `'area'` (adaptive average pooling); `align_corners` for the
 * interpolating modes.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.tensor([[[1, 2]]], { requires_grad: true })
 * assert.deepStrictEqual(F.interpolate(x, { scale_factor: 2 }).tolist(), [[[1, 1, 2, 2]]])
 * assert.deepStrictEqual(F.interpolate(x, { size: 4, mode: 'linear' }).tolist(), [[[1, 1.25, 1.75, 2]]])
 * assert.deepStrictEqual(F.interpolate(x, { size: 3, mode: 'linear', align_corners: true }).tolist(), [[[1, 1.5, 2]]])
 * assert.strictEqual(F.interpolate(x, { scale_factor: 2 }).grad_fn?.name(), 'UpsampleNearest1DBackward1')
 * @category torch @since 0.2.0
 */
export const interpolate = checkedEntry(
  'interpolate',
  'Tensor input',
  keywordForms('interpolate', ['input'], (input: T, ...rest: InterpolateArgs): T => {
    const a = parseArgs('interpolate', rest, [
      'size',
      'scale_factor',
      'mode',
      'align_corners',
      'recompute_scale_factor',
      'antialias',
    ])
    const mode = (a.mode as string | undefined) ?? 'nearest'
    const x0 = input._value()
    const align = a.align_corners as boolean | null | undefined
    const interpolating = LINEAR_RANK[mode] !== undefined
    if (!interpolating && align !== undefined && align !== null) {
      throw new TorchValueError(
        'align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear',
      )
    }
    const antialias = a.antialias === true
    if (antialias && !((mode === 'bilinear' || mode === 'bicubic') && x0.ndim === 4)) {
      // PyTorch 2.x's text (1.13: 'Anti-alias option is only supported for bilinear and bicubic modes')
      throw new TorchValueError(
        'Anti-alias option is restricted to bilinear and bicubic modes and requires a 4-D tensor as input',
      )
    }
    if (!MODES.includes(mode) || x0.ndim < 3 || x0.ndim > 5) {
      throw new NotImplementedError(
        `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${x0.ndim}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`,
      )
    }
    if (interpolating && LINEAR_RANK[mode] !== x0.ndim) {
      throw new NotImplementedError(`Got ${x0.ndim}D input, but ${mode} mode needs ${LINEAR_RANK[mode]}D input`)
    }
    const [out, scales] = plan(x0, a, mode)
    if (out.some((o) => o <= 0)) {
      throw new RuntimeError(
        `Input and output sizes should be greater than 0, but got input ${upsampleSizes(x0.shape.slice(2))}${out.length === 1 ? ' and' : ''} output ${upsampleSizes(out)}`,
      )
    }
    if (mode === 'area') {
      const pool = x0.ndim === 3 ? adaptive_avg_pool1d : x0.ndim === 4 ? adaptive_avg_pool2d : adaptive_avg_pool3d
      return pool(input, out)
    }
    const taps = out.map((o, i) =>
      antialias
        ? aaTaps(mode as 'bilinear' | 'bicubic', x0.shape[i + 2] as number, o, align === true, scales[i] ?? null)
        : axisTaps(mode as InterpolateMode, x0.shape[i + 2] as number, o, align === true, scales[i] ?? null),
    )
    const node = antialias
      ? `Upsample${mode === 'bilinear' ? 'Bilinear' : 'Bicubic'}2DAaBackward1`
      : nodeName(mode, x0.ndim - 2)
    return op(node, [input], (x) => taps.reduce((acc, t, i) => resampleAxis(acc, i + 2, t), x))
  }),
)

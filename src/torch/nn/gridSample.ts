/**
 * `torch.nn.functional.grid_sample` (modes `bilinear`, `nearest`, `bicubic`; padding modes
 * `zeros`, `border`, `reflection`; `align_corners`) over 4-D and 5-D inputs, and `affine_grid`.
 * The source coordinate of every grid point follows ATen's `grid_sampler_compute_source_index`
 * (unnormalise, then clip or reflect); it is piecewise affine in the grid, so it is recorded as
 * its value plus its slope times the grid's change. Each tap is one gather of the input at
 * concrete indices times a weight written in the grid, so gradients flow to the input (a
 * scatter-add) and to the grid, and differentiate again. Nodes are PyTorch's
 * (`GridSampler2DBackward0`, `GridSampler3DBackward0`, `AffineGridGeneratorBackward0`).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { isFloat } from '../../ndarray/dtype'
import { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { NotImplementedError, RuntimeError, TorchValueError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { warn } from '../warnings'
import { sizeList } from './convUtils'
import { takeAlong } from './padding'
import { checkedEntry } from './functionalArgs'

type T = Tensor

/** Interpolation modes of `grid_sample`. */
export type GridSampleMode = 'bilinear' | 'nearest' | 'bicubic'
/** Padding modes of `grid_sample`. */
export type GridPaddingMode = 'zeros' | 'border' | 'reflection'

const ALIGN_WARNING =
  'Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. Please specify align_corners=True if the old behavior is desired. See the documentation of grid_sample for details.'

/** A source coordinate and its derivative with respect to the grid value. */
type Coord = readonly [value: number, slope: number]

/** ATen's `reflect_coordinates` (with its gradient multiplier) over `[low, high]` given doubled. */
const reflect = (x: number, twiceLow: number, twiceHigh: number): Coord => {
  if (twiceLow === twiceHigh) return [0, 0]
  const min = twiceLow / 2
  const span = (twiceHigh - twiceLow) / 2
  let v = x - min
  const sgn = v < 0 ? -1 : 1
  v = Math.abs(v)
  const extra = v % span
  const flips = Math.floor(v / span)
  return flips % 2 === 0 ? [extra + min, sgn] : [span - extra + min, -sgn]
}

/** ATen's `clip_coordinates` (with its gradient multiplier). */
const clip = (x: number, size: number): Coord => (x <= 0 ? [0, 0] : x >= size - 1 ? [size - 1, 0] : [x, 1])

/** Applies the padding mode to an unnormalised coordinate (border clips, reflection reflects then clips). */
const pad = (x: number, size: number, padding: GridPaddingMode, align: boolean): Coord => {
  if (padding === 'zeros' || Number.isNaN(x)) return [x, 1]
  if (padding === 'border') return clip(x, size)
  const [r, m] = align ? reflect(x, 0, 2 * (size - 1)) : reflect(x, -1, 2 * size - 1)
  const [c, m2] = clip(r, size)
  // ATen's CPU kernel masks the reflection's sign with the clip's in-bounds mask: +0 when clipped
  return [c, m2 === 0 ? 0 : m]
}

/** Rounding to a float dtype's precision (float32 rounds; float64 and others are exact in JS numbers). */
type Round = (v: number) => number
const exact: Round = (v) => v
const rounderOf = (dtype: string): Round => (dtype === 'float32' ? Math.fround : exact)

/**
 * The unnormalised source coordinate of a grid value and its slope (before padding), computed in
 * the grid's dtype as ATen's CPU kernels do: the 2-D kernel (`vec`) forms (g + 1)·(size/2) − 0.5
 * with one fused multiply-add, the 3-D one ((g + 1)·size − 1)/2. Rounding g + 1 to float32 decides
 * which pixel a grid point on a pixel centre falls into, hence the side of its grid gradient.
 */
const unnormalize = (g: number, size: number, align: boolean, r: Round, vec: boolean): Coord => {
  const g1 = r(g + 1)
  if (align) return [vec ? r(g1 * r((size - 1) / 2)) : r(r(g1 / 2) * (size - 1)), (size - 1) / 2]
  return [vec ? r(g1 * (size / 2) - 0.5) : r(g1 * size - 1) / 2, size / 2]
}

/** `std::nearbyint`: rounds half to even. */
const nearbyint = (x: number): number => {
  const r = Math.round(x)
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** The cubic convolution coefficients of taps −1, 0, 1, 2 at offset `t` (A = −0.75), on traced `t`. */
const cubicCoeffs = (t: NdArray): NdArray[] => {
  const A = -0.75
  const poly = (x: NdArray, cs: ReadonlyArray<number>): NdArray =>
    cs
      .slice(1)
      .reduce((acc, c) => lax.addScalar(lax.mul(acc, x), c), lax.mulScalar(lax.scalarLike(1, x), cs[0] as number))
  const near = (x: NdArray): NdArray => poly(x, [A + 2, -(A + 3), 0, 1])
  const far = (x: NdArray): NdArray => poly(x, [A, -5 * A, 8 * A, -4 * A])
  const one = lax.scalarLike(1, t)
  return [far(lax.addScalar(t, 1)), near(t), near(lax.sub(one, t)), far(lax.sub(lax.scalarLike(2, t), t))]
}

/** One tap of the sampling: per point its flat source index, whether it is in bounds, and its weight's factors. */
interface Tap {
  readonly index: Int32Array
  readonly valid: Float64Array
  /** Per grid axis k, the tap's factor as a function of that axis's traced offset `t`. */
  readonly factor: ReadonlyArray<(t: NdArray, k: number) => NdArray>
}

/** What the concrete grid gives per point and grid axis: padded coordinate, slope, grid value. */
interface Plan {
  readonly n: number
  readonly points: number
  readonly sizes: number[] // spatial sizes in grid-axis order (W, H[, D])
  readonly coord: Float64Array[] // per grid axis, [n * points]
  readonly slope: Float64Array[]
  readonly grid: Float64Array[]
}

const planOf = (x: NdArray, g: NdArray, mode: GridSampleMode, padding: GridPaddingMode, align: boolean): Plan => {
  const nsp = x.ndim - 2
  const n = x.shape[0] as number
  const points = g.size / (n * nsp)
  const sizes = Array.from({ length: nsp }, (_, k) => x.shape[x.ndim - 1 - k] as number)
  const data = g.toTypedArray()
  const r = rounderOf(g.dtype)
  const coord = sizes.map(() => new Float64Array(n * points))
  const slope = sizes.map(() => new Float64Array(n * points))
  const grid = sizes.map(() => new Float64Array(n * points))
  for (let p = 0; p < n * points; p++) {
    sizes.forEach((size, k) => {
      const gv = data[p * nsp + k] as number
      const [u, s] = unnormalize(gv, size, align, r, nsp === 2)
      const [c, m] = mode === 'bicubic' ? [u, 1] : pad(u, size, padding, align)
      ;(coord[k] as Float64Array)[p] = c
      ;(slope[k] as Float64Array)[p] = s * m
      ;(grid[k] as Float64Array)[p] = gv
    })
  }
  return { n, points, sizes, coord, slope, grid }
}

/** A bicubic tap's integer position after padding (`compute_coordinates`), or −1 when out of bounds. */
const boundedIndex = (i: number, size: number, padding: GridPaddingMode, align: boolean): number => {
  const [c] = padding === 'zeros' ? [i] : pad(i, size, padding, align)
  const j = Math.trunc(c)
  return j >= 0 && j < size ? j : -1
}

/** The taps of every point: 2^d corners (bilinear), 1 (nearest) or 4^d (bicubic). */
const tapsOf = (pl: Plan, mode: GridSampleMode, padding: GridPaddingMode, align: boolean): Tap[] => {
  const nsp = pl.sizes.length
  const per = mode === 'nearest' ? 1 : mode === 'bilinear' ? 2 : 4
  const total = per ** nsp
  const taps: Tap[] = []
  const np = pl.n * pl.points
  const plane = pl.sizes.reduce((a, b) => a * b, 1)
  for (let t = 0; t < total; t++) {
    const offs = Array.from({ length: nsp }, (_, k) => Math.floor(t / per ** k) % per)
    const index = new Int32Array(np)
    const valid = new Float64Array(np)
    for (let p = 0; p < np; p++) {
      let flat = 0
      let ok = true
      let stride = 1
      offs.forEach((o, k) => {
        const c = (pl.coord[k] as Float64Array)[p] as number
        const size = pl.sizes[k] as number
        let i: number
        if (mode === 'nearest') i = nearbyint(c)
        else if (mode === 'bilinear') i = Math.floor(c) + o
        else i = boundedIndex(Math.floor(c) - 1 + o, size, padding, align)
        if (!(i >= 0 && i < size)) ok = false
        flat += (ok ? i : 0) * stride
        stride *= size
      })
      index[p] = ok ? Math.floor(p / pl.points) * plane + flat : 0
      valid[p] = ok ? 1 : 0
    }
    const factor = (mode === 'nearest' ? [] : offs).map((o) => (tt: NdArray): NdArray => {
      if (mode === 'bilinear') return o === 0 ? lax.sub(lax.scalarLike(1, tt), tt) : tt
      return cubicCoeffs(tt)[o] as NdArray
    })
    taps.push({ index, valid, factor })
  }
  return taps
}

/** A constant [n, points] of `data` in `dtype`. */
const constant = (data: Float64Array, shape: ReadonlyArray<number>, like: NdArray): NdArray =>
  lax.cast(new NdArray(shape, 'float64', data), like.dtype)

/**
 * The traced fractional offset per grid axis, coord − floor(coord) + slope·(g − g₀), [N, P] each.
 * The slope multiplies after the axes' cotangents are gathered (as ATen's `gix_mult · gix`), so a
 * clipped coordinate's zero gradient keeps the sign of the incoming one.
 */
const offsetsOf = (g: NdArray, pl: Plan): NdArray[] => {
  const nsp = pl.sizes.length
  const { n, points } = pl
  const np3 = [n, points, nsp]
  const interleave = (per: ReadonlyArray<Float64Array>): NdArray => {
    const out = new Float64Array(n * points * nsp)
    per.forEach((a, k) => a.forEach((v, p) => (out[p * nsp + k] = v)))
    return constant(out, np3, g)
  }
  const base = interleave(pl.coord.map((a) => a.map((v) => v - Math.floor(v))))
  const moved = lax.mul(interleave(pl.slope), lax.sub(lax.reshape(g, np3), interleave(pl.grid)))
  const all = lax.add(base, moved)
  return pl.sizes.map((_, k) => lax.reshape(takeAlong(all, 2, [k]), [n, points]))
}

/** The sampled values [N, C, ...out] of `x` [N, C, ...sp] at the grid `g` [N, ...out, d]. */
const sample = (x: NdArray, g: NdArray, pl: Plan, taps: Tap[], mode: GridSampleMode): NdArray => {
  const { n, points } = pl
  const c = x.shape[1] as number
  const plane = pl.sizes.reduce((a, b) => a * b, 1)
  const flat = lax.reshape(lax.transpose(lax.reshape(x, [n, c, plane]), [1, 0, 2]), [c, n * plane])
  const np2 = [n, points]
  const offsets = mode === 'nearest' ? [] : offsetsOf(g, pl)
  let acc: NdArray | null = null
  for (const tap of taps) {
    // PyTorch skips an out-of-bounds tap (its NaN/inf must not leak through a zero weight)
    const gathered = lax.gather(flat, new NdArray(np2, 'int32', tap.index), 1) // [C, N, P]
    const ok = constant(tap.valid, np2, x)
    const valid = lax.broadcastInDim(lax.gt(ok, lax.zerosLike(ok)), [c, n, points], [1, 2])
    const vals = lax.select(valid, gathered, lax.zerosLike(gathered))
    let w = constant(tap.valid, np2, g)
    tap.factor.forEach((f, k) => {
      w = lax.mul(w, f(offsets[k] as NdArray, k))
    })
    const term = lax.mul(vals, lax.broadcastInDim(lax.cast(w, x.dtype), [c, n, points], [1, 2]))
    acc = acc === null ? term : lax.add(acc, term)
  }
  const out = g.shape.slice(1, -1)
  return lax.reshape(lax.transpose(acc as NdArray, [1, 0, 2]), [n, c, ...out])
}

/** Checks the shapes of input and grid as ATen's grid_sampler does. */
const checkShapes = (x: NdArray, g: NdArray, mode: GridSampleMode): void => {
  if (x.shape[0] !== g.shape[0]) {
    throw new RuntimeError(
      `grid_sampler(): expected grid and input to have same batch size, but got input with sizes ${sizeList(x.shape)} and grid with sizes ${sizeList(g.shape)}`,
    )
  }
  if (g.shape[g.ndim - 1] !== x.ndim - 2) {
    throw new RuntimeError(
      `grid_sampler(): expected grid to have size ${x.ndim - 2} in last dimension, but got grid with sizes ${sizeList(g.shape)}`,
    )
  }
  if ((x.ndim !== 4 && x.ndim !== 5) || g.ndim !== x.ndim) {
    throw new RuntimeError(
      `grid_sampler(): expected ${x.ndim === 4 || x.ndim === 5 ? `${x.ndim}D` : '4D or 5D'} input and grid with same number of dimensions, but got input with sizes ${sizeList(x.shape)} and grid with sizes ${sizeList(g.shape)}`,
    )
  }
  if (mode === 'bicubic' && x.ndim !== 4)
    throw new RuntimeError('grid_sampler(): bicubic interpolation only supports 4D input')
}

/** Keyword options of `F.grid_sample`. */
export interface GridSampleKw {
  readonly mode?: GridSampleMode
  readonly padding_mode?: GridPaddingMode
  readonly align_corners?: boolean | null
}

/**
 * Samples `input` [N, C, H, W] (or [N, C, D, H, W]) at the normalised locations of `grid`
 * [N, Ho, Wo, 2] (or [N, Do, Ho, Wo, 3]; x first, in [−1, 1]). `mode` `'bilinear'` (default),
 * `'nearest'` or `'bicubic'` (4-D only); `padding_mode` `'zeros'` (default), `'border'` or
 * `'reflection'`; `align_corners` (default false, with PyTorch's warning when omitted).
 * Differentiable with respect to both `input` and `grid`.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const x = torch.tensor([[[[1, 2], [3, 4]]]], { requires_grad: true })
 * const grid = torch.tensor([[[[0, 0], [-1, -1]]]], { requires_grad: true })
 * const y = F.grid_sample(x, grid, { align_corners: true })
 * assert.deepStrictEqual(y.tolist(), [[[[2.5, 1]]]])
 * assert.strictEqual(y.grad_fn?.name(), 'GridSampler2DBackward0')
 * y.sum().backward()
 * assert.deepStrictEqual(grid.grad?.tolist(), [[[[0.5, 1], [0.5, 1]]]])
 * @category torch @since 0.2.0
 */
export const grid_sample = checkedEntry(
  'grid_sample',
  'Tensor input, Tensor grid',
  keywordForms(
    'grid_sample',
    ['input', 'grid'],
    (
      input: T,
      grid: T,
      ...rest: PyArgs<
        [mode: GridSampleMode, padding_mode: GridPaddingMode, align_corners: boolean | null],
        GridSampleKw
      >
    ): T => {
      const a = parseArgs('grid_sample', rest, ['mode', 'padding_mode', 'align_corners'])
      const mode = (a.mode as string | undefined) ?? 'bilinear'
      const padding = (a.padding_mode as string | undefined) ?? 'zeros'
      if (mode !== 'bilinear' && mode !== 'nearest' && mode !== 'bicubic') {
        throw new TorchValueError(
          `nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${mode}'`,
        )
      }
      if (padding !== 'zeros' && padding !== 'border' && padding !== 'reflection') {
        throw new TorchValueError(
          `nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${padding}'`,
        )
      }
      let align = a.align_corners as boolean | null | undefined
      if (align === undefined || align === null) {
        warn(ALIGN_WARNING)
        align = false
      }
      const x0 = input._value()
      const g0 = grid._value()
      checkShapes(x0, g0, mode)
      const pl = planOf(x0, g0, mode, padding, align)
      const taps = tapsOf(pl, mode, padding, align)
      return op(`GridSampler${x0.ndim - 2}DBackward0`, [input, grid], (x, g) => sample(x, g, pl, taps, mode))
    },
  ),
)

/**
 * ATen's `linspace_from_neg_one`: `steps` points over [−1, 1], times (n−1)/n unless align_corners.
 * In float32 the values are those of ATen's CPU `linspace` kernel bit for bit: blocks of 8 lanes
 * (while two blocks fit) start at a fused start + step·i (or end − step·(n−1−i) past the middle)
 * and add k·step per lane; the remaining points use the fused scalar form.
 */
const linspaceFromNegOne = (steps: number, align: boolean, r: Round): number[] => {
  if (steps <= 1) return [0]
  const step = r(2 / (steps - 1))
  const half = Math.floor(steps / 2)
  const at = (i: number): number => (i < half ? r(-1 + step * i) : r(1 - step * (steps - 1 - i)))
  const lanes = 8
  const vectored = r === exact ? 0 : Math.floor(steps / (2 * lanes)) * 2 * lanes
  return Array.from({ length: steps }, (_, i) => {
    const v = i < vectored ? r(at(i - (i % lanes)) + r((i % lanes) * step)) : at(i)
    return align ? v : r(r(v * (steps - 1)) / steps)
  })
}

/** The base grid [P, d + 1] of (x, y[, z], 1) over the output's spatial sizes (W fastest). */
const baseGrid = (sp: ReadonlyArray<number>, align: boolean, r: Round): Float64Array => {
  const d = sp.length
  const axes = sp.map((n) => linspaceFromNegOne(n, align, r)) // in D, H, W order
  const points = sp.reduce((p, q) => p * q, 1)
  const out = new Float64Array(points * (d + 1))
  for (let p = 0; p < points; p++) {
    let rem = p
    for (let ax = d - 1; ax >= 0; ax--) {
      const n = sp[ax] as number
      // grid component k = d − 1 − ax (x is the last spatial axis)
      out[p * (d + 1) + (d - 1 - ax)] = (axes[ax] as number[])[rem % n] as number
      rem = Math.floor(rem / n)
    }
    out[p * (d + 1) + d] = 1
  }
  return out
}

/**
 * The sampling grid [N, H, W, 2] (or [N, D, H, W, 3]) of the affine maps `theta` [N, 2, 3]
 * (or [N, 3, 4]) for an output of `size` [N, C, H, W] (or [N, C, D, H, W]), for `grid_sample`.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const theta = torch.tensor([[[1, 0, 0], [0, 1, 0]]], { requires_grad: true })
 * const grid = F.affine_grid(theta, [1, 1, 2, 2], { align_corners: true })
 * assert.deepStrictEqual(grid.tolist(), [[[[-1, -1], [1, -1]], [[-1, 1], [1, 1]]]])
 * assert.strictEqual(grid.grad_fn?.name(), 'AffineGridGeneratorBackward0')
 * @category torch @since 0.2.0
 */
export const affine_grid = checkedEntry(
  'affine_grid',
  'Tensor theta, tuple of ints size',
  keywordForms(
    'affine_grid',
    ['theta', 'size'],
    (
      theta: T,
      size: ReadonlyArray<number>,
      ...rest: PyArgs<[align_corners: boolean | null], { readonly align_corners?: boolean | null }>
    ): T => {
      const a = parseArgs('affine_grid', rest, ['align_corners'])
      let align = a.align_corners as boolean | null | undefined
      if (align === undefined || align === null) {
        warn(ALIGN_WARNING)
        align = false
      }
      const th = theta._value()
      if (!isFloat(th.dtype))
        throw new TorchValueError(`Expected theta to have floating point type, but got ${theta.dtype}`)
      const d = size.length - 2
      if (d !== 2 && d !== 3) {
        throw new NotImplementedError(
          `affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${sizeList(size)}.`,
        )
      }
      if (th.ndim !== 3 || th.shape[1] !== d || th.shape[2] !== d + 1) {
        throw new TorchValueError(
          `Expected a batch of ${d}D affine matrices of shape Nx${d}x${d + 1} for size ${sizeList(size)}. Got ${String(theta.shape)}.`,
        )
      }
      const sp = size.slice(2)
      if (align && Math.min(...sp) === 1) {
        warn(
          'Since version 1.3.0, affine_grid behavior has changed for unit-size grids when align_corners=True. This is not an intended use case of affine_grid. See the documentation of affine_grid for details.',
        )
      } else if (Math.min(...size) <= 0) {
        throw new TorchValueError(`Expected non-zero, positive output size. Got ${sizeList(size)}`)
      }
      const n = size[0] as number
      const points = sp.reduce((p, q) => p * q, 1)
      const base = baseGrid(sp, align, rounderOf(th.dtype))
      return op('AffineGridGeneratorBackward0', [theta], (t) => {
        const shape = [n, points, d, d + 1]
        const b = lax.broadcastInDim(lax.cast(new NdArray([points, d + 1], 'float64', base), t.dtype), shape, [1, 3])
        const tb = lax.broadcastInDim(t, shape, [0, 2, 3])
        return lax.reshape(lax.reduceSum(lax.mul(b, tb), [3]), [n, ...sp, d])
      })
    },
  ),
)

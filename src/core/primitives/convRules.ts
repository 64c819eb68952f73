/**
 * conv_general_dilated's transposes and batching rule, in the canonical layout lhs [N, C, sp…],
 * rhs [O, I, sp…], out [N/B, O, sp…] (G = feature_group_count, B = batch_group_count; at most
 * one of them exceeds 1, as in XLA).
 *
 * @category primitives
 * @since 0.2.0
 */
import type { ConvParams } from '../../ndarray/kernels/conv/convGeneral'
import type { NdArray } from '../../ndarray/NdArray'
import * as lax from '../lax'

type BDim = number | null

/**
 * Padding of the cotangent for the transpose of a windowed sum / the lhs of a convolution (JAX:
 * `_conv_general_vjp_lhs_padding`): the full correlation of the stride-dilated cotangent with
 * the flipped window lands exactly on the (dilated) input.
 */
export const vjpLhsPadding = (
  inShape: ReadonlyArray<number>,
  window: ReadonlyArray<number>,
  strides: ReadonlyArray<number>,
  outShape: ReadonlyArray<number>,
  padding: ReadonlyArray<readonly [number, number]>,
  lhsDilation: ReadonlyArray<number>,
  rhsDilation: ReadonlyArray<number>,
): Array<[number, number]> =>
  inShape.map((n, k) => {
    const inD = dilateSize(n, lhsDilation[k] as number)
    const winD = dilateSize(window[k] as number, rhsDilation[k] as number)
    const outD = dilateSize(outShape[k] as number, strides[k] as number)
    const before = winD - (padding[k] as readonly [number, number])[0] - 1
    return [before, inD + winD - 1 - outD - before]
  })

/** Size of an axis of `n` elements with `d − 1` holes between neighbours. */
export const dilateSize = (n: number, d: number): number => (n === 0 ? 0 : 1 + d * (n - 1))

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/** Axes 0 and 1 exchanged. */
const swap01 = (x: NdArray): NdArray => lax.transpose(x, [1, 0, ...range(x.ndim).slice(2)])

/** Splits axis `src` into [size, rest] (JAX: `_reshape_axis_out_of`). */
const axisOutOf = (src: number, size: number, x: NdArray): NdArray => {
  const s = x.shape.slice()
  s.splice(src, 1, size, (x.shape[src] as number) / size)
  return lax.reshape(x, s)
}

/** Merges axis `src` into axis `dst` (of the array without `src`) as its major part (JAX: `_reshape_axis_into`). */
const axisInto = (src: number, dst: number, x: NdArray): NdArray => {
  const perm = range(x.ndim).filter((i) => i !== src)
  perm.splice(dst, 0, src)
  const moved = lax.transpose(x, perm)
  const s = moved.shape.slice()
  s.splice(dst, 2, (s[dst] as number) * (s[dst + 1] as number))
  return lax.reshape(moved, s)
}

/**
 * The lhs cotangent: ȳ convolved with the spatially flipped kernel whose in/out features are
 * exchanged (group-major, so the groups still line up), ȳ dilated by the forward strides and
 * the forward's lhs dilation becoming the stride. Batch groups come back as batch blocks.
 */
export const convLhsTranspose = (yBar: NdArray, lhs: NdArray, rhs: NdArray, p: ConvParams): NdArray => {
  const g = p.featureGroupCount
  const b = p.batchGroupCount
  const groups = g > 1 ? g : b
  // [O, I, sp] -> [O/G, G·I, sp] -> [G·I, O/G, sp]
  const w = groups > 1 ? axisInto(0, 1, axisOutOf(0, groups, rhs)) : rhs
  const spatial = range(rhs.ndim).slice(2)
  const kernel = lax.flip(swap01(w), spatial)
  const padding = vjpLhsPadding(
    lhs.shape.slice(2),
    rhs.shape.slice(2),
    p.windowStrides,
    yBar.shape.slice(2),
    p.padding,
    p.lhsDilation,
    p.rhsDilation,
  )
  const out = lax.convGeneralDilated(yBar, kernel, {
    windowStrides: p.lhsDilation,
    padding,
    lhsDilation: p.windowStrides,
    rhsDilation: p.rhsDilation,
    featureGroupCount: groups,
    batchGroupCount: 1,
  })
  // [N/B, B·I, sp] -> [N, I, sp] with the batch group major
  return b > 1 ? axisInto(1, 0, axisOutOf(1, b, out)) : out
}

/**
 * The rhs cotangent: a convolution of lhs (features as the batch) with ȳ (images as the input
 * features), feature and batch groups exchanged, the forward strides becoming the rhs dilation.
 */
export const convRhsTranspose = (yBar: NdArray, lhs: NdArray, rhs: NdArray, p: ConvParams): NdArray => {
  const holes = holeFreeRhsTranspose(yBar, lhs, rhs, p)
  if (holes !== null) return holes
  const padding = lhs.shape.slice(2).map((n, k): [number, number] => {
    const [lo] = p.padding[k] as readonly [number, number]
    const inD = dilateSize(n, p.lhsDilation[k] as number)
    const winD = dilateSize(rhs.shape[k + 2] as number, p.rhsDilation[k] as number)
    const outD = dilateSize(yBar.shape[k + 2] as number, p.windowStrides[k] as number)
    return [lo, outD - inD + (winD - lo - 1)]
  })
  const out = lax.convGeneralDilated(swap01(lhs), swap01(yBar), {
    windowStrides: p.rhsDilation,
    padding,
    lhsDilation: p.lhsDilation,
    rhsDilation: p.windowStrides,
    featureGroupCount: p.batchGroupCount,
    batchGroupCount: p.featureGroupCount,
  })
  return swap01(out)
}

/**
 * The rhs cotangent of a convolution whose input is dilated (a transposed convolution: unit
 * strides, lhs dilation D > 1, no groups) read from the real input elements only:
 * r̄[o, i, t] = Σ_{n,u} lhs[n, i, u]·ȳ[n, o, u·D + lo − t·R], a convolution of ȳ (the images as
 * features) with lhs dilated by D as the kernel, then flipped. The general form convolves the
 * dilated lhs itself, whose holes (zeros) meet every ȳ element: a ±inf or NaN there would give
 * NaN where the sum over the real elements has none (PyTorch's transposed-convolution weight
 * gradient multiplies the real input elements only). Null where it does not apply.
 */
const holeFreeRhsTranspose = (yBar: NdArray, lhs: NdArray, rhs: NdArray, p: ConvParams): NdArray | null => {
  if (p.featureGroupCount !== 1 || p.batchGroupCount !== 1) return null
  if (!p.lhsDilation.some((d) => d > 1) || p.windowStrides.some((s) => s !== 1)) return null
  const padding: Array<[number, number]> = []
  for (let k = 0; k < lhs.ndim - 2; k++) {
    const [lo] = p.padding[k] as readonly [number, number]
    const t = rhs.shape[k + 2] as number
    const r = p.rhsDilation[k] as number
    const before = (t - 1) * r - lo
    const after =
      (t - 1) * r +
      dilateSize(lhs.shape[k + 2] as number, p.lhsDilation[k] as number) -
      (yBar.shape[k + 2] as number) -
      before
    if (before < 0 || after < 0) return null
    padding.push([before, after])
  }
  const out = lax.convGeneralDilated(swap01(yBar), swap01(lhs), {
    windowStrides: p.rhsDilation,
    padding,
    lhsDilation: p.lhsDilation.map(() => 1),
    rhsDilation: p.lhsDilation,
    featureGroupCount: 1,
    batchGroupCount: 1,
  })
  return lax.flip(out, range(out.ndim).slice(2))
}

// -------------------------------------------------------------------------------------
// batching
// -------------------------------------------------------------------------------------

/**
 * conv_general_dilated under vmap (JAX: `_conv_general_dilated_batch_rule`). A batched lhs folds
 * the batch into the images (inside each batch group); a batched rhs into the output features
 * (inside each group); both batched, into the feature groups. Both batched with batch groups
 * (rare: the filter gradient of a grouped convolution under vmap) runs per element.
 */
export const convBatch = (
  lhs: NdArray,
  lb: BDim,
  rhs: NdArray,
  rb: BDim,
  p: ConvParams,
  size: number,
): readonly [NdArray, BDim] => {
  if (rb === null) return [lhsBatched(lax.batchFirst(lhs, lb, size), rhs, p), 0]
  if (lb === null) return [rhsBatched(lhs, lax.batchFirst(rhs, rb, size), p), 0]
  const l = lax.batchFirst(lhs, lb, size)
  const r = lax.batchFirst(rhs, rb, size)
  if (p.batchGroupCount > 1) return [perElement(l, r, p, size), 0]
  // lhs [S, N, C, sp] -> [N, S·C, sp]; rhs [S, O, I, sp] -> [S·O, I, sp]; G -> S·G
  const [, n, c] = l.shape as [number, number, number]
  const lf = lax.reshape(swap01(l), [n, size * c, ...l.shape.slice(3)])
  const rf = lax.reshape(r, [size * (r.shape[1] as number), ...r.shape.slice(2)])
  const out = lax.convGeneralDilated(lf, rf, { ...p, featureGroupCount: size * p.featureGroupCount })
  // [N, S·O, sp] -> [S, N, O, sp]
  return [swap01(axisOutOf(1, size, out)), 0]
}

/** lhs [S, N, C, sp]: [S, B, N/B] -> [B·S·N/B] images, so each batch group keeps its images. */
const lhsBatched = (l: NdArray, rhs: NdArray, p: ConvParams): NdArray => {
  const b = p.batchGroupCount
  const s = l.shape[0] as number
  const grouped = b > 1 ? swap01(axisOutOf(1, b, l)) : l // [B, S, N/B, C, sp] or [S, N, C, sp]
  const images = lax.reshape(grouped, [s * (l.shape[1] as number), ...l.shape.slice(2)])
  const out = lax.convGeneralDilated(images, rhs, p) // [S·N/B, O, sp]
  return axisOutOf(0, s, out)
}

/** rhs [S, O, I, sp]: output features [K, S, O/K] with K the (feature or batch) group count. */
const rhsBatched = (lhs: NdArray, r: NdArray, p: ConvParams): NdArray => {
  const k = p.featureGroupCount * p.batchGroupCount
  const s = r.shape[0] as number
  const o = r.shape[1] as number
  const grouped = swap01(axisOutOf(1, k, r)) // [K, S, O/K, I, sp]
  const rf = lax.reshape(grouped, [s * o, ...r.shape.slice(2)])
  const out = lax.convGeneralDilated(lhs, rf, p) // [N', K·S·O/K, sp]
  const split = lax.reshape(out, [out.shape[0] as number, k, s, o / k, ...out.shape.slice(2)])
  // [N', K, S, O/K, sp] -> [S, N', K, O/K, sp] -> [S, N', O, sp]
  const moved = lax.transpose(split, [2, 0, 1, ...range(split.ndim).slice(3)])
  return lax.reshape(moved, [s, out.shape[0] as number, o, ...out.shape.slice(2)])
}

/** One convolution per batch element, stacked on a new leading axis. */
const perElement = (l: NdArray, r: NdArray, p: ConvParams, size: number): NdArray => {
  const pick = (x: NdArray, i: number): NdArray =>
    lax.reshape(
      lax.slice(
        x,
        x.shape.map((_, a) => (a === 0 ? i : 0)),
        x.shape.map((d, a) => (a === 0 ? i + 1 : d)),
        x.shape.map(() => 1),
      ),
      x.shape.slice(1),
    )
  const outs = range(size).map((i) => {
    const y = lax.convGeneralDilated(pick(l, i), pick(r, i), p)
    return lax.reshape(y, [1, ...y.shape])
  })
  return lax.concatenate(outs, 0)
}

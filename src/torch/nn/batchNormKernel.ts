/**
 * float32 and float64 batch norm computing PyTorch's CPU sequence (one thread, AVX2 lanes; float32
 * bit for bit, checked against PyTorch 1.13 in test/fixtures/torch/batchnorm_bits; float64 in the
 * same order, so its zeros carry PyTorch's signs): statistics, output, running statistics and the
 * three gradients of a contiguous `[N, C, …]` input. Two layouts, as PyTorch's kernels: an image of
 * one element (`[N, C]`) reduces each channel sequentially in the dtype; larger images reduce each
 * image row in vector lanes (eight float32 folded as a tree, or four float64 in order) into a float64 sum.
 * Where PyTorch's compiled loops fuse a multiply into the following add, {@link fma32} rounds once
 * in float32 ({@link fma64} in float64).
 * Other dtypes, traced values and non-contiguous inputs take the op's composition
 * (./norm_functional.ts), which rounds differently by a few ulps.
 *
 * @category torch
 * @since 0.3.0
 */
import { NdArray } from '../../ndarray/NdArray'
import { fma32 } from '../methods/pointwiseFused'

/** The rounding of one dtype: to the dtype, a multiply-add as PyTorch's fused loops, vector lanes. */
export interface Prec {
  readonly r: (x: number) => number
  readonly fma: (a: number, b: number, c: number) => number
  /** Lanes of PyTorch's vectors of the dtype on AVX2. */
  readonly lanes: number
  readonly make: (n: number) => Floats
}

/** A float32 or float64 buffer. */
export type Floats = Float32Array | Float64Array

const F32: Prec = { r: Math.fround, fma: fma32, lanes: 8, make: (n) => new Float32Array(n) }
/** Veltkamp's split of a float64 into two 26-bit halves. */
const split = (a: number): [number, number] => {
  const t = 134217729 * a
  const hi = t - (t - a)
  return [hi, a - hi]
}

/**
 * `a·b + c` for float64 with the product's error added back (Dekker's exact product, Knuth's
 * two-sum): an exact zero where the fused operation's is, and within an ulp elsewhere.
 */
const fma64 = (a: number, b: number, c: number): number => {
  const p = a * b
  const s = p + c
  if (!Number.isFinite(p) || !Number.isFinite(s) || p === 0) return s
  const [ah, al] = split(a)
  const [bh, bl] = split(b)
  const e = ah * bh - p + ah * bl + al * bh + al * bl
  const bb = s - p
  const t = p - (s - bb) + (c - bb)
  return s + (t + e)
}

const F64: Prec = { r: (x) => x, fma: fma64, lanes: 4, make: (n) => new Float64Array(n) }

/** The rounding of a float32 or float64 array. */
export const precOf = (x: NdArray): Prec => (x.dtype === 'float64' ? F64 : F32)

/** A contiguous `[N, C, image]` float32 input. */
export interface BnLayout {
  readonly n: number
  readonly c: number
  readonly image: number
}

/** Per-channel statistics: the mean and the sum of squared deviations, as PyTorch keeps them. */
export interface BnStats {
  readonly mean: Floats
  readonly varSum: Floats
}

/** True for a concrete array of `dtype` (not a tracer, a staged or a meta value: those are subclasses). */
export const plainOf = (x: NdArray | null, dtype: string): boolean =>
  x === null || (x.dtype === dtype && Object.getPrototypeOf(x) === NdArray.prototype)

/** The layout of an `[N, C, …]` shape. */
export const layoutOf = (shape: ReadonlyArray<number>): BnLayout => ({
  n: shape[0] as number,
  c: shape[1] ?? 1,
  image: shape.slice(2).reduce((p, d) => p * d, 1),
})

const data = (x: NdArray): Floats => x._data as Floats

/** Lane-wise fold of the accumulators: float32 halves, then quarters, then the last pair. */
const foldLanes = (acc: Float64Array, p: Prec): number => {
  // float64 vectors fold in lane order (PyTorch's generic reduction; the tree is float32's)
  if (p.lanes === 4) return acc.reduce((s, a, i) => (i === 0 ? a : p.r(s + a)), 0)
  let v = Array.from(acc)
  while (v.length > 1) {
    const h = v.length / 2
    v = v.slice(0, h).map((a, i) => p.r(a + (v[i + h] as number)))
  }
  return v[0] as number
}

/**
 * One image row's float32 sum in PyTorch's lanes: of `a[i]` (b null) or of the products
 * `a[i]·b[i]` (each later product fused into its lane's add). Rows shorter than the lanes add up
 * in order.
 */
const rowSum = (a: ArrayLike<number>, b: ArrayLike<number> | null, len: number, p: Prec): number => {
  const term = (i: number): number => (b === null ? (a[i] as number) : p.r((a[i] as number) * (b[i] as number)))
  const lanes = p.lanes
  if (len < lanes) {
    let s = term(0)
    for (let i = 1; i < len; i++) s = p.r(s + term(i))
    return s
  }
  const acc = new Float64Array(lanes)
  for (let j = 0; j < lanes; j++) acc[j] = term(j)
  for (let d = lanes; d < len; d += lanes)
    for (let j = 0; j < lanes && d + j < len; j++) {
      const i = d + j
      acc[j] =
        b === null
          ? p.r((acc[j] as number) + (a[i] as number))
          : p.fma(a[i] as number, b[i] as number, acc[j] as number)
    }
  return foldLanes(acc, p)
}

/** Channel `ch`'s values of image row `k`, as one array. */
const rowOf = (x: Floats, l: BnLayout, k: number, ch: number): Floats =>
  x.subarray((k * l.c + ch) * l.image, (k * l.c + ch + 1) * l.image)

/** The batch's per-channel mean and sum of squared deviations (two passes). */
export const batchStats32 = (input: NdArray, l: BnLayout): BnStats => {
  const x = data(input)
  const p = precOf(input)
  const count = l.n * l.image
  const mean = p.make(l.c)
  const varSum = p.make(l.c)
  for (let ch = 0; ch < l.c; ch++) {
    // one-element images: a running sum over the rows in the dtype; else float64 over the elements
    let s = 0
    for (let k = 0; k < l.n; k++) for (const v of rowOf(x, l, k, ch)) s = l.image === 1 ? p.r(s + v) : s + v
    const m = p.r(s / count)
    let q = 0
    for (let k = 0; k < l.n; k++)
      for (const v of rowOf(x, l, k, ch)) {
        const d = p.r(v - m)
        q = l.image === 1 ? p.fma(d, d, q) : q + p.r(d * d)
      }
    mean[ch] = m
    varSum[ch] = p.r(q)
  }
  return { mean, varSum }
}

/** Training's saved `1/√(var + eps)` from the biased variance (0 when both are 0). */
export const batchInvstd32 = (s: BnStats, count: number, eps: number): Floats => {
  const r = s.varSum instanceof Float64Array ? F64.r : F32.r
  return s.varSum.map((q) => {
    const v = r(q / count)
    return v === 0 && eps === 0 ? 0 : 1 / Math.sqrt(v + eps)
  })
}

/** Evaluation's `1/√(running_var + eps)` of the forward pass, in float32. */
export const evalInvstd32 = (rv: NdArray, eps: number): Floats => {
  const r = precOf(rv).r
  return data(rv).map((v) => 1 / r(Math.sqrt(r(v + r(eps)))))
}

/** `running ← momentum·batch + (1 − momentum)·running` with momentum in float32 (mean, then unbiased var). */
export const updatedRunning32 = (
  rm: NdArray,
  rv: NdArray,
  s: BnStats,
  count: number,
  momentum: number,
): [Floats, Floats] => {
  const f = precOf(rm).r
  const m = f(momentum)
  const keep = f(1 - m)
  const mean = data(rm).map((r, ch) => f(m * (s.mean[ch] as number)) + f(keep * r))
  const v = data(rv).map((r, ch) => m * f((s.varSum[ch] as number) / (count - 1)) + f(keep * r))
  return [mean, v]
}

/** `x·alpha + beta` per channel, `alpha = invstd·weight`, `beta = bias − mean·alpha` (fused). */
export const batchNormOut32 = (
  input: NdArray,
  l: BnLayout,
  mean: Floats,
  invstd: Floats,
  weight: NdArray | null,
  bias: NdArray | null,
): NdArray => {
  const x = data(input)
  const p = precOf(input)
  const out = p.make(x.length)
  for (let ch = 0; ch < l.c; ch++) {
    const alpha = p.r((invstd[ch] as number) * (weight === null ? 1 : (data(weight)[ch] as number)))
    const beta = p.fma(-(mean[ch] as number), alpha, bias === null ? 0 : (data(bias)[ch] as number))
    for (let k = 0; k < l.n; k++) {
      const at = (k * l.c + ch) * l.image
      for (let i = at; i < at + l.image; i++) out[i] = p.fma(x[i] as number, alpha, beta)
    }
  }
  return new NdArray(input.shape, input.dtype, out)
}

/** The three gradients of batch norm (input, weight, bias), each per channel. */
export interface BnGrads {
  readonly input: NdArray
  readonly weight: Floats
  readonly bias: Floats
}

/** Per channel: the sum of the incoming gradient and its dot product with `x − mean`. */
const gradSums = (x: Floats, gy: Floats, l: BnLayout, ch: number, mu: number, p: Prec): [number, number] => {
  let sum = 0
  let dotp = 0
  for (let k = 0; k < l.n; k++) {
    const xr = rowOf(x, l, k, ch)
    const gr = rowOf(gy, l, k, ch)
    if (l.image === 1) {
      sum = p.r(sum + (gr[0] as number))
      dotp = p.fma(p.r((xr[0] as number) - mu), gr[0] as number, dotp)
    } else {
      sum += rowSum(gr, null, l.image, p)
      dotp += rowSum(
        xr.map((v) => v - mu),
        gr,
        l.image,
        p,
      )
    }
  }
  return [sum, dotp]
}

/**
 * The gradients of batch norm from the incoming gradient `g`: in training through the batch's
 * statistics (`mean`, saved `invstd`), in evaluation `g·invstd·weight` with the running variance's
 * `invstd` computed in float64 as PyTorch's backward kernels do (`rv` then given).
 */
export const batchNormGrads32 = (
  g: NdArray,
  input: NdArray,
  l: BnLayout,
  mean: Floats,
  invstd: Floats | NdArray,
  weight: NdArray | null,
  eps: number,
): BnGrads => {
  const x = data(input)
  const gy = data(g)
  const p = precOf(input)
  const fround = p.r
  const train = !(invstd instanceof NdArray)
  const ist = train ? invstd : data(invstd).map((v) => 1 / Math.sqrt(v + eps))
  const count = l.n * l.image
  const gi = p.make(x.length)
  const gw = p.make(l.c)
  const gb = p.make(l.c)
  for (let ch = 0; ch < l.c; ch++) {
    const mu = mean[ch] as number
    const is = ist[ch] as number
    const w = weight === null ? 1 : (data(weight)[ch] as number)
    const [sum, dotp] = gradSums(x, gy, l, ch, mu, p)
    const k = fround(fround(fround(fround(dotp) * is) * is) / count)
    const gMean = fround(sum / count)
    for (let r = 0; r < l.n; r++) {
      const at = (r * l.c + ch) * l.image
      for (let i = at; i < at + l.image; i++) {
        const dy = gy[i] as number
        const t = train ? p.fma(-fround((x[i] as number) - mu), k, fround(dy - gMean)) : dy
        gi[i] = fround(t * is) * w
      }
    }
    gw[ch] = dotp * is
    gb[ch] = sum
  }
  return { input: new NdArray(input.shape, input.dtype, gi), weight: gw, bias: gb }
}

/** Where batch norm's arguments sit among its op's inputs: `[input, …running stats, …affine]`. */
export interface BnArgs {
  /** Batch statistics (training, or no running statistics) rather than the running ones at 1, 2. */
  readonly useBatch: boolean
  readonly hasWeight: boolean
  readonly hasBias: boolean
  readonly eps: number
}

/** The weight and bias among the op's values (null where absent). */
const affineOf = (vs: ReadonlyArray<NdArray>, a: BnArgs): [NdArray | null, NdArray | null] => {
  const at = a.useBatch ? 1 : 3
  return [a.hasWeight ? (vs[at] as NdArray) : null, a.hasBias ? (vs[at + (a.hasWeight ? 1 : 0)] as NdArray) : null]
}

/** The statistics the op normalises with: the batch's (mean, saved invstd) or the running ones. */
const statsOf = (vs: ReadonlyArray<NdArray>, a: BnArgs, l: BnLayout): [Floats, Floats | NdArray] => {
  const x = vs[0] as NdArray
  if (!a.useBatch) return [data(vs[1] as NdArray), vs[2] as NdArray]
  const s = batchStats32(x, l)
  return [s.mean, batchInvstd32(s, l.n * l.image, a.eps)]
}

/**
 * True when the kernels apply to the op's values: all float32 or all float64, concrete, the input
 * contiguous in PyTorch's view.
 */
export const kernelApplies = (vs: ReadonlyArray<NdArray>, contiguous: boolean): boolean => {
  const x = vs[0] as NdArray
  const dt = x.dtype
  return (
    contiguous &&
    (dt === 'float32' || dt === 'float64') &&
    vs.every((v) => plainOf(v, dt)) &&
    x.shape.length >= 2 &&
    x.size > 0
  )
}

/** Batch norm's output from the op's values through the float32 kernels. */
export const batchNormValue32 = (vs: ReadonlyArray<NdArray>, a: BnArgs): NdArray => {
  const x = vs[0] as NdArray
  const l = layoutOf(x.shape)
  const [mean, invstd] = statsOf(vs, a, l)
  const is = invstd instanceof NdArray ? evalInvstd32(invstd, a.eps) : invstd
  const [w, b] = affineOf(vs, a)
  return batchNormOut32(x, l, mean, is, w, b)
}

/**
 * Batch norm's gradients from the op's values through the float32 kernels, laid out as the op's
 * inputs (none for the running statistics, which PyTorch's node does not differentiate).
 */
export const batchNormGradValues32 = (
  g: NdArray,
  vs: ReadonlyArray<NdArray>,
  needs: ReadonlyArray<boolean>,
  a: BnArgs,
): Array<NdArray | null> => {
  const x = vs[0] as NdArray
  const l = layoutOf(x.shape)
  const [mean, invstd] = statsOf(vs, a, l)
  const [w] = affineOf(vs, a)
  const r = batchNormGrads32(g, x, l, mean, invstd, w, a.eps)
  const out: Array<NdArray | null> = vs.map(() => null)
  out[0] = needs[0] === true ? r.input : null
  const at = a.useBatch ? 1 : 3
  const vec = (v: Floats): NdArray => new NdArray([l.c], x.dtype, v)
  if (a.hasWeight && needs[at] === true) out[at] = vec(r.weight)
  if (a.hasBias) {
    const bi = at + (a.hasWeight ? 1 : 0)
    if (needs[bi] === true) out[bi] = vec(r.bias)
  }
  return out
}

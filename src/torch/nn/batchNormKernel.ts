/**
 * float32 batch norm computing PyTorch's CPU sequence bit for bit (one thread, AVX2 lanes; checked
 * against PyTorch 1.13 in test/fixtures/torch/batchnorm_bits): statistics, output, running
 * statistics and the three gradients of a contiguous `[N, C, …]` input. Two layouts, as PyTorch's
 * kernels: an image of one element (`[N, C]`) reduces each channel sequentially in float32; larger
 * images reduce each image row in eight float32 lanes (folded as a tree) into a float64 sum. Where
 * PyTorch's compiled loops fuse a multiply into the following add, {@link fma32} rounds once.
 * Other dtypes, traced values and non-contiguous inputs take the op's composition
 * (./norm_functional.ts), which rounds differently by a few ulps.
 *
 * @category torch
 * @since 0.3.0
 */
import { NdArray } from '../../ndarray/NdArray'
import { fma32 } from '../methods/pointwiseFused'

const fround = Math.fround

/** Lanes of PyTorch's float32 vectors on AVX2. */
const LANES = 8

/** A contiguous `[N, C, image]` float32 input. */
export interface BnLayout {
  readonly n: number
  readonly c: number
  readonly image: number
}

/** Per-channel statistics: the mean and the sum of squared deviations, as PyTorch keeps them. */
export interface BnStats {
  readonly mean: Float32Array
  readonly varSum: Float32Array
}

/** True for a concrete float32 array (not a tracer, a staged or a meta value: those are subclasses). */
export const plain32 = (x: NdArray | null): boolean =>
  x === null || (x.dtype === 'float32' && Object.getPrototypeOf(x) === NdArray.prototype)

/** The layout of an `[N, C, …]` shape. */
export const layoutOf = (shape: ReadonlyArray<number>): BnLayout => ({
  n: shape[0] as number,
  c: shape[1] ?? 1,
  image: shape.slice(2).reduce((p, d) => p * d, 1),
})

const data = (x: NdArray): Float32Array => x._data as Float32Array

/** Lane-wise fold of eight float32 accumulators: halves, then quarters, then the last pair. */
const foldLanes = (acc: Float64Array): number => {
  const s = [0, 1, 2, 3].map((i) => fround((acc[i] as number) + (acc[i + 4] as number)))
  const t = [fround((s[0] as number) + (s[2] as number)), fround((s[1] as number) + (s[3] as number))]
  return fround((t[0] as number) + (t[1] as number))
}

/**
 * One image row's float32 sum in PyTorch's lanes: of `a[i]` (b null) or of the products
 * `a[i]·b[i]` (each later product fused into its lane's add). Rows shorter than the lanes add up
 * in order.
 */
const rowSum = (a: ArrayLike<number>, b: ArrayLike<number> | null, len: number): number => {
  const term = (i: number): number => (b === null ? (a[i] as number) : fround((a[i] as number) * (b[i] as number)))
  if (len < LANES) {
    let s = term(0)
    for (let i = 1; i < len; i++) s = fround(s + term(i))
    return s
  }
  const acc = new Float64Array(LANES)
  for (let j = 0; j < LANES; j++) acc[j] = term(j)
  for (let d = LANES; d < len; d += LANES)
    for (let j = 0; j < LANES && d + j < len; j++) {
      const i = d + j
      acc[j] =
        b === null
          ? fround((acc[j] as number) + (a[i] as number))
          : fma32(a[i] as number, b[i] as number, acc[j] as number)
    }
  return foldLanes(acc)
}

/** Channel `ch`'s values of image row `k`, as one array. */
const rowOf = (x: Float32Array, l: BnLayout, k: number, ch: number): Float32Array =>
  x.subarray((k * l.c + ch) * l.image, (k * l.c + ch + 1) * l.image)

/** The batch's per-channel mean and sum of squared deviations (two passes). */
export const batchStats32 = (input: NdArray, l: BnLayout): BnStats => {
  const x = data(input)
  const count = l.n * l.image
  const mean = new Float32Array(l.c)
  const varSum = new Float32Array(l.c)
  for (let ch = 0; ch < l.c; ch++) {
    // one-element images: a float32 running sum over the rows; else float64 over the elements
    let s = 0
    for (let k = 0; k < l.n; k++) for (const v of rowOf(x, l, k, ch)) s = l.image === 1 ? fround(s + v) : s + v
    const m = fround(s / count)
    let q = 0
    for (let k = 0; k < l.n; k++)
      for (const v of rowOf(x, l, k, ch)) {
        const d = fround(v - m)
        q = l.image === 1 ? fma32(d, d, q) : q + fround(d * d)
      }
    mean[ch] = m
    varSum[ch] = fround(q)
  }
  return { mean, varSum }
}

/** Training's saved `1/√(var + eps)` from the biased variance (0 when both are 0). */
export const batchInvstd32 = (s: BnStats, count: number, eps: number): Float32Array =>
  s.varSum.map((q) => {
    const v = fround(q / count)
    return v === 0 && eps === 0 ? 0 : 1 / Math.sqrt(v + eps)
  })

/** Evaluation's `1/√(running_var + eps)` of the forward pass, in float32. */
export const evalInvstd32 = (rv: NdArray, eps: number): Float32Array =>
  data(rv).map((v) => 1 / fround(Math.sqrt(fround(v + fround(eps)))))

/** `running ← momentum·batch + (1 − momentum)·running` with momentum in float32 (mean, then unbiased var). */
export const updatedRunning32 = (
  rm: NdArray,
  rv: NdArray,
  s: BnStats,
  count: number,
  momentum: number,
): [Float32Array, Float32Array] => {
  const m = fround(momentum)
  const keep = fround(1 - m)
  const mean = data(rm).map((r, ch) => fround(m * (s.mean[ch] as number)) + fround(keep * r))
  const v = data(rv).map((r, ch) => m * fround((s.varSum[ch] as number) / (count - 1)) + fround(keep * r))
  return [mean, v]
}

/** `x·alpha + beta` per channel, `alpha = invstd·weight`, `beta = bias − mean·alpha` (fused). */
export const batchNormOut32 = (
  input: NdArray,
  l: BnLayout,
  mean: Float32Array,
  invstd: Float32Array,
  weight: NdArray | null,
  bias: NdArray | null,
): NdArray => {
  const x = data(input)
  const out = new Float32Array(x.length)
  for (let ch = 0; ch < l.c; ch++) {
    const alpha = fround((invstd[ch] as number) * (weight === null ? 1 : (data(weight)[ch] as number)))
    const beta = fma32(-(mean[ch] as number), alpha, bias === null ? 0 : (data(bias)[ch] as number))
    for (let k = 0; k < l.n; k++) {
      const at = (k * l.c + ch) * l.image
      for (let i = at; i < at + l.image; i++) out[i] = fma32(x[i] as number, alpha, beta)
    }
  }
  return new NdArray(input.shape, 'float32', out)
}

/** The three gradients of batch norm (input, weight, bias), each per channel. */
export interface BnGrads {
  readonly input: NdArray
  readonly weight: Float32Array
  readonly bias: Float32Array
}

/** Per channel: the sum of the incoming gradient and its dot product with `x − mean`. */
const gradSums = (x: Float32Array, gy: Float32Array, l: BnLayout, ch: number, mu: number): [number, number] => {
  let sum = 0
  let dotp = 0
  for (let k = 0; k < l.n; k++) {
    const xr = rowOf(x, l, k, ch)
    const gr = rowOf(gy, l, k, ch)
    if (l.image === 1) {
      sum = fround(sum + (gr[0] as number))
      dotp = fma32(fround((xr[0] as number) - mu), gr[0] as number, dotp)
    } else {
      sum += rowSum(gr, null, l.image)
      dotp += rowSum(
        xr.map((v) => v - mu),
        gr,
        l.image,
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
  mean: Float32Array,
  invstd: Float32Array | NdArray,
  weight: NdArray | null,
  eps: number,
): BnGrads => {
  const x = data(input)
  const gy = data(g)
  const train = invstd instanceof Float32Array
  const ist = train ? invstd : data(invstd).map((v) => 1 / Math.sqrt(v + eps))
  const count = l.n * l.image
  const gi = new Float32Array(x.length)
  const gw = new Float32Array(l.c)
  const gb = new Float32Array(l.c)
  for (let ch = 0; ch < l.c; ch++) {
    const mu = mean[ch] as number
    const is = ist[ch] as number
    const w = weight === null ? 1 : (data(weight)[ch] as number)
    const [sum, dotp] = gradSums(x, gy, l, ch, mu)
    const k = fround(fround(fround(fround(dotp) * is) * is) / count)
    const gMean = fround(sum / count)
    for (let r = 0; r < l.n; r++) {
      const at = (r * l.c + ch) * l.image
      for (let i = at; i < at + l.image; i++) {
        const dy = gy[i] as number
        const t = train ? fma32(-fround((x[i] as number) - mu), k, fround(dy - gMean)) : dy
        gi[i] = fround(t * is) * w
      }
    }
    gw[ch] = dotp * is
    gb[ch] = sum
  }
  return { input: new NdArray(input.shape, 'float32', gi), weight: gw, bias: gb }
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
const statsOf = (vs: ReadonlyArray<NdArray>, a: BnArgs, l: BnLayout): [Float32Array, Float32Array | NdArray] => {
  const x = vs[0] as NdArray
  if (!a.useBatch) return [data(vs[1] as NdArray), vs[2] as NdArray]
  const s = batchStats32(x, l)
  return [s.mean, batchInvstd32(s, l.n * l.image, a.eps)]
}

/** True when the float32 kernels apply to the op's values (the input contiguous in PyTorch's view). */
export const kernelApplies = (vs: ReadonlyArray<NdArray>, contiguous: boolean): boolean =>
  contiguous && vs.every(plain32) && (vs[0] as NdArray).shape.length >= 2 && (vs[0] as NdArray).size > 0

/** Batch norm's output from the op's values through the float32 kernels. */
export const batchNormValue32 = (vs: ReadonlyArray<NdArray>, a: BnArgs): NdArray => {
  const x = vs[0] as NdArray
  const l = layoutOf(x.shape)
  const [mean, invstd] = statsOf(vs, a, l)
  const is = invstd instanceof Float32Array ? invstd : evalInvstd32(invstd, a.eps)
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
  const vec = (v: Float32Array): NdArray => new NdArray([l.c], 'float32', v)
  if (a.hasWeight && needs[at] === true) out[at] = vec(r.weight)
  if (a.hasBias) {
    const bi = at + (a.hasWeight ? 1 : 0)
    if (needs[bi] === true) out[bi] = vec(r.bias)
  }
  return out
}

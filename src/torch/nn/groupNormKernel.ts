/**
 * float32 and float64 group norm computing PyTorch's CPU sequence for a contiguous `[N, C, …]`
 * input (one thread, AVX2 lanes; float32 checked bit for bit against PyTorch 1.13 in
 * test/fixtures/torch/groupnorm_bits). Each group's moments come from a row-wise Welford pass:
 * per vector lane in chunks of sixteen vectors, chunks merged by a binary cascade (Chan et al.'s
 * pairwise update, "Updating Formulae and a Pairwise Algorithm for Computing Sample Variances",
 * 1979), then the tail elements one by one and the lanes merged into them. The output is
 * `x·scale + bias` (fused) with `scale = rstd·weight`, `bias = beta − scale·mean`; without an
 * affine part `(x − mean)·rstd`. The backward sums `ds = Σ dy·x` and `db = Σ dy` per channel,
 * folds them per group with the weight, and forms `dx = c1·dy + c2·x + c3`. The Welford pass
 * rounds every product (PyTorch 1.13's bits); float64 rounds fused products twice (an ulp at most).
 *
 * @category torch
 * @since 0.3.0
 */
import { NdArray } from '../../ndarray/NdArray'
import { type Floats, type Prec, precOf } from './batchNormKernel'

/** Vectors per chunk of the Welford pass. */
const CHUNK = 16

const ceilLog2 = (m: number): number => (m <= 2 ? 1 : Math.ceil(Math.log2(m)))

/** One lane set's running moments: count, means and sums of squared deviations per lane. */
interface Moments {
  m0: number
  readonly m1: Float64Array
  readonly m2: Float64Array
}

/** Merges `(m0a, m1a, m2a)` into `acc`, lane by lane (Chan et al.'s update, fused as PyTorch's loop). */
const addMoments = (m0a: number, m1a: Float64Array, m2a: Float64Array, acc: Moments, p: Prec): void => {
  const n = acc.m0 + m0a
  const c = n === 0 ? 0 : p.r(m0a / n)
  for (let l = 0; l < m1a.length; l++) {
    const delta = p.r((m1a[l] as number) - (acc.m1[l] as number))
    acc.m1[l] = p.r((acc.m1[l] as number) + p.r(c * delta))
    acc.m2[l] = p.r((acc.m2[l] as number) + p.r((m2a[l] as number) + p.r(p.r(p.r(delta * delta) * c) * acc.m0)))
  }
  acc.m0 = n
}

const empty = (k: number): Moments => ({ m0: 0, m1: new Float64Array(k), m2: new Float64Array(k) })

/** The vector part: lanes of `x[off + j·K + l]` for whole vectors, chunked and cascaded. */
const laneMoments = (x: Floats, off: number, nVec: number, p: Prec): Moments => {
  const k = p.lanes
  const m = Math.ceil(nVec / CHUNK)
  const depth = ceilLog2(m)
  const stack = Array.from({ length: depth }, () => empty(k))
  const inv = Array.from({ length: CHUNK }, (_, j) => p.r(1 / (j + 1)))
  for (let i = 0; i < m; i++) {
    const count = Math.min(CHUNK, nVec - i * CHUNK)
    const ch = empty(k)
    for (let j = 0; j < count; j++)
      for (let l = 0; l < k; l++) {
        const v = x[off + (i * CHUNK + j) * k + l] as number
        const d = p.r(v - (ch.m1[l] as number))
        ch.m1[l] = p.r((ch.m1[l] as number) + p.r(d * (inv[j] as number)))
        ch.m2[l] = p.r((ch.m2[l] as number) + p.r(d * p.r(v - (ch.m1[l] as number))))
      }
    addMoments(count, ch.m1, ch.m2, stack[0] as Moments, p)
    let mask = i + 1
    for (let j = 1; j < depth && (mask & 1) === 0; j++) {
      const lo = stack[j - 1] as Moments
      addMoments(lo.m0, lo.m1, lo.m2, stack[j] as Moments, p)
      stack[j - 1] = empty(k)
      mask >>= 1
    }
  }
  for (let i = 1; i < depth; i++) {
    const s = stack[i] as Moments
    addMoments(s.m0, s.m1, s.m2, stack[0] as Moments, p)
  }
  return stack[0] ?? empty(k)
}

/** Mean and biased variance of `x[off, off + len)` in PyTorch's row-wise Welford order. */
export const rowMoments = (x: Floats, off: number, len: number, p: Prec): [number, number] => {
  const k = p.lanes
  const nVec = Math.floor(len / k)
  const lanes = laneMoments(x, off, nVec, p)
  const acc = empty(1)
  for (let i = nVec * k; i < len; i++) {
    const v = x[off + i] as number
    const d = p.r(v - (acc.m1[0] as number))
    acc.m0++
    acc.m1[0] = p.r((acc.m1[0] as number) + p.r(d / acc.m0))
    acc.m2[0] = p.r((acc.m2[0] as number) + p.r(d * p.r(v - (acc.m1[0] as number))))
  }
  for (let l = 0; l < k; l++) addMoments(nVec, lanes.m1.subarray(l, l + 1), lanes.m2.subarray(l, l + 1), acc, p)
  return [acc.m1[0] as number, p.r((acc.m2[0] as number) / len)]
}

/** A group norm call's sizes: batch, channels, image elements per channel, groups. */
export interface GnLayout {
  readonly n: number
  readonly c: number
  readonly image: number
  readonly groups: number
}

/**
 * Per group (`n·G + g`): the mean and `1/√(max(var, 0) + eps)`, in float64 and rounded once as
 * PyTorch 2.x's kernel (its `eps` a double); `eps113` computes it in the dtype as 1.13 did (`eps`
 * cast to the dtype first), which the bitwise fixture of 1.13 checks the other steps with.
 */
export const groupStats = (input: NdArray, l: GnLayout, eps: number, eps113 = false): [Floats, Floats] => {
  const x = input._data as Floats
  const p = precOf(input)
  const inner = (l.c / l.groups) * l.image
  const mean = p.make(l.n * l.groups)
  const rstd = p.make(l.n * l.groups)
  for (let i = 0; i < l.n * l.groups; i++) {
    const [m, v] = rowMoments(x, i * inner, inner, p)
    mean[i] = m
    rstd[i] = eps113 ? p.r(1 / p.r(Math.sqrt(p.r(Math.max(v, 0) + p.r(eps))))) : 1 / Math.sqrt(Math.max(v, 0) + eps)
  }
  return [mean, rstd]
}

const vals = (t: NdArray | null): Floats | null => (t === null ? null : (t._data as Floats))

/** Group norm's output through PyTorch's kernel. */
export const groupNormValue = (
  input: NdArray,
  l: GnLayout,
  eps: number,
  weight: NdArray | null,
  bias: NdArray | null,
  eps113 = false,
): NdArray => {
  const x = input._data as Floats
  const p = precOf(input)
  const [mean, rstd] = groupStats(input, l, eps, eps113)
  const out = p.make(x.length)
  const d = l.c / l.groups
  const [w, b] = [vals(weight), vals(bias)]
  for (let i = 0; i < l.n * l.groups; i++) {
    const [mu, rs] = [mean[i] as number, rstd[i] as number]
    for (let j = 0; j < d; j++) {
      const ch = (i % l.groups) * d + j
      const at = (i * d + j) * l.image
      if (w === null && b === null) {
        for (let k = at; k < at + l.image; k++) out[k] = p.r(p.r((x[k] as number) - mu) * rs)
        continue
      }
      const scale = p.r(rs * (w === null ? 1 : (w[ch] as number)))
      const shift = p.r(p.r(-scale * mu) + (b === null ? 0 : (b[ch] as number)))
      for (let k = at; k < at + l.image; k++) out[k] = p.fma(scale, x[k] as number, shift)
    }
  }
  return new NdArray(input.shape, input.dtype, out)
}

/** The three gradients of group norm (input, weight, bias). */
export interface GnGrads {
  readonly input: NdArray
  readonly weight: NdArray
  readonly bias: NdArray
}

/** The weight-folded sums of one group's `ds`, `db`: vector lanes (fused), summed in order, then the tail. */
const foldGroup = (ds: Floats, db: Floats, at: number, d: number, w: Floats | null, w0: number, p: Prec): number[] => {
  const k = p.lanes
  const whole = Math.floor(d / k) * k
  const acc = [new Float64Array(k), new Float64Array(k)]
  for (let j = 0; j < whole; j++) {
    const gw = w === null ? 1 : (w[w0 + j] as number)
    const l = j % k
    ;(acc[0] as Float64Array)[l] = p.fma(ds[at + j] as number, gw, (acc[0] as Float64Array)[l] as number)
    ;(acc[1] as Float64Array)[l] = p.fma(db[at + j] as number, gw, (acc[1] as Float64Array)[l] as number)
  }
  return [0, 1].map((q) => {
    const src = q === 0 ? ds : db
    let s = 0
    if (whole > 0) for (const v of acc[q] as Float64Array) s = p.r(s + v)
    for (let j = whole; j < d; j++) s = p.fma(src[at + j] as number, w === null ? 1 : (w[w0 + j] as number), s)
    return s
  })
}

/**
 * One channel's `Σ dy·x` and `Σ dy`: whole vectors in lanes (the product fused), the lanes added
 * in order, then the tail elements (product rounded).
 */
const internalSums = (dy: Floats, x: Floats, p: Prec): number[] => {
  const k = p.lanes
  const whole = Math.floor(dy.length / k) * k
  const as = new Float64Array(k)
  const ab = new Float64Array(k)
  for (let j = 0; j < whole; j++) {
    const l = j % k
    as[l] = p.fma(dy[j] as number, x[j] as number, as[l] as number)
    ab[l] = p.r((ab[l] as number) + (dy[j] as number))
  }
  let s = 0
  let b = 0
  for (let l = 0; l < k; l++) {
    s = p.r(s + (as[l] as number))
    b = p.r(b + (ab[l] as number))
  }
  for (let j = whole; j < dy.length; j++) {
    s = p.r(s + p.r((dy[j] as number) * (x[j] as number)))
    b = p.r(b + (dy[j] as number))
  }
  return [s, b]
}

/** Group norm's gradients from the incoming gradient `g` through PyTorch's backward kernel. */
export const groupNormGrads = (
  g: NdArray,
  input: NdArray,
  l: GnLayout,
  eps: number,
  weight: NdArray | null,
  eps113 = false,
): GnGrads => {
  const x = input._data as Floats
  const dy = g._data as Floats
  const p = precOf(input)
  const [mean, rstd] = groupStats(input, l, eps, eps113)
  const nc = l.n * l.c
  const ds = p.make(nc)
  const db = p.make(nc)
  for (let i = 0; i < nc; i++) {
    const [a, b] = [dy.subarray(i * l.image, (i + 1) * l.image), x.subarray(i * l.image, (i + 1) * l.image)]
    ;[ds[i], db[i]] = internalSums(a, b, p) as [number, number]
  }
  const d = l.c / l.groups
  const w = vals(weight)
  const s = p.r(1 / (d * l.image))
  const gi = p.make(x.length)
  for (let i = 0; i < l.n * l.groups; i++) {
    const gr = i % l.groups
    const [dsv, dbv] = foldGroup(ds, db, i * d, d, w, gr * d, p) as [number, number]
    const [mu, rs] = [mean[i] as number, rstd[i] as number]
    const c2 = p.r(p.r(p.r(p.r(p.fma(dbv, mu, -dsv) * rs) * rs) * rs) * s)
    const c3 = p.fma(-c2, mu, -p.r(p.r(dbv * rs) * s))
    for (let j = 0; j < d; j++) {
      const c1 = p.r(rs * (w === null ? 1 : (w[gr * d + j] as number)))
      const at = (i * d + j) * l.image
      for (let k = at; k < at + l.image; k++) gi[k] = p.r(p.fma(c1, dy[k] as number, p.r(c2 * (x[k] as number))) + c3)
    }
  }
  const gw = p.make(l.c)
  const gb = p.make(l.c)
  for (let ch = 0; ch < l.c; ch++) {
    const gr = Math.floor(ch / d)
    let aw = 0
    let ab = 0
    for (let n = 0; n < l.n; n++) {
      const ng = n * l.groups + gr
      const t = p.fma(-(db[n * l.c + ch] as number), mean[ng] as number, ds[n * l.c + ch] as number)
      aw = p.fma(t, rstd[ng] as number, aw)
      ab = p.r(ab + (db[n * l.c + ch] as number))
    }
    gw[ch] = aw
    gb[ch] = ab
  }
  const vec = (v: Floats): NdArray => new NdArray([l.c], input.dtype, v)
  return { input: new NdArray(input.shape, input.dtype, gi), weight: vec(gw), bias: vec(gb) }
}

/**
 * The fast convolution and pooling paths against slow references: the three gemm lowerings
 * (positions, taps and scatter), on the TypeScript and the WebAssembly gemm, in whole and chunked panels,
 * against a direct float64 loop over random shapes with strides, padding (negative included), lhs
 * and rhs dilation, feature and batch groups; the direct 2-D pooling loops against the per-axis
 * passes (the same window on an array with a trailing unit axis), ties and NaN included.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { NdArray } from '../../src/ndarray/NdArray'
import {
  convGeneralDilated,
  setConvAlgorithm,
  setConvPanelMax,
  type ConvAlgorithm,
  type ConvParams,
} from '../../src/ndarray/kernels/conv/convGeneral'
import { reduceWindow, windowArgmax, type ReduceWindowParams } from '../../src/ndarray/kernels/conv/reduceWindow'
import { axisTaps, windowOutSize } from '../../src/ndarray/kernels/conv/window'
import { setGemmBackend, wasmGemmAvailable, type GemmBackend } from '../../src/ndarray/kernels/gemm'

/** mulberry32: deterministic values in [0, 1). */
const rng = (seed: number) => {
  let s = seed >>> 0
  return (): number => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = Math.imul(s ^ (s >>> 15), s | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const sizeOf = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)
const randArray = (r: () => number, shape: number[], dtype: 'float32' | 'float64'): NdArray => {
  const data = dtype === 'float32' ? new Float32Array(sizeOf(shape)) : new Float64Array(sizeOf(shape))
  for (let i = 0; i < data.length; i++) data[i] = 2 * r() - 1
  return new NdArray(shape, dtype, data)
}

interface Case {
  readonly lhsShape: number[]
  readonly rhsShape: number[]
  readonly params: ConvParams
}

/** A random convolution with every option in play (sizes kept small; the output may be empty). */
const randomCase = (r: () => number): Case => {
  const pick = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1))
  const nsp = pick(1, 3)
  const groups = pick(1, 3)
  const byBatch = r() < 0.3
  const i = pick(1, 3)
  const oPer = pick(1, 3)
  const n = byBatch ? groups * pick(1, 2) : pick(1, 3)
  const kSp = Array.from({ length: nsp }, () => pick(1, nsp === 3 ? 2 : 4))
  const inSp = Array.from({ length: nsp }, () => pick(3, nsp === 3 ? 5 : 9))
  const params: ConvParams = {
    windowStrides: kSp.map(() => pick(1, 3)),
    padding: kSp.map((): [number, number] => [pick(-1, 2), pick(-1, 2)]),
    lhsDilation: kSp.map(() => (r() < 0.3 ? 2 : 1)),
    rhsDilation: kSp.map(() => (r() < 0.3 ? 2 : 1)),
    featureGroupCount: byBatch ? 1 : groups,
    batchGroupCount: byBatch ? groups : 1,
  }
  return { lhsShape: [n, byBatch ? i : i * groups, ...inSp], rhsShape: [oPer * groups, i, ...kSp], params }
}

/** out[n, o, q] straight from the definition, in float64. */
const directConv = (lhs: NdArray, rhs: NdArray, p: ConvParams): { shape: number[]; data: Float64Array } => {
  const [n, c, ...inSp] = lhs.shape as number[]
  const [o, i, ...kSp] = rhs.shape as number[]
  const { featureGroupCount: fg, batchGroupCount: bg } = p
  const nOut = (n as number) / bg
  const outSp = inSp.map((sz, d) => {
    const [lo, hi] = p.padding[d] as [number, number]
    return windowOutSize(sz, kSp[d]!, p.windowStrides[d]!, lo, hi, p.lhsDilation[d]!, p.rhsDilation[d]!)
  })
  const taps = inSp.map((sz, d) =>
    axisTaps(sz, kSp[d]!, outSp[d]!, p.windowStrides[d]!, p.padding[d]![0], p.lhsDilation[d]!, p.rhsDilation[d]!),
  )
  const q = sizeOf(outSp)
  const t = sizeOf(kSp)
  const out = new Float64Array(nOut * o! * q)
  const oPer = o! / (fg * bg)
  const unravel = (f: number, shape: number[]) =>
    shape
      .slice()
      .reverse()
      .map((s) => {
        const v = f % s
        f = Math.floor(f / s)
        return v
      })
      .reverse()
  for (let b = 0; b < nOut; b++)
    for (let oc = 0; oc < o!; oc++) {
      const g = Math.floor(oc / oPer)
      const image = fg > 1 ? b : g * nOut + b
      for (let pos = 0; pos < q; pos++) {
        const oi = unravel(pos, outSp)
        let acc = 0
        for (let ic = 0; ic < i!; ic++)
          for (let tap = 0; tap < t; tap++) {
            const ti = unravel(tap, kSp)
            let off = (image * c! + (fg > 1 ? g * i! : 0) + ic) * sizeOf(inSp)
            let hole = false
            ti.forEach((tv, d) => {
              const s = taps[d]![tv * outSp[d]! + oi[d]!]!
              if (s < 0) hole = true
              off += s * sizeOf(inSp.slice(d + 1))
            })
            if (!hole) acc += (lhs._data[off] as number) * (rhs._data[(oc * i! + ic) * t + tap] as number)
          }
        out[(b * o! + oc) * q + pos] = acc
      }
    }
  return { shape: [nOut, o!, ...outSp], data: out }
}

const expectNear = (got: NdArray, want: { shape: number[]; data: Float64Array }, tol: number): void => {
  expect(got.shape).toEqual(want.shape)
  let scale = 1e-30
  for (const v of want.data) scale = Math.max(scale, Math.abs(v))
  let err = 0
  want.data.forEach((v, k) => (err = Math.max(err, Math.abs((got._data[k] as number) - v))))
  expect(err / scale).toBeLessThanOrEqual(tol)
}

afterEach(() => {
  setConvAlgorithm('auto')
  setGemmBackend('auto')
})

describe('convGeneralDilated lowerings against the direct definition', () => {
  const backends: GemmBackend[] = wasmGemmAvailable() ? ['ts', 'wasm'] : ['ts']
  const algorithms: ConvAlgorithm[] = ['positions', 'taps', 'scatter', 'auto']
  it.each(Array.from({ length: 40 }, (_, k) => [k]))('random case %i: every lowering and gemm backend', (k) => {
    const r = rng(1000 + k)
    const c = randomCase(r)
    for (const dtype of ['float64', 'float32'] as const) {
      const lhs = randArray(r, c.lhsShape, dtype)
      const rhs = randArray(r, c.rhsShape, dtype)
      const want = directConv(lhs, rhs, c.params)
      for (const backend of backends)
        for (const algorithm of algorithms)
          for (const panel of [1 << 20, 7]) {
            setGemmBackend(backend)
            setConvAlgorithm(algorithm)
            const prev = setConvPanelMax(panel)
            try {
              expectNear(convGeneralDilated(lhs, rhs, c.params), want, dtype === 'float64' ? 1e-12 : 2e-5)
            } finally {
              setConvPanelMax(prev)
            }
          }
    }
  })

  it('the filter gradient of the MNIST network (few outputs, 24×24 kernel) agrees across lowerings', () => {
    const r = rng(7)
    // lhs: input features as the batch [C, N, 26, 26]; rhs: the cotangent [O, N, 24, 24]
    const lhs = randArray(r, [4, 3, 26, 26], 'float32')
    const rhs = randArray(r, [5, 3, 24, 24], 'float32')
    const p: ConvParams = {
      windowStrides: [1, 1],
      padding: [
        [0, 0],
        [0, 0],
      ],
      lhsDilation: [1, 1],
      rhsDilation: [1, 1],
      featureGroupCount: 1,
      batchGroupCount: 1,
    }
    const want = directConv(lhs, rhs, p)
    for (const algorithm of algorithms) {
      setConvAlgorithm(algorithm)
      expectNear(convGeneralDilated(lhs, rhs, p), want, 2e-5)
    }
  })
})

describe('2-D pooling loops against the per-axis passes', () => {
  const params = (win: number[], strides: number[], pad: Array<[number, number]>, dil: number[]) =>
    ({
      windowDimensions: win,
      strides,
      padding: pad,
      baseDilation: win.map(() => 1),
      windowDilation: dil,
    }) satisfies ReduceWindowParams
  /** The same window on x with a trailing unit axis (so the passes, not the 2-D loop, run). */
  const viaPasses = (p: ReduceWindowParams): ReduceWindowParams => ({
    windowDimensions: [...p.windowDimensions, 1],
    strides: [...p.strides, 1],
    padding: [...p.padding, [0, 0]],
    baseDilation: [...p.baseDilation, 1],
    windowDilation: [...p.windowDilation, 1],
  })
  it.each(Array.from({ length: 12 }, (_, k) => [k]))('random case %i: max, min and argmax, ties and NaN', (k) => {
    const r = rng(500 + k)
    const pick = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1))
    const shape = [pick(1, 2), pick(1, 3), pick(2, 7), pick(2, 7)]
    // small integers (many ties), a few NaNs
    const data = new Float64Array(sizeOf(shape)).map(() => (r() < 0.05 ? NaN : pick(-2, 2)))
    const x = new NdArray(shape, 'float64', data)
    const x1 = new NdArray([...shape, 1], 'float64', data)
    const p = params(
      [1, 1, pick(1, 3), pick(1, 3)],
      [1, 1, pick(1, 2), pick(1, 2)],
      [[0, 0], [0, 0], [pick(0, 1), pick(0, 1)] as [number, number], [pick(0, 1), pick(-1, 1)] as [number, number]],
      [1, 1, pick(1, 2), pick(1, 2)],
    )
    for (const op of ['max', 'min'] as const) {
      const fast = reduceWindow(op, x, p)
      const slow = reduceWindow(op, x1, viaPasses(p))
      expect(Array.from(fast._data)).toEqual(Array.from(slow._data))
    }
    expect(Array.from(windowArgmax(x, p)._data)).toEqual(Array.from(windowArgmax(x1, viaPasses(p))._data))
  })
})

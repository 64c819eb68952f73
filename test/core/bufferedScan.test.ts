/**
 * Scan bodies on small arrays run as one generated step over buffers (src/core/bufferedScan.ts):
 * against the same cell applied step by step by the eager kernels, bit for bit — float32 and
 * float64, broadcasting, constants, carries that swap, outputs that are inputs, impl-called
 * equations between generated ones, reverse, length 0 — eagerly and under jit, grad (second
 * order too) and vmap, against the same scans run step by step.
 */
import { describe, expect, it } from 'vitest'
import {
  add,
  array,
  grad,
  jit,
  lax,
  matmul,
  mul,
  reshape,
  sin,
  stack,
  sum,
  tanh,
  vmap,
  zeros,
  type DType,
  type NdArray,
} from '../../src'
import { bufferedScanOf, setBufferedScans } from '../../src/core/bufferedScan'
import { traceClosed } from '../../src/core/subprogram'
import { getGemmBackend, setGemmBackend } from '../../src/ndarray/kernels/gemm'
import { getElementwiseBackend, setElementwiseBackend } from '../../src/ndarray/kernels/elementwise'

const data = (seed: number, shape: number[], dtype: DType): NdArray => {
  const n = shape.reduce((a, b) => a * b, 1)
  return reshape(
    array(
      Array.from({ length: n }, (_, i) => 0.4 * Math.sin(seed * 7.3 + i * 1.7)),
      { dtype },
    ),
    shape,
  )
}

type P = { W: NdArray; U: NdArray; b: NdArray }
type Carry = [NdArray, NdArray]
/** Two carries that swap roles, a bias broadcast, a weak constant, a reduction (impl-called) and outputs that are inputs. */
const cell =
  (p: P) =>
  ([h, g]: Carry, x: NdArray): [Carry, [NdArray, NdArray, NdArray, NdArray]] => {
    const h2 = tanh(add(add(matmul(h, p.W), matmul(x, p.U)), p.b))
    const s = sum(mul(h2, 0.5), { axis: 1, keepdims: true })
    return [
      [add(g, mul(h2, s)), h],
      [h2, x, sin(s), g],
    ]
  }
const jsLoop = (p: P, c: Carry, xs: NdArray, reverse = false): NdArray[] => {
  const n = xs.shape[0] as number
  const ys: NdArray[][] = [[], [], [], []]
  for (let s = 0; s < n; s++) {
    const t = reverse ? n - 1 - s : s
    const row = reshape(array(Array.from(xs.toTypedArray()).slice(t * 8, t * 8 + 8), { dtype: xs.dtype }), [1, 8])
    const [c2, y] = cell(p)(c, row)
    c = c2
    y.forEach((v, j) => ((ys[j] as NdArray[])[t] = v))
  }
  return [...c, ...ys.map((y) => (n === 0 ? zeros([0]) : stack(y)))]
}
const scanned = (p: P, c: Carry, xs: NdArray, reverse = false): NdArray[] => {
  const [cT, ys] = lax.scan(cell(p), c, xs, { reverse })
  return [...cT, ...ys]
}
const bits = (xs: ReadonlyArray<NdArray>): number[][] =>
  xs.map((x) => Array.from(x.toTypedArray() as ArrayLike<number>))

describe('scan bodies on small arrays run over buffers', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const p = { W: data(1, [16, 16], dtype), U: data(2, [8, 16], dtype), b: data(3, [16], dtype) }
    const c0: Carry = [data(4, [1, 16], dtype), data(6, [1, 16], dtype)]
    const xs = data(5, [9, 1, 8], dtype)

    it(`${dtype}: the body is planned, and eager and jit equal the step-by-step kernels bit for bit`, () => {
      const body = traceClosed(
        (ins) => cell(p)([ins[0], ins[1]] as Carry, ins[2] as NdArray).flat(),
        [...c0, data(5, [1, 8], dtype)],
      )
      expect(bufferedScanOf(body.tape, body.consts.length, 2)).not.toBeNull()
      for (const reverse of [false, true]) {
        const want = bits(jsLoop(p, c0, xs, reverse))
        expect(bits(scanned(p, c0, xs, reverse))).toEqual(want)
        expect(bits(jit(scanned, { staticArgnums: 3 })(p, c0, xs, reverse))).toEqual(want)
      }
      const empty = data(5, [0, 1, 8], dtype)
      expect(bits(scanned(p, c0, empty).slice(0, 2))).toEqual(bits(c0))
    })

    it(`${dtype}: grad (a reverse scan over saved residuals), its second order and vmap equal the step-by-step runs`, () => {
      const loss = (W: NdArray) =>
        scanned({ ...p, W }, c0, xs).reduce((acc, y) => add(acc, sum(sin(y))), array(0, { dtype }))
      const g = grad(loss) as (W: NdArray) => NdArray
      const h = grad((W: NdArray) => sum(mul(g(W), W))) as (W: NdArray) => NdArray
      const Ws = stack([p.W, mul(p.W, 0.5)])
      const all = (): number[][] => bits([g(p.W), jit(g)(p.W), h(p.W), jit(h)(p.W), vmap(g)(Ws) as NdArray])
      const got = all()
      const prev = setBufferedScans(false)
      try {
        const want = all()
        expect(got).toEqual(want)
        expect(want[0]).toEqual(want[1])
        expect(want[2]).toEqual(want[3])
      } finally {
        setBufferedScans(prev)
      }
    })
  }
})

/**
 * Accumulating carries (a gradient summed per step): `acc + hᵀ·h2` is summed into the add's loop
 * and updated in place, `s + Σ h2` too; `acc` read again after its update, or through a view an
 * impl returned, is not updated in place — each against the step-by-step kernels, bit for bit,
 * with gemm on plain sums or WebAssembly and the reductions on JS loops or WebAssembly.
 */
type Acc = [NdArray, NdArray, NdArray, NdArray]
const accCell =
  (p: P) =>
  ([acc, h, s, late]: Acc, x: NdArray): [Acc, [NdArray, NdArray]] => {
    const view = reshape(late, [256])
    const h2 = tanh(add(matmul(h, p.W), matmul(x, p.U)))
    const acc2 = add(acc, matmul(reshape(h, [16, 1]), h2))
    const s2 = add(s, sum(h2, { axis: 0 }))
    const late2 = add(late, matmul(reshape(h2, [16, 1]), h))
    return [
      [acc2, h2, s2, late2],
      [sum(late, { axis: 1 }), sum(view)],
    ]
  }
const accLoop = (p: P, c: Acc, xs: NdArray, reverse: boolean): NdArray[] => {
  const n = xs.shape[0] as number
  const ys: NdArray[][] = [[], []]
  for (let s = 0; s < n; s++) {
    const t = reverse ? n - 1 - s : s
    const row = reshape(array(Array.from(xs.toTypedArray()).slice(t * 8, t * 8 + 8), { dtype: xs.dtype }), [1, 8])
    const [c2, y] = accCell(p)(c, row)
    c = c2
    y.forEach((v, j) => ((ys[j] as NdArray[])[t] = v))
  }
  return [...c, ...ys.map((y) => stack(y))]
}

describe('accumulating carries are updated in place', () => {
  const backends = [
    ['auto', 'auto'],
    ['ts', 'js'],
    ['wasm', 'wasm'],
  ] as const
  for (const dtype of ['float32', 'float64'] as const)
    for (const [gemmB, ewB] of backends)
      it(`${dtype}, gemm ${gemmB}, reductions ${ewB}: eager and jit equal the step-by-step kernels`, () => {
        const p = { W: data(1, [16, 16], dtype), U: data(2, [8, 16], dtype), b: data(3, [16], dtype) }
        const c0: Acc = [
          data(4, [16, 16], dtype),
          data(6, [1, 16], dtype),
          data(7, [16], dtype),
          data(8, [16, 16], dtype),
        ]
        const xs = data(5, [7, 1, 8], dtype)
        const run = (p: P, c: Acc, xs: NdArray, reverse: boolean): NdArray[] => {
          const [cT, ys] = lax.scan(accCell(p), c, xs, { reverse })
          return [...cT, ...ys]
        }
        const prev = [getGemmBackend(), getElementwiseBackend()] as const
        setGemmBackend(gemmB)
        setElementwiseBackend(ewB)
        try {
          for (const reverse of [false, true]) {
            const want = bits(accLoop(p, c0, xs, reverse))
            expect(bits(run(p, c0, xs, reverse))).toEqual(want)
            expect(bits(jit(run, { staticArgnums: 3 })(p, c0, xs, reverse))).toEqual(want)
          }
        } finally {
          setGemmBackend(prev[0])
          setElementwiseBackend(prev[1])
        }
      })

  it('grad with respect to every input (weights, initial carry, scanned rows) equals the step-by-step scan', () => {
    const p = { W: data(1, [16, 16], 'float32'), U: data(2, [8, 16], 'float32'), b: data(3, [16], 'float32') }
    const c0: Carry = [data(4, [1, 16], 'float32'), data(6, [1, 16], 'float32')]
    const xs = data(5, [9, 1, 8], 'float32')
    const loss = (p: P, c: Carry, xs: NdArray) => scanned(p, c, xs).reduce((acc, y) => add(acc, sum(sin(y))), array(0))
    const g = grad(loss, { argnums: [0, 1, 2] }) as (p: P, c: Carry, xs: NdArray) => [P, Carry, NdArray]
    const flat = (r: [P, Carry, NdArray]): number[][] => bits([r[0].W, r[0].U, r[0].b, ...r[1], r[2]])
    const got = [flat(g(p, c0, xs)), flat(jit(g)(p, c0, xs))]
    const prev = setBufferedScans(false)
    try {
      expect(got).toEqual([flat(g(p, c0, xs)), flat(jit(g)(p, c0, xs))])
    } finally {
      setBufferedScans(prev)
    }
  })
})

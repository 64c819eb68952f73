/**
 * The fused loops' unrolled iterations (src/ndarray/kernels/wasm/fusedLoop.ts): a chain runs as
 * up to four independent copies per loop iteration, so every length — ragged ends, chunk
 * boundaries of the staged driver — and every special value (NaN, ±∞, ±0, subnormals) must give
 * the bits of the scalar float32 operations, element by element.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { exp32, log32, tanh32 } from '../../src/ndarray/kernels/math32'
import {
  fusedKernel,
  setFusedChunk,
  unrollOf,
  type FusedOp,
  type FusedSpec,
} from '../../src/ndarray/kernels/wasm/fusedLoop'

const f = Math.fround

/** Each fused operation on float32 numbers, one rounding per operation (as the kernels). */
const SCALAR: Record<FusedOp, (a: number, b: number) => number> = {
  add: (a, b) => f(a + b),
  sub: (a, b) => f(a - b),
  mul: (a, b) => f(a * b),
  div: (a, b) => f(a / b),
  max: (a, b) => (a > b || a !== a ? a : b),
  min: (a, b) => (a < b || a !== a ? a : b),
  tanhBackward: (a, b) => f(b * f(1 - f(a * a))),
  neg: (a) => -a,
  abs: (a) => Math.abs(a),
  sqrt: (a) => f(Math.sqrt(a)),
  square: (a) => f(a * a),
  copy: (a) => a,
  tanh: (a) => f(tanh32(a)),
  exp: (a) => f(exp32(a)),
  log: (a) => f(log32(a)),
}

/** The chain's outputs computed element by element with SCALAR. */
const reference = (spec: FusedSpec, arrays: Float32Array[], scalars: number[]): Float32Array[] => {
  const n = (arrays[0] as Float32Array).length
  const outs = spec.outputs.map(() => new Float32Array(n))
  for (let i = 0; i < n; i++) {
    const v: number[] = [...arrays.map((a) => a[i] as number), ...scalars.map(f)]
    for (const st of spec.steps) v.push(SCALAR[st.op](v[st.args[0] as number] as number, v[st.args[1] ?? 0] as number))
    spec.outputs.forEach((o, j) => ((outs[j] as Float32Array)[i] = v[o] as number))
  }
  return outs
}

const SPECIAL = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  2 ** -149,
  -(2 ** -149),
  1e-40,
  -3e-39,
  2 ** -126,
  1e-30,
  0.75,
  -0.75,
  0.7499999,
  9.01,
  -10,
  20,
  88.7,
  89,
  -104,
  1e30,
  -3.4e38,
  1,
  -1,
  0.5,
]

/** n float32 values: the special values first, then a spread over ±12. */
const values = (n: number, seed: number): Float32Array => {
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++)
    out[i] = i < SPECIAL.length ? (SPECIAL[(i + seed) % SPECIAL.length] as number) : Math.sin(i * 12.9898 + seed) * 12
  return out
}

const sameBits = (a: Float32Array, b: Float32Array): number => {
  let bad = 0
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(a[i] !== a[i] && b[i] !== b[i])) bad++
  return bad
}

const TANH_GRAD: FusedSpec = {
  arrays: 1,
  scalars: 1,
  steps: [
    { op: 'tanh', args: [0] },
    { op: 'mul', args: [1, 0] },
    { op: 'mul', args: [2, 1] },
    { op: 'tanhBackward', args: [2, 3] },
    { op: 'add', args: [4, 5] },
  ],
  outputs: [6, 2],
}
const TWO_MATH: FusedSpec = {
  arrays: 2,
  scalars: 0,
  steps: [
    { op: 'tanh', args: [0] },
    { op: 'exp', args: [1] },
    { op: 'div', args: [2, 3] },
  ],
  outputs: [4],
}
const ARITH: FusedSpec = {
  arrays: 2,
  scalars: 1,
  steps: [
    { op: 'add', args: [0, 1] },
    { op: 'sub', args: [3, 2] },
    { op: 'mul', args: [4, 0] },
    { op: 'max', args: [5, 1] },
    { op: 'min', args: [6, 2] },
    { op: 'abs', args: [7] },
    { op: 'sqrt', args: [8] },
    { op: 'square', args: [9] },
    { op: 'neg', args: [10] },
    { op: 'copy', args: [11] },
    { op: 'div', args: [12, 0] },
    { op: 'log', args: [13] },
  ],
  outputs: [14, 7],
}
const LONG: FusedSpec = {
  arrays: 1,
  scalars: 0,
  steps: Array.from({ length: 40 }, (_, s) => ({ op: 'add' as const, args: [s, 0] })),
  outputs: [40],
}

afterEach(() => {
  setFusedChunk(16384)
})

describe('fused loops, unrolled', () => {
  it('copies per iteration: four tanh-sized steps and 32 steps at most', () => {
    expect([TANH_GRAD, TWO_MATH, ARITH, LONG].map(unrollOf)).toEqual([4, 2, 2, 1])
    expect(unrollOf({ arrays: 1, scalars: 0, steps: [{ op: 'tanh', args: [0] }], outputs: [1] })).toBe(4)
    const five = Array.from({ length: 5 }, () => ({ op: 'exp' as const, args: [0] }))
    expect(unrollOf({ arrays: 1, scalars: 0, steps: five, outputs: [5] })).toBe(1)
  })

  for (const [name, spec] of [
    ['tanh and its gradient', TANH_GRAD],
    ['tanh and exp', TWO_MATH],
    ['arithmetic and log with a scalar', ARITH],
    ['a 40-step chain', LONG],
  ] as const) {
    it(`${name}: every length and chunk boundary gives the scalar bits, special values included`, () => {
      const kernel = fusedKernel(spec)
      expect(kernel).not.toBeNull()
      // small chunks put chunk boundaries and ragged chunk ends inside the arrays
      for (const chunk of [16384, 48]) {
        setFusedChunk(chunk)
        for (const n of [1, 3, 4, 5, 15, 16, 17, 31, 33, 63, 64, 65, 100, 1001]) {
          const arrays = Array.from({ length: spec.arrays }, (_, j) => values(n, 7 * j + n))
          const scalars = [0.625, -1.5].slice(0, spec.scalars)
          const outs = spec.outputs.map(() => new Float32Array(n).fill(12345))
          kernel?.(arrays, scalars, outs)
          const want = reference(spec, arrays, scalars)
          outs.forEach((o, j) => expect(sameBits(o, want[j] as Float32Array), `n=${n} chunk=${chunk}`).toBe(0))
        }
      }
    })
  }

  it('a large chain (the threaded driver where helpers are ready) gives the scalar bits', () => {
    const kernel = fusedKernel(TANH_GRAD)
    const n = (1 << 17) + 13
    const x = values(n, 3)
    const outs = [new Float32Array(n), new Float32Array(n)]
    kernel?.([x], [1], outs)
    const want = reference(TANH_GRAD, [x], [1])
    outs.forEach((o, j) => expect(sameBits(o, want[j] as Float32Array)).toBe(0))
  })
})

/**
 * float32 add/sub with alpha, addcmul, addcdiv and lerp past the old 8192-element cap, against
 * real PyTorch 1.13 (test/fixtures/torch/fma_bits): each result's SHA-256 on random and near-tie
 * operands of 8195 and 100003 elements, through the WebAssembly kernels and through the
 * TypeScript loops (kernels off); and the double-rounded float64 evaluation differs from
 * PyTorch in as many elements as the fixture counted (so a missing fused rounding fails here).
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { NdArray } from '../../src/ndarray/NdArray'
import * as torch from '../../src/torch'
import { useFma32Wasm } from '../../src/torch/methods/pointwiseFused'

interface Case {
  readonly n: number
  readonly set: 'random' | 'tie'
  readonly op: string
  readonly scalar: number
  readonly sha256: string
  readonly doubleRounded: number
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/torch/fma_bits/fma_bits.json', import.meta.url), 'utf8')) as {
  readonly cases: ReadonlyArray<Case>
}

/** murmur3's 32-bit finaliser of `i·0x9E3779B1 + seed·0x85EBCA77` (the fixture script's `fmix`). */
const fmix = (i: number, seed: number): number => {
  let h = (Math.imul(i, 0x9e3779b1) + Math.imul(seed, 0x85ebca77)) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}
const sign = (h: number, bit: number): number => ((h >>> bit) & 1 ? -1 : 1)
const build = (n: number, f: (i: number) => number): Float32Array => Float32Array.from({ length: n }, (_, i) => f(i))
const spread = (n: number, seed: number): Float32Array =>
  build(n, (i) => {
    const [h1, h2] = [fmix(i, seed), fmix(i, seed + 1)]
    return sign(h2, 31) * ((h1 & 0x7fffff) | 0x800000) * 2 ** ((h2 % 25) - 12 - 23)
  })
const unit = (n: number, seed: number): Float32Array => build(n, (i) => (fmix(i, seed) >>> 8) * 2 ** -24)
const ties = (n: number, seed: number): Float32Array[] => {
  const k = (i: number): number => 15 + (fmix(i, seed) % 8)
  const e = (i: number): number => ((fmix(i, seed) >>> 3) % 13) - 6
  return [
    build(n, (i) => {
      const h2 = fmix(i, seed + 1)
      return sign(h2, 31) * ((h2 & 0x7fffff) | 0x800000) * 2 ** (e(i) + 1)
    }),
    build(n, (i) => sign(fmix(i, seed), 31) * (1 + 2 ** -k(i))),
    build(n, (i) => sign(fmix(i, seed), 30) * (1 - 2 ** -k(i)) * 2 ** e(i)),
  ]
}
const operands = (n: number): Record<Case['set'], Float32Array[]> => ({
  random: [spread(n, 1), spread(n, 3), spread(n, 5).map(Math.abs), unit(n, 7)],
  tie: [...ties(n, 11), unit(n, 13)],
})

type T = torch.Tensor
const OPS: Record<string, (x: T, a: T, b: T, w: T, s: number) => T> = {
  add: (x, _a, b, _w, s) => torch.add(x, b, { alpha: s }),
  sub: (x, _a, b, _w, s) => torch.sub(x, b, { alpha: s }),
  addcmul: (x, a, b, _w, s) => torch.addcmul(x, a, b, { value: s }),
  addcdiv: (x, a, b, _w, s) => torch.addcdiv(x, a, b, { value: s }),
  lerp_scalar: (x, a, _b, _w, s) => torch.lerp(x, a, s),
  lerp_tensor: (x, a, _b, w) => torch.lerp(x, a, w),
}
const fr = Math.fround
/** The float64 evaluation rounded to float32 once at the end (twice where float64 rounded first). */
const lerpDouble = (x: number, e: number, w: number): number =>
  Math.abs(w) < 0.5 ? x + w * fr(e - x) : e + fr(w - 1) * fr(e - x)
const DOUBLE: Record<string, (x: number, a: number, b: number, w: number, s: number) => number> = {
  add: (x, _a, b, _w, s) => x + fr(s) * b,
  sub: (x, _a, b, _w, s) => x - fr(s) * b,
  addcmul: (x, a, b, _w, s) => x + fr(fr(s) * a) * b,
  addcdiv: (x, a, b, _w, s) => x + fr(fr(fr(s) * a) / b),
  lerp_scalar: (x, a, _b, _w, s) => lerpDouble(x, a, fr(s)),
  lerp_tensor: (x, a, _b, w) => lerpDouble(x, a, w),
}

const sha = (v: Float32Array): string => createHash('sha256').update(new Uint8Array(v.buffer)).digest('hex')
const values = (t: T): Float32Array => t.numpy()._data as Float32Array
const tensorOf = (d: Float32Array): T => torch.from_numpy(new NdArray([d.length], 'float32', d.slice()))

describe('float32 fused pointwise ops on large operands in PyTorch rounding', () => {
  const cache = new Map<number, Record<Case['set'], Float32Array[]>>()
  const sets = (n: number) => cache.get(n) ?? (cache.set(n, operands(n)).get(n) as Record<Case['set'], Float32Array[]>)
  afterAll(() => useFma32Wasm(true))
  for (const wasm of [true, false]) {
    for (const c of fx.cases) {
      it(`${c.op}(${c.set} ×${c.n}, ${c.scalar}) ${wasm ? 'WebAssembly' : 'TypeScript loops'}`, () => {
        useFma32Wasm(wasm)
        const data = sets(c.n)[c.set]
        const [x, a, b, w] = data.map(tensorOf) as [T, T, T, T]
        const got = values((OPS[c.op] as (typeof OPS)['add'])(x, a, b, w, c.scalar))
        expect(sha(got)).toBe(c.sha256)
        const [xd, ad, bd, wd] = data as [Float32Array, Float32Array, Float32Array, Float32Array]
        const dbl = DOUBLE[c.op] as (typeof DOUBLE)['add']
        let differ = 0
        for (let i = 0; i < c.n; i++)
          if (!Object.is(fr(dbl(xd[i]!, ad[i]!, bd[i]!, wd[i]!, c.scalar)), got[i])) differ++
        expect(differ).toBe(c.doubleRounded)
      })
    }
  }
})

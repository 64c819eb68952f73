/**
 * group norm against real PyTorch 1.13 (test/fixtures/torch/groupnorm_bits): the kernels of
 * src/torch/nn/groupNormKernel.ts with 1.13's float eps give its output, mean and rstd bit for bit
 * (float32; float64 within rounding, zeros with their signs) and its gradients within an ulp; the
 * facade (2.x's double eps, D77) agrees within float32 rounding, and keeps PyTorch's zeros.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import { NdArray } from '../../../src/ndarray/NdArray'
import { type GnLayout, groupNormGrads, groupNormValue, groupStats } from '../../../src/torch/nn/groupNormKernel'
import { floatsFromBase64 } from '../../helpers/base64Floats'

interface Case {
  readonly dtype: 'float32' | 'float64'
  readonly shape: number[]
  readonly groups: number
  readonly kind: string
  readonly eps: number
  readonly x: string
  readonly w: string | null
  readonly b: string | null
  readonly gy: string
  readonly out: string
  readonly mean: string
  readonly rstd: string
  readonly grad_input: string | null
  readonly grad_weight: string | null
  readonly grad_bias: string | null
}
const fx = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/groupnorm_bits/groupnorm_bits.json', import.meta.url), 'utf8'),
) as { readonly cases: ReadonlyArray<Case> }
const dec = (b64: string, dt: Case['dtype']): Float32Array | Float64Array => floatsFromBase64(b64, dt)
const arr = (b64: string | null, shape: number[], dt: Case['dtype']): NdArray | null =>
  b64 === null ? null : new NdArray(shape, dt, dec(b64, dt))
const layoutOf = (c: Case): GnLayout => ({
  n: c.shape[0] as number,
  c: c.shape[1] as number,
  image: c.shape.slice(2).reduce((p, d) => p * d, 1),
  groups: c.groups,
})
/** Distance in units in the last place of float32 (through the ordered bit patterns). */
const ulps = (a: number, b: number): number => {
  const o = (v: number): number => {
    const u = new Int32Array(Float32Array.of(v).buffer)[0] as number
    return u < 0 ? -2147483648 - u : u
  }
  return Math.abs(o(a) - o(b))
}
/**
 * Elements of `got` that are not `want`: float32 bit for bit (or, with `rtol`, within it of the
 * tensor's scale), float64 within rounding; zeros' signs exact.
 */
const wrong = (got: ArrayLike<number>, want: ArrayLike<number>, dt: string, rtol = 0): number => {
  const scale = Math.max(1, ...Array.from(want, Math.abs))
  let n = 0
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i] as number, want[i] as number]
    if (w === 0 || g === 0) n += Object.is(g, w) ? 0 : 1
    else if (dt === 'float32') n += ulps(g, w) === 0 || Math.abs(g - w) <= rtol * scale ? 0 : 1
    else n += Math.abs(g - w) <= 1e-12 * scale ? 0 : 1
  }
  return n
}

describe('group norm kernels against PyTorch 1.13', () => {
  it('output, mean and rstd: float32 bit for bit, float64 within rounding', () => {
    const bad: string[] = []
    for (const c of fx.cases) {
      const l = layoutOf(c)
      const x = arr(c.x, c.shape, c.dtype) as NdArray
      const [mean, rstd] = groupStats(x, l, c.eps, true)
      const out = groupNormValue(x, l, c.eps, arr(c.w, [l.c], c.dtype), arr(c.b, [l.c], c.dtype), true)
      const m = [
        wrong(mean, dec(c.mean, c.dtype), c.dtype),
        wrong(rstd, dec(c.rstd, c.dtype), c.dtype),
        wrong(out._data as Float32Array, dec(c.out, c.dtype), c.dtype),
      ]
      if (m.some((k) => k > 0)) bad.push(`${c.dtype} [${c.shape.join(',')}]/${c.groups} ${c.kind}: ${m.join(' ')}`)
    }
    expect(bad).toEqual([])
  })

  it('gradients: bias bit for bit, input and weight within float32 rounding, nearly all bit for bit', () => {
    const bad: string[] = []
    let exact = 0
    for (const c of fx.cases) {
      if (c.grad_input === null) continue
      const l = layoutOf(c)
      const w = arr(c.w, [l.c], c.dtype)
      const g = arr(c.gy, c.shape, c.dtype) as NdArray
      const r = groupNormGrads(g, arr(c.x, c.shape, c.dtype) as NdArray, l, c.eps, w, true)
      const fields: Array<[string, NdArray, string | null]> = [
        ['input', r.input, c.grad_input],
        ['weight', r.weight, c.grad_weight],
        ['bias', r.bias, c.grad_bias],
      ]
      for (const [k, got, want] of fields) {
        if (want === null) continue
        const v = got._data as Float32Array
        const d = dec(want, c.dtype)
        if (wrong(v, d, c.dtype, k === 'bias' ? 0 : 1e-5) > 0)
          bad.push(`${c.dtype} [${c.shape.join(',')}] ${c.kind} ${k}`)
        if (c.dtype === 'float32' && wrong(v, d, c.dtype) === 0) exact++
      }
    }
    expect(bad).toEqual([])
    // all but three of the 180 float32 gradient tensors are bit for bit (the others: an ulp here and
    // there in the per-group sums of [1, 8, 20] / [2, 16, 3])
    expect(exact).toBeGreaterThanOrEqual(177)
  })

  it('the facade: F.group_norm and its gradients within float32 rounding, zeros with their signs', () => {
    const bad: string[] = []
    for (const c of fx.cases.filter((k) => k.dtype === 'float32' && k.grad_input !== null)) {
      const ch = [c.shape[1] as number]
      const T = (b64: string | null, shape: number[]): torch.Tensor | null =>
        b64 === null
          ? null
          : torch
              .tensor(Array.from(dec(b64, 'float32')))
              .reshape(shape)
              .requires_grad_(true)
      const [x, w, b] = [T(c.x, c.shape) as torch.Tensor, T(c.w, ch), T(c.b, ch)]
      const y = torch.nn.functional.group_norm(x, c.groups, { weight: w, bias: b, eps: c.eps })
      y.backward(torch.tensor(Array.from(dec(c.gy, 'float32'))).reshape(c.shape))
      const near = (t: torch.Tensor, want: string, rtol: number): boolean => {
        const e = Array.from(dec(want, 'float32'))
        const got = t.reshape(-1).tolist() as number[]
        const scale = Math.max(1, ...e.map(Math.abs))
        return e.every((v, i) => Math.abs((got[i] as number) - v) <= rtol * scale)
      }
      // one-element groups are all rounding residue around beta: there 1.13's rstd differs (D77)
      const single = (c.shape[1] as number) / c.groups === 1 && c.shape.length === 2 + (c.shape[2] === 1 ? 1 : 0)
      if (!single && !near(y.detach(), c.out, 1e-4)) bad.push(`out [${c.shape.join(',')}] ${c.kind}`)
      if (!near(x.grad as torch.Tensor, c.grad_input as string, 1e-3)) bad.push(`grad [${c.shape.join(',')}] ${c.kind}`)
    }
    expect(bad).toEqual([])
  })

  it('a zero-variance group: 2.x rstd (double eps, rounded once), not 1.13 float one', () => {
    const x = new NdArray([1, 2, 2], 'float32', Float32Array.of(1.5, 1.5, 1.5, 1.5))
    const l = { n: 1, c: 2, image: 2, groups: 1 }
    expect(groupStats(x, l, 1e-5)[1][0]).toBe(Math.fround(1 / Math.sqrt(1e-5)))
    expect(groupStats(x, l, 1e-5, true)[1][0]).toBe(Math.fround(1 / Math.fround(Math.sqrt(Math.fround(1e-5)))))
    expect(Math.fround(1 / Math.sqrt(1e-5))).not.toBe(Math.fround(1 / Math.fround(Math.sqrt(Math.fround(1e-5)))))
  })
})

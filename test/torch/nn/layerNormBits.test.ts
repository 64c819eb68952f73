/**
 * layer norm against real PyTorch 1.13 (test/fixtures/torch/layernorm_bits): the kernel of
 * src/torch/nn/layerNormKernel.ts in 1.13's form gives its output, mean and rstd bit for bit
 * (float32 and float64, zeros with their signs), constant rows included (1.13 leaves a tiny
 * non-zero value there). F.layer_norm computes 2.x's `(x − mean)·rstd` form (D88): within float
 * rounding of 1.13 elsewhere, exactly the bias (or 0) on constant rows.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'
import { NdArray } from '../../../src/ndarray/NdArray'
import { layerNormValue, layerStats } from '../../../src/torch/nn/layerNormKernel'
import { floatsFromBase64 } from '../../helpers/base64Floats'

interface Case {
  readonly dtype: 'float32' | 'float64'
  readonly shape: number[]
  readonly normalized_shape: number[]
  readonly kind: string
  readonly eps: number
  readonly x: string
  readonly w: string | null
  readonly b: string | null
  readonly out: string
  readonly mean: string
  readonly rstd: string
}
const fx = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/layernorm_bits/layernorm_bits.json', import.meta.url), 'utf8'),
) as { readonly cases: ReadonlyArray<Case> }
const dec = (b64: string, dt: Case['dtype']): Float32Array | Float64Array => floatsFromBase64(b64, dt)
const arr = (b64: string | null, shape: number[], dt: Case['dtype']): NdArray | null =>
  b64 === null ? null : new NdArray(shape, dt, dec(b64, dt))
const countOf = (c: Case): number => c.normalized_shape.reduce((p, d) => p * d, 1)
/** Elements of `got` that are not `want` bit for bit (Object.is: zeros' signs count). */
const wrong = (got: ArrayLike<number>, want: ArrayLike<number>): number => {
  let n = got.length === want.length ? 0 : 1
  for (let i = 0; i < want.length; i++) n += Object.is(got[i], want[i]) ? 0 : 1
  return n
}
const label = (c: Case): string => `${c.dtype} [${c.shape.join(',')}] ${c.kind} w=${c.w !== null} b=${c.b !== null}`

describe('layer norm kernel against PyTorch 1.13', () => {
  it('output, mean and rstd bit for bit', () => {
    const bad: string[] = []
    for (const c of fx.cases) {
      const x = arr(c.x, c.shape, c.dtype) as NdArray
      const ns = c.normalized_shape
      const [mean, rstd] = layerStats(x, countOf(c), c.eps)
      const out = layerNormValue(x, countOf(c), c.eps, arr(c.w, ns, c.dtype), arr(c.b, ns, c.dtype), true)
      const m = [wrong(mean, dec(c.mean, c.dtype)), wrong(rstd, dec(c.rstd, c.dtype))]
      m.push(wrong(out._data as Float32Array, dec(c.out, c.dtype)))
      if (m.some((k) => k > 0)) bad.push(`${label(c)}: ${m.join(' ')}`)
    }
    expect(bad).toEqual([])
  })

  it("F.layer_norm: the kernel's 2.x form bit for bit, 1.13 within rounding, constant rows exactly the bias", () => {
    const bad: string[] = []
    let residue = 0
    for (const c of fx.cases) {
      const dt = c.dtype === 'float32' ? torch.float32 : torch.float64
      const T = (b64: string | null, shape: number[]): torch.Tensor | null =>
        b64 === null ? null : torch.tensor(Array.from(dec(b64, c.dtype)), { dtype: dt }).reshape(shape)
      const ns = c.normalized_shape
      const y = torch.nn.functional.layer_norm(T(c.x, c.shape) as torch.Tensor, ns, {
        weight: T(c.w, ns),
        bias: T(c.b, ns),
        eps: c.eps,
      })
      const got = y.reshape(-1).tolist() as number[]
      const x = arr(c.x, c.shape, c.dtype) as NdArray
      const own = layerNormValue(x, countOf(c), c.eps, arr(c.w, ns, c.dtype), arr(c.b, ns, c.dtype))
      if (wrong(got, own._data as Float32Array) > 0) bad.push(`kernel ${label(c)}`)
      const want = dec(c.out, c.dtype)
      const xs = dec(c.x, c.dtype)
      const b = c.b === null ? null : dec(c.b, c.dtype)
      const n = countOf(c)
      const scale = Math.max(1, ...Array.from(want, Math.abs))
      const tol = (c.dtype === 'float32' ? 1e-5 : 1e-13) * scale
      for (let r = 0; r < xs.length / n; r++) {
        const row = Array.from({ length: n }, (_, j) => r * n + j)
        if (row.every((i) => xs[i] === xs[r * n])) {
          // a constant row: 2.x gives exactly the bias (or +0); 1.13 a residue unless it cancels
          if (row.some((i) => !Object.is(got[i], b === null ? 0 : b[i % n]))) bad.push(`constant ${label(c)}`)
          if (c.w === null && c.b === null && row.some((i) => want[i] !== 0)) residue++
        } else if (row.some((i) => Math.abs((got[i] as number) - (want[i] as number)) > tol))
          bad.push(`1.13 ${label(c)}`)
      }
    }
    expect(bad).toEqual([])
    // 1.13's form leaves a residue on constant rows where 2.x's gives 0
    expect(residue).toBeGreaterThan(0)
  })

  it('gradients still flow (composition): d/dx of sum(layer_norm(x)·g) matches float64 finite differences', () => {
    const x0 = [0.3, -1.2, 2.5, 0.7, 1.1]
    const g = [0.5, -1, 2, 0.25, -0.75]
    const f = (v: number[]): number => {
      const y = torch.nn.functional.layer_norm(torch.tensor(v, { dtype: torch.float64 }), [5])
      return y
        .mul(torch.tensor(g, { dtype: torch.float64 }))
        .sum()
        .item() as number
    }
    const x = torch.tensor(x0, { dtype: torch.float64 }).requires_grad_(true)
    torch.nn.functional
      .layer_norm(x, [5])
      .mul(torch.tensor(g, { dtype: torch.float64 }))
      .sum()
      .backward()
    const got = (x.grad as torch.Tensor).tolist() as number[]
    x0.forEach((_, i) => {
      const h = 1e-6
      const up = x0.map((v, j) => (j === i ? v + h : v))
      const dn = x0.map((v, j) => (j === i ? v - h : v))
      expect(got[i]).toBeCloseTo((f(up) - f(dn)) / (2 * h), 6)
    })
  })
})

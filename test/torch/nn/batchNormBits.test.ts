/**
 * float32 batch norm against real PyTorch 1.13 (test/fixtures/torch/batchnorm_bits): output,
 * running statistics and the gradients of input, weight and bias bit for bit, training and
 * evaluation, for `[N, C]` inputs (PyTorch's channels-last kernels) and larger images (its
 * contiguous kernels), random, coarse-grid and constant-channel values.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'

interface Result {
  readonly out: string
  readonly running_mean: string
  readonly running_var: string
  readonly grad_input: string
  readonly grad_weight: string
  readonly grad_bias: string
}
interface Case {
  readonly shape: number[]
  readonly kind: string
  readonly momentum: number
  readonly eps: number
  readonly x: string
  readonly w: string
  readonly b: string
  readonly rm: string
  readonly rv: string
  readonly gy: string
  readonly train: Result
  readonly eval: Result
}
const fx = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/batchnorm_bits/batchnorm_bits.json', import.meta.url), 'utf8'),
) as { readonly cases: ReadonlyArray<Case> }
const f32 = (b64: string): Float32Array => {
  const bytes = Buffer.from(b64, 'base64')
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length))
}
const bitsOf = (v: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(v).buffer))
const flat = (t: torch.Tensor): number[] => t.reshape(-1).tolist() as number[]
const mismatches = (t: torch.Tensor, expected: string): number => {
  const want = bitsOf(f32(expected))
  return bitsOf(flat(t)).filter((v, i) => v !== want[i]).length
}
const tensorOf = (b64: string, shape: number[], grad = false): torch.Tensor =>
  torch
    .tensor(Array.from(f32(b64)))
    .reshape(shape)
    .requires_grad_(grad)

const run = (c: Case, training: boolean): Record<keyof Result, number> => {
  const ch = [c.shape[1] as number]
  const x = tensorOf(c.x, c.shape, true)
  const w = tensorOf(c.w, ch, true)
  const b = tensorOf(c.b, ch, true)
  const rm = tensorOf(c.rm, ch)
  const rv = tensorOf(c.rv, ch)
  const y = torch.nn.functional.batch_norm(x, rm, rv, {
    weight: w,
    bias: b,
    training,
    momentum: c.momentum,
    eps: c.eps,
  })
  y.backward(tensorOf(c.gy, c.shape))
  const r = training ? c.train : c.eval
  return {
    out: mismatches(y.detach(), r.out),
    running_mean: mismatches(rm, r.running_mean),
    running_var: mismatches(rv, r.running_var),
    grad_input: mismatches(x.grad as torch.Tensor, r.grad_input),
    grad_weight: mismatches(w.grad as torch.Tensor, r.grad_weight),
    grad_bias: mismatches(b.grad as torch.Tensor, r.grad_bias),
  }
}

describe('batch norm float32 bit for bit against PyTorch 1.13', () => {
  for (const training of [true, false])
    it(`${training ? 'training' : 'evaluation'}: output, running statistics, gradients`, () => {
      const bad: string[] = []
      for (const c of fx.cases) {
        const m = run(c, training)
        for (const [k, n] of Object.entries(m)) if (n > 0) bad.push(`[${c.shape.join(',')}] ${c.kind} ${k}: ${n}`)
      }
      expect(bad).toEqual([])
    })

  it('a non-contiguous input takes the composition: values within float32 rounding', () => {
    const c = fx.cases.find((k) => k.shape.length === 2 && k.kind === 'spread') as Case
    const x = tensorOf(c.x, c.shape)
    const xt = x.t().contiguous().t()
    expect(xt.is_contiguous()).toBe(false)
    const ch = [c.shape[1] as number]
    const args = { weight: tensorOf(c.w, ch), bias: tensorOf(c.b, ch), training: true }
    const a = torch.nn.functional.batch_norm(x, null, null, args)
    const bb = torch.nn.functional.batch_norm(xt, null, null, args)
    expect(a.allclose(bb, { rtol: 1e-5, atol: 1e-5 })).toBe(true)
  })
})

/**
 * float32 optimizer trajectories bit for bit against PyTorch's single-tensor updates
 * (test/fixtures/torch/optim_bits, PyTorch 1.13: torch.optim itself where its update equals 2.x's,
 * else 2.x's sequence computed with 1.13's kernels — see the script): one parameter of 1027
 * elements, 8 steps with fixed gradients, the parameter after every step.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const FIX = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/optim_bits/optim_bits.json', import.meta.url), 'utf8'),
) as { p0: string; grads: string[]; cases: Record<string, string[]> }
const f32 = (b64: string): number[] => {
  const bytes = Buffer.from(b64, 'base64')
  return Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)))
}
const bitsOf = (v: ReadonlyArray<number>): number[] => Array.from(new Uint32Array(Float32Array.from(v).buffer))

const ADAM = { lr: 0.01, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weight_decay: 0 }
const MAKE: Record<string, (p: torch.nn.Parameter) => torch.optim.Optimizer> = {
  'SGD momentum': (p) => new torch.optim.SGD([p], { lr: 0.1, momentum: 0.9, weight_decay: 0.01 }),
  'SGD nesterov': (p) => new torch.optim.SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true, dampening: 0 }),
  'SGD dampening': (p) => new torch.optim.SGD([p], { lr: 0.03, momentum: 0.5, dampening: 0.3 }),
  Adagrad: (p) =>
    new torch.optim.Adagrad([p], { lr: 0.1, lr_decay: 0.01, weight_decay: 0.02, initial_accumulator_value: 0.1 }),
  RMSprop: (p) => new torch.optim.RMSprop([p], { lr: 0.01, alpha: 0.9, weight_decay: 0.01 }),
  'RMSprop momentum': (p) => new torch.optim.RMSprop([p], { lr: 0.01, momentum: 0.8 }),
  'Adam seq2x': (p) => new torch.optim.Adam([p], ADAM),
  'Adam wd amsgrad seq2x': (p) => new torch.optim.Adam([p], { ...ADAM, weight_decay: 0.01, amsgrad: true }),
  'AdamW seq2x': (p) => new torch.optim.AdamW([p], { ...ADAM, weight_decay: 0.01 }),
  'Adamax seq2x': (p) => new torch.optim.Adamax([p], { lr: 0.002, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01 }),
  'RMSprop centered seq2x': (p) =>
    new torch.optim.RMSprop([p], { lr: 0.01, alpha: 0.99, eps: 1e-8, momentum: 0.5, centered: true }),
  'NAdam seq2x': (p) =>
    new torch.optim.NAdam([p], {
      lr: 0.002,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weight_decay: 0.01,
      momentum_decay: 0.004,
    }),
  'RAdam seq2x': (p) => new torch.optim.RAdam([p], { lr: 0.001, betas: [0.9, 0.9], eps: 1e-8 }),
}

describe('float32 optimizer steps give PyTorch’s bits', () => {
  for (const [name, steps] of Object.entries(FIX.cases)) {
    it(name, () => {
      const make = MAKE[name]
      expect(make).toBeDefined()
      const p = new torch.nn.Parameter(torch.tensor(f32(FIX.p0)))
      const opt = (make as NonNullable<typeof make>)(p)
      const mismatches = steps.map((want, k) => {
        p.grad = torch.tensor(f32(FIX.grads[k] as string))
        opt.step()
        const w = bitsOf(f32(want))
        return bitsOf(p.detach().tolist() as number[]).filter((v, i) => v !== w[i]).length
      })
      expect(mismatches).toEqual(steps.map(() => 0))
    })
  }
})

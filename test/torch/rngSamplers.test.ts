import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import fixture from './fixtures/rng_samplers.json'

// Reference: test/torch/fixtures/rng_samplers.py run on PyTorch 1.13 (CPU, AVX2 kernels). Exact:
// float32 normals in blocks of 16 go through the emulated AVX2 log/sin/cos (avxMath32.ts). Float64
// normals call the C library's log/sin/cos, which can differ from JavaScript's by an ulp (TOL64).
const cases = fixture as unknown as Record<string, ReadonlyArray<unknown>>
const flat = (t: torch.Tensor): number[] => t.detach().reshape(-1).tolist() as number[]
const exact = (got: ReadonlyArray<number>, want: unknown): void => expect(got).toEqual(want)
const TOL64 = 4 * 2 ** -52
const close64 = (got: ReadonlyArray<number>, want: unknown): void => {
  const w = want as number[]
  expect(got.length).toBe(w.length)
  got.forEach((g, i) => expect(Math.abs(g - (w[i] as number))).toBeLessThanOrEqual(TOL64 * Math.max(1, Math.abs(g))))
}

describe("float32 normals in blocks of 16 are PyTorch's AVX2 kernel's", () => {
  it('randn of 16+ values, tails, 2-D shapes, normal_(mean, std)', () => {
    const c = cases['randn blocks']!
    ;[16, 31, 32, 47, 100, 257, 1000].forEach((n, s) => {
      torch.manual_seed(s)
      exact(flat(torch.randn(n)), c[s])
    })
    torch.manual_seed(7)
    exact(flat(torch.randn(3, 17)), c[7])
    exact(flat(torch.randn(2, 3, 11)), c[8])
    exact(flat(torch.empty(50).normal_(0.3, 2.5)), c[9])
    exact(flat(torch.empty(6, 6).normal_(-1, 0.01)), c[10])
    close64(flat(torch.randn(40, { dtype: torch.float64 })), c[11])
  })
  it('nn.init, Embedding, torch.normal and randn_like', () => {
    const c = cases['normal users']!
    const init = torch.nn.init
    torch.manual_seed(8)
    exact(flat(init.normal_(torch.empty(64), 0.5, 0.2)), c[0])
    exact(flat(init.xavier_normal_(torch.empty(8, 10))), c[1])
    exact(flat(init.kaiming_normal_(torch.empty(6, 7))), c[2])
    exact(flat(new torch.nn.Embedding(10, 4).weight), c[3])
    exact(flat(torch.normal(torch.zeros(33), torch.full([33], 0.7))), c[4])
    exact(flat(torch.randn_like(torch.zeros(5, 5))), c[5])
  })
})

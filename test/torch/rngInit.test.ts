import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch'
import { erf32, erfinv32 } from '../../src/torch/erfinv32'
import fixture from './fixtures/rng_streams.json'

// Reference: test/torch/fixtures/rng_streams.py on PyTorch 1.13 (CPU, Debian's build on glibc 2.36).
type Case = ReadonlyArray<unknown>
const cases = fixture as unknown as Record<string, Case>
const flat = (t: torch.Tensor): number[] => t.detach().reshape(-1).tolist() as number[]
const exact = (got: ReadonlyArray<number>, want: unknown): void => expect(got).toEqual(want)
const close = (got: ReadonlyArray<number>, want: unknown, tol: number): void => {
  const w = want as number[]
  expect(got.length).toBe(w.length)
  got.forEach((g, i) => expect(Math.abs(g - (w[i] as number))).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(g))))
}

describe('nn.init draws as PyTorch', () => {
  it('trunc_normal_: uniform_, erfinv_, mul_, add_, clamp_ in float32, bit for bit', () => {
    const c = cases.trunc_normal!
    const init = torch.nn.init
    torch.manual_seed(23)
    exact(flat(init.trunc_normal_(torch.empty(2000))), c[0])
    exact(flat(init.trunc_normal_(torch.empty(4, 5), 0.3, 0.02, -0.5, 0.5)), c[1])
    exact(flat(init.trunc_normal_(torch.empty(300), 1, 2, 0.5, 1.5)), c[2])
    // float64: glibc's double erf inside PyTorch's Newton steps is not reproduced to the last bit
    close(flat(init.trunc_normal_(torch.empty(50, { dtype: torch.float64 }), 0, 0.5)), c[3], 4e-16)
  })
  it('the init case: trunc_normal_, xavier/kaiming, sparse_, normal_ in sequence', () => {
    const c = cases.init!
    const init = torch.nn.init
    torch.manual_seed(21)
    exact(flat(init.trunc_normal_(torch.empty(10), 0, 0.5)), c[0])
    close(flat(init.orthogonal_(torch.empty(3, 5))), c[1], 1e-6)
    exact(flat(init.xavier_normal_(torch.empty(4, 3))), c[2])
    exact(flat(init.kaiming_normal_(torch.empty(4, 3), 0, 'fan_out', 'relu')), c[3])
    exact(flat(init.xavier_uniform_(torch.empty(2, 5), 2)), c[4])
    exact(flat(init.sparse_(torch.empty(4, 3), 0.5)), c[5])
    exact(flat(init.normal_(torch.empty(3), 1, 0.1)), c[6])
  })
  it('erfinv32 inverts erf32 to within an ulp or two', () => {
    for (const y of [-0.999, -0.5, 0, 1e-6, 0.3, 0.7, 0.71, 0.99999]) {
      const x = erfinv32(y)
      expect(Math.abs(erf32(x) - Math.fround(y))).toBeLessThanOrEqual(4 * 2 ** -24)
    }
    expect(erfinv32(1)).toBe(Infinity)
    expect(erfinv32(-1)).toBe(-Infinity)
    expect(erfinv32(1.5)).toBeNaN()
  })
})

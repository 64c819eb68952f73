/**
 * `generator=` of nn.init.trunc_normal_, orthogonal_ and sparse_ (PyTorch 2.1; 1.13 has none, so
 * no fixture): a seeded torch.Generator gives what `torch.manual_seed` with the same seed gives on
 * the global stream, and trunc_normal_/orthogonal_ leave the global stream alone (sparse_'s rows
 * come from the global `randperm`, as in PyTorch 2.x).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const init = torch.nn.init
const gen = (seed: number): torch.Generator => new torch.Generator().manual_seed(seed)
const f64 = (): torch.Tensor => torch.empty(4, 3, { dtype: torch.float64 })

describe('torch.nn.init generator= (trunc_normal_, orthogonal_, sparse_)', () => {
  it.each([
    ['trunc_normal_', (t: torch.Tensor, g?: torch.Generator) => init.trunc_normal_(t, 0.5, 2, -1, 3, g ?? null)],
    ['orthogonal_', (t: torch.Tensor, g?: torch.Generator) => init.orthogonal_(t, { gain: 2, generator: g ?? null })],
  ] as const)('%s: generator stream equals the seeded global stream, global untouched', (_n, f) => {
    torch.manual_seed(9)
    const viaGlobal = f(f64()).tolist()
    const globalAfter = torch.rand(3).tolist()
    torch.manual_seed(5)
    const globalNext = torch.rand(3).tolist()
    torch.manual_seed(5)
    const viaGen = f(f64(), gen(9)).tolist()
    expect(viaGen).toEqual(viaGlobal)
    expect(f(f64(), gen(10)).tolist()).not.toEqual(viaGlobal)
    expect(torch.rand(3).tolist()).toEqual(globalNext)
    expect(globalAfter).not.toEqual(globalNext)
  })

  it('sparse_: normal samples from the generator, zeroed rows from the global randperm', () => {
    torch.manual_seed(3)
    const ref = torch.empty(6, 4, { dtype: torch.float64 }).normal_(0, 0.5, { generator: gen(21) })
    const w = init.sparse_(torch.empty(6, 4, { dtype: torch.float64 }), { sparsity: 0.5, std: 0.5, generator: gen(21) })
    torch.manual_seed(3)
    const perms = [0, 1, 2, 3].map(() => (torch.randperm(6).tolist() as number[]).slice(0, 3))
    const got = w.tolist() as number[][]
    const want = ref.tolist() as number[][]
    got.forEach((row, r) => row.forEach((v, c) => expect(v).toBe(perms[c]!.includes(r) ? 0 : (want[r]![c] as number))))
  })

  it('generator must be a keyword or the last positional', () => {
    expect(() => init.sparse_(f64(), 0.5, 0.01, gen(1))).not.toThrow()
    expect(() => (init.orthogonal_ as unknown as (...a: unknown[]) => unknown)(f64(), 1, gen(1), 3)).toThrow()
  })
})

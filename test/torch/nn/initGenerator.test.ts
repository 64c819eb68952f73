/**
 * The `generator` argument of torch.nn.init's samplers (PyTorch 2.1; 1.13 has none, so no
 * fixture): a seeded torch.Generator makes them reproducible, draws exactly what the matching
 * Tensor sampler draws from an equally seeded generator, and leaves the global stream alone.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const init = torch.nn.init
const gen = (seed: number): torch.Generator => new torch.Generator().manual_seed(seed)
type Case = [
  string,
  (t: torch.Tensor, g: torch.Generator) => torch.Tensor,
  (t: torch.Tensor, g: torch.Generator) => torch.Tensor,
]
// each init function beside the Tensor sampler call it must equal (fan_in 4, fan_out 3 for [3, 4])
const CASES: Case[] = [
  ['uniform_', (t, g) => init.uniform_(t, -2, 3, g), (t, g) => t.uniform_(-2, 3, { generator: g })],
  [
    'normal_',
    (t, g) => init.normal_(t, { mean: 1, std: 2, generator: g }),
    (t, g) => t.normal_(1, 2, { generator: g }),
  ],
  [
    'xavier_uniform_',
    (t, g) => init.xavier_uniform_(t, { generator: g }),
    (t, g) => t.uniform_(-Math.sqrt(6 / 7), Math.sqrt(6 / 7), { generator: g }),
  ],
  [
    'xavier_normal_',
    (t, g) => init.xavier_normal_(t, 1, g),
    (t, g) => t.normal_(0, Math.sqrt(2 / 7), { generator: g }),
  ],
  [
    'kaiming_uniform_',
    (t, g) => init.kaiming_uniform_(t, { a: Math.sqrt(5), generator: g }),
    (t, g) => t.uniform_(-0.5, 0.5, { generator: g }),
  ],
  [
    'kaiming_normal_',
    (t, g) => init.kaiming_normal_(t, { mode: 'fan_out', generator: g }),
    (t, g) => t.normal_(0, Math.sqrt(2 / 3), { generator: g }),
  ],
]

describe('torch.nn.init generator=', () => {
  it.each(CASES)('%s draws from the given generator', (_name, viaInit, viaTensor) => {
    // Arrange
    torch.manual_seed(7)
    const globalNext = torch.rand(5).tolist()
    torch.manual_seed(7)
    // Act
    const a = viaInit(torch.empty(3, 4, { dtype: torch.float64 }), gen(42)).tolist() as number[][]
    const b = viaInit(torch.empty(3, 4, { dtype: torch.float64 }), gen(42)).tolist() as number[][]
    const c = viaTensor(torch.empty(3, 4, { dtype: torch.float64 }), gen(42)).tolist() as number[][]
    const d = viaInit(torch.empty(3, 4, { dtype: torch.float64 }), gen(43)).tolist() as number[][]
    // Assert
    expect(a).toEqual(b)
    a.flat().forEach((v, i) => expect(v).toBeCloseTo(c.flat()[i] as number, 12))
    expect(a).not.toEqual(d)
    expect(torch.rand(5).tolist()).toEqual(globalNext)
  })
})

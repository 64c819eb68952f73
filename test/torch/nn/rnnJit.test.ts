/**
 * Recurrent layers under wengert's jit (through torch.func.functional_call): the time loop is one
 * `scan` (the printed program has the same number of lines for 3 and 12 steps), the results equal
 * the eager unrolled loop (checked against PyTorch in rnn.test.ts), and jit(grad) through the scan
 * equals the facade's autograd gradients.
 */
import { describe, expect, it } from 'vitest'
import { grad, jit, sum, type NdArray } from '../../../src/index'
import * as torch from '../../../src/torch/index'
import { Tensor } from '../../../src/torch/tensor'

type Layer = torch.nn.Module & { forward(x: torch.Tensor): unknown }
const layers: Array<[string, () => Layer, boolean]> = [
  [
    'RNN relu, bidirectional, 2 layers',
    () => torch.nn.RNN(3, 4, { num_layers: 2, nonlinearity: 'relu', bidirectional: true, dtype: torch.float64 }),
    false,
  ],
  [
    'LSTM proj_size, bidirectional, batch_first',
    () =>
      torch.nn.LSTM(3, 5, {
        num_layers: 2,
        proj_size: 2,
        bidirectional: true,
        batch_first: true,
        dtype: torch.float64,
      }),
    true,
  ],
  ['GRU without bias', () => torch.nn.GRU(3, 4, { bias: false, dtype: torch.float64 }), false],
]

const runner = (m: Layer) => {
  const names = [...m.named_parameters()].map(([k]) => k)
  const f = (ps: NdArray[], x: NdArray): NdArray => {
    const d = Object.fromEntries(names.map((n, i) => [n, Tensor._fromValue(ps[i] as NdArray)]))
    const [out] = torch.func.functional_call(m, d, [Tensor._fromValue(x)]) as [Tensor, unknown]
    return out._value()
  }
  return f
}
const maxDiff = (a: NdArray, b: NdArray): number => {
  const x = a.toArray() as unknown as number[]
  const y = b.toArray() as unknown as number[]
  const fx = [x].flat(5) as number[]
  const fy = [y].flat(5) as number[]
  expect(fx.length).toBe(fy.length)
  return Math.max(0, ...fx.map((v, i) => Math.abs(v - (fy[i] as number))))
}

describe('recurrent layers under jit', () => {
  for (const [label, make, batchFirst] of layers) {
    it(`${label}: one scan, program size independent of the length, same values and gradients`, () => {
      const m = make()
      const f = runner(m)
      const ps = [...m.parameters()].map((p) => p.detach()._value())
      const shape = (T: number): number[] => (batchFirst ? [2, T, 3] : [T, 2, 3])
      const lines: number[] = []
      for (const T of [3, 12]) {
        const x = torch.randn(shape(T), { dtype: torch.float64 })._value()
        const j = jit(f)
        const text = j.lower(ps, x).asText()
        expect(text).toMatch(/\bscan\b/)
        lines.push(text.split('\n').length)
        expect(maxDiff(j(ps, x), f(ps, x))).toBeLessThan(1e-12)
      }
      expect(lines[0]).toBe(lines[1])
      // jit(grad) through the scan equals the facade's autograd on the module
      const x = torch.randn(shape(5), { dtype: torch.float64 })
      const g = jit(grad((p: NdArray[], xv: NdArray) => sum(f(p, xv))))(ps, x._value())
      const [out] = m.forward(x) as [torch.Tensor]
      out.sum().backward()
      ;[...m.parameters()].forEach((p, i) =>
        expect(maxDiff(g[i] as NdArray, (p.grad as torch.Tensor)._value())).toBeLessThan(1e-10),
      )
    })
  }

  it('falls back to the unrolled loop when the facade records (parameters requiring grad)', () => {
    const m = torch.nn.GRU(2, 3)
    const j = jit((xv: NdArray) => (m(Tensor._fromValue(xv)) as unknown as [torch.Tensor])[0]._value())
    const small = j
      .lower(torch.randn(2, 1, 2)._value())
      .asText()
      .split('\n').length
    const big = j
      .lower(torch.randn(6, 1, 2)._value())
      .asText()
      .split('\n').length
    expect(big).toBeGreaterThan(small)
  })
})

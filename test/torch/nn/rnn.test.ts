/**
 * nn.RNN/LSTM/GRU and the cells against PyTorch 1.13 (float64; fixture
 * test/fixtures/torch/rnn.json from rnn.py beside it): outputs, final states and the gradient of
 * every parameter, the input and the initial states; packed sequences; PyTorch's error texts.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'

const { pack_padded_sequence, pad_packed_sequence } = nn.utils.rnn

interface Flat {
  shape: number[]
  data: number[]
}
interface Case {
  kind: 'RNN' | 'LSTM' | 'GRU' | 'RNNCell' | 'LSTMCell' | 'GRUCell'
  kw: Record<string, unknown>
  lengths: number[] | null
  params: Record<string, Flat>
  x: Flat
  states: Flat[] | null
  outs: Flat[]
  cots: Flat[]
  grads: Record<string, Flat>
}
const cases = JSON.parse(readFileSync(new URL('../../fixtures/torch/rnn.json', import.meta.url), 'utf8')) as Case[]

const t64 = (f: Flat, requires_grad = false): torch.Tensor =>
  torch.tensor(f.data, { dtype: torch.float64 }).reshape(f.shape).detach().requires_grad_(requires_grad)
const flat = (t: torch.Tensor): number[] => {
  const v = t.tolist()
  return Array.isArray(v) ? (v.flat(5) as number[]) : [v as number]
}
const close = (t: torch.Tensor | null, f: Flat, tol = 1e-10): void => {
  expect(t).not.toBeNull()
  expect([...(t as torch.Tensor).shape]).toEqual(f.shape)
  const got = flat(t as torch.Tensor)
  const worst = Math.max(0, ...got.map((v, i) => Math.abs(v - (f.data[i] as number))))
  expect(worst).toBeLessThan(tol)
}

type Ctor = new (kw: Record<string, unknown>) => nn.Module
type Fwd = (x: unknown, hx?: unknown) => unknown

const runCase = (c: Case): void => {
  const m = new (nn[c.kind] as unknown as Ctor)({ ...c.kw, dtype: torch.float64 })
  expect(Object.keys(m.state_dict())).toEqual(Object.keys(c.params))
  m.load_state_dict(Object.fromEntries(Object.entries(c.params).map(([k, f]) => [k, t64(f)])))
  const x = t64(c.x, true)
  const states = c.states?.map((s) => t64(s, true)) ?? null
  const hx = states === null ? null : c.kind.startsWith('LSTM') ? states : states[0]
  const batch_first = c.kw.batch_first === true
  const fwd = (input: unknown): unknown => (m as unknown as { call: Fwd }).call(input, hx)
  let outs: torch.Tensor[]
  if (c.lengths !== null) {
    const packed = pack_padded_sequence(x, c.lengths, { batch_first, enforce_sorted: false })
    const [o, fin] = fwd(packed) as [nn.utils.rnn.PackedSequence, torch.Tensor | torch.Tensor[]]
    const [padded] = pad_packed_sequence(o, { batch_first })
    outs = [padded, ...(Array.isArray(fin) ? fin : [fin])]
  } else {
    const r = fwd(x) as torch.Tensor | [torch.Tensor, torch.Tensor | torch.Tensor[]]
    if (r instanceof torch.Tensor) outs = [r]
    else if (c.kind === 'LSTMCell') outs = r as torch.Tensor[]
    else outs = [r[0], ...(Array.isArray(r[1]) ? r[1] : [r[1]])]
  }
  expect(outs.length).toBe(c.outs.length)
  outs.forEach((o, i) => close(o, c.outs[i] as Flat))
  let loss = torch.zeros([], { dtype: torch.float64 })
  outs.forEach((o, i) => (loss = loss.add(o.mul(t64(c.cots[i] as Flat)).sum())))
  loss.backward()
  const named = Object.fromEntries(m.named_parameters())
  for (const [k, g] of Object.entries(c.grads)) {
    if (k === 'input') close(x.grad, g)
    else if (k.startsWith('state')) close((states as torch.Tensor[])[Number(k.slice(5))]?.grad ?? null, g)
    else close(named[k]?.grad ?? null, g)
  }
}

describe('recurrent layers vs PyTorch 1.13', () => {
  it.each(cases.map((c, i) => [`${i} ${c.kind} ${JSON.stringify(c.kw)}${c.lengths ? ' packed' : ''}`, c] as const))(
    '%s',
    (_, c) => runCase(c),
  )
})

describe('recurrent layers: names, options and errors as PyTorch', () => {
  it('parameter names and shapes (LSTM with proj_size, bidirectional)', () => {
    const m = nn.LSTM(3, 6, { num_layers: 2, proj_size: 2, bidirectional: true, bias: false })
    const shapes = Object.fromEntries([...m.named_parameters()].map(([k, p]) => [k, [...p.shape]]))
    expect(shapes).toEqual({
      weight_ih_l0: [24, 3],
      weight_hh_l0: [24, 2],
      weight_hr_l0: [2, 6],
      weight_ih_l0_reverse: [24, 3],
      weight_hh_l0_reverse: [24, 2],
      weight_hr_l0_reverse: [2, 6],
      weight_ih_l1: [24, 4],
      weight_hh_l1: [24, 2],
      weight_hr_l1: [2, 6],
      weight_ih_l1_reverse: [24, 4],
      weight_hh_l1_reverse: [24, 2],
      weight_hr_l1_reverse: [2, 6],
    })
    expect(String(m)).toBe('LSTM(3, 6, proj_size=2, num_layers=2, bias=False, bidirectional=True)')
    expect(m.all_weights.length).toBe(4)
  })

  it('initialisation is U(-1/sqrt(hidden), 1/sqrt(hidden))', () => {
    const m = nn.GRU(8, 16)
    for (const p of m.parameters()) {
      const v = flat(p)
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(0.25)
    }
    expect(Math.max(...flat(m.weight_hh_l0 as torch.Tensor).map(Math.abs))).toBeGreaterThan(0.2)
  })

  it('dropout between layers only in training mode', () => {
    const m = nn.RNN(2, 3, { num_layers: 2, dropout: 0.5 })
    const x = torch.randn(4, 1, 2)
    const [a] = m.eval().call(x)
    const [b] = m.call(x)
    expect(flat(a)).toEqual(flat(b))
    const outs = new Set(Array.from({ length: 6 }, () => JSON.stringify(flat(m.train().call(x)[0]))))
    expect(outs.size).toBeGreaterThan(1)
    expect(String(m)).toBe('RNN(2, 3, num_layers=2, dropout=0.5)')
  })

  it('warns for dropout with one layer; rejects bad options', () => {
    const [, ws] = torch.warnings.catch_warnings(() => nn.GRU(2, 3, { dropout: 0.2 }))
    expect(ws[0]?.message).toBe(
      'dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=0.2 and num_layers=1',
    )
    expect(() => nn.LSTM(2, 3, { dropout: 1.5 })).toThrow(
      'dropout should be a number in range [0, 1] representing the probability of an element being zeroed',
    )
    expect(() => nn.LSTM(2, 3, { proj_size: 3 })).toThrow('proj_size has to be smaller than hidden_size')
    expect(() => nn.GRU({ input_size: 2, hidden_size: 3, proj_size: 1 } as never)).toThrow(
      'proj_size argument is only supported for LSTM, not RNN or GRU',
    )
    expect(() => nn.RNN(2, 3, { nonlinearity: 'sigmoid' as 'tanh' })).toThrow("Unknown nonlinearity 'sigmoid'")
  })

  it('shape errors', () => {
    const lstm = nn.LSTM(10, 20, 2)
    expect(() => lstm.call(torch.randn(5, 3, 5))).toThrow(
      'input.size(-1) must be equal to input_size. Expected 10, got 5',
    )
    expect(() => lstm.call(torch.randn(5, 3, 10), [torch.zeros(2, 4, 20), torch.zeros(2, 3, 20)])).toThrow(
      'Expected hidden[0] size (2, 3, 20), got [2, 4, 20]',
    )
    expect(() => lstm.call(torch.randn(5, 3, 10), [torch.zeros(2, 3, 20), torch.zeros(3, 20)])).toThrow(
      'For batched 3-D input, hx and cx should also be 3-D but got (3-D, 2-D) tensors',
    )
    const rnn = nn.RNN(4, 2)
    expect(() => rnn.call(torch.randn(5, 4), torch.zeros(1, 1, 2))).toThrow(
      'For unbatched 2-D input, hx should also be 2-D but got 3-D tensor',
    )
    expect(() => rnn.call(torch.randn(5, 3, 4), torch.zeros(2, 3, 2))).toThrow(
      'Expected hidden size (1, 3, 2), got [2, 3, 2]',
    )
    expect(() => rnn.call(torch.randn(1, 5, 3, 4))).toThrow(
      'RNN: Expected input to be 2-D or 3-D but received 4-D tensor',
    )
    expect(() => nn.GRUCell(3, 4).call(torch.randn(1, 2, 3))).toThrow(
      'GRUCell: Expected input to be 1-D or 2-D but received 3-D tensor',
    )
  })

  it('packed sequences: pad_sequence, pack/pad round trip and errors', () => {
    const { pad_sequence, pack_sequence } = nn.utils.rnn
    const a = torch.tensor([1, 2, 3])
    const b = torch.tensor([4, 5])
    expect(pad_sequence([a, b]).tolist()).toEqual([
      [1, 4],
      [2, 5],
      [3, 0],
    ])
    expect(pad_sequence([a, b], { batch_first: true, padding_side: 'left' }).tolist()).toEqual([
      [1, 2, 3],
      [0, 4, 5],
    ])
    expect(() => pack_sequence([b, a])).toThrow('`lengths` array must be sorted in decreasing order')
    const p = pack_sequence([b, a], { enforce_sorted: false })
    expect(p.data.tolist()).toEqual([1, 4, 2, 5, 3])
    expect(p.unsorted_indices?.tolist()).toEqual([1, 0])
    const [padded, lens] = pad_packed_sequence(p, { total_length: 4, padding_value: -1 })
    expect(padded.tolist()).toEqual([
      [4, 1],
      [5, 2],
      [-1, 3],
      [-1, -1],
    ])
    expect(lens.tolist()).toEqual([2, 3])
    expect(lens.dtype).toBe(torch.int64)
    expect(() => pad_packed_sequence(p, { total_length: 2 })).toThrow(
      'Expected total_length to be at least the length of the longest sequence in input, but got total_length=2 and max sequence length being 3',
    )
  })
})

/**
 * The graph around nn.RNN/LSTM/GRU outputs against PyTorch 1.13 (fixture
 * test/fixtures/torch/rnn_graph.json from rnn_graph.py beside it): the output's grad_fn is the
 * last layer's step stack (StackBackward0) or the directions' cat (CatBackward0), RNN/GRU turn it
 * batch_first in place (TransposeBackward1, version 1), LSTM out of place (a view) — the
 * differential tester's seed range 420000 found the facade returning a reshape view instead.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { typeName } from '../../helpers/nodeNames'

interface Case {
  kind: 'RNN' | 'LSTM' | 'GRU'
  bidirectional: boolean
  num_layers: number
  batch_first: boolean
  batched: boolean
  grad_fn: string[]
  version: number[]
  is_view: boolean[]
}

const cases = JSON.parse(
  readFileSync(new URL('../../fixtures/torch/rnn_graph.json', import.meta.url), 'utf8'),
) as Case[]

describe('RNN/LSTM/GRU output graph (PyTorch 1.13 fixture)', () => {
  it.each(
    cases.map(
      (c) =>
        [`${c.kind} bi=${c.bidirectional} layers=${c.num_layers} bf=${c.batch_first} batched=${c.batched}`, c] as const,
    ),
  )('%s', (_, c) => {
    const m = torch.nn[c.kind](2, 3, {
      num_layers: c.num_layers,
      bidirectional: c.bidirectional,
      batch_first: c.batch_first,
    })
    const x = torch.zeros(c.batched ? [1, 3, 2] : [3, 2], { requires_grad: true })
    const call = m.call.bind(m) as (x: torch.Tensor) => [torch.Tensor, torch.Tensor | [torch.Tensor, torch.Tensor]]
    const [out, fin] = call(x)
    const ts = [out, ...(Array.isArray(fin) ? fin : [fin])]
    expect(ts.map((t) => typeName(t.grad_fn))).toEqual(c.grad_fn)
    expect(ts.map((t) => t._version)).toEqual(c.version)
    expect(ts.map((t) => t._base !== null)).toEqual(c.is_view)
  })
})

// Tensor.backward, torch.autograd.backward and torch.autograd.grad take every option positionally,
// as PyTorch's signatures do (fixture: fixtures/autograd_positional.py, PyTorch 1.13).
import { describe, expect, it } from 'vitest'
import * as torch from '../../src/torch/index'
import fixture from './fixtures/autograd_positional.json'

type Call = (x: torch.Tensor, y: torch.Tensor) => unknown
type Untyped = (...a: unknown[]) => unknown
const bw = (y: torch.Tensor): Untyped => (y.backward as unknown as Untyped).bind(y)
const abw = torch.autograd.backward as unknown as Untyped
const grad = torch.autograd.grad as unknown as Untyped
const z = (): torch.Tensor => torch.tensor(1, { dtype: torch.float32, requires_grad: true })

const CALLS: Readonly<Record<string, Call>> = {
  'backward(None, True)': (_, y) => bw(y)(null, true),
  'backward(None, 1)': (_, y) => bw(y)(null, 1),
  "backward(None, 'x')": (_, y) => bw(y)(null, 'x'),
  'backward(None, 1.5)': (_, y) => bw(y)(null, 1.5),
  "backward(None, None, 'x')": (_, y) => bw(y)(null, null, 'x'),
  'backward(None, None, None)': (_, y) => bw(y)(null, null, null),
  'backward(None, None, True)': (_, y) => bw(y)(null, null, true),
  'backward(None, None, False, [x])': (x, y) => bw(y)(null, null, false, [x]),
  'backward(None, None, False, 3)': (_, y) => bw(y)(null, null, false, 3),
  'backward(None, None, False, None, 5)': (_, y) => bw(y)(null, null, false, null, 5),
  'backward(None, [])': (_, y) => bw(y)(null, []),
  'autograd.backward(y, None, True)': (_, y) => abw(y, null, true),
  'autograd.backward(y, None, None, None, None, x)': (x, y) => abw(y, null, null, null, null, x),
  'autograd.backward(y, None, None, False, None, x, 7)': (x, y) => abw(y, null, null, false, null, x, 7),
  'autograd.backward(y, None, None, False, None, 3)': (_, y) => abw(y, null, null, false, null, 3),
  'autograd.backward(y, None, None, None)': (_, y) => abw(y, null, null, null),
  'grad(y, x, None, True)': (x, y) => grad(y, x, null, true),
  'grad(y, x, None, None, True)': (x, y) => grad(y, x, null, null, true),
  "grad(y, x, None, 'x')": (x, y) => grad(y, x, null, 'x'),
  'grad(y, [x, z], None, None, False, True, True)': (x, y) => grad(y, [x, z()], null, null, false, true, true),
  'grad(y, [x, z], None, None, False, True, 1)': (x, y) => grad(y, [x, z()], null, null, false, true, 1),
  "grad(y, x, None, None, 'x')": (x, y) => grad(y, x, null, null, 'x'),
}

type Rec = {
  readonly error?: string
  readonly message?: string
  readonly grad?: number[] | null
  readonly grad_has_graph?: boolean
  readonly result?: Array<number[] | null>
  readonly result_has_graph?: boolean
  readonly second_backward?: string
}

describe('autograd options given positionally (PyTorch order)', () => {
  it('covers every fixture case', () => {
    expect(Object.keys(CALLS).sort()).toEqual(Object.keys(fixture).sort())
  })
  for (const [name, rec] of Object.entries(fixture as Readonly<Record<string, Rec>>)) {
    it(name, () => {
      const x = torch.tensor([1, 2], { dtype: torch.float32, requires_grad: true })
      const y = x.mul(x).sum()
      const call = CALLS[name] as Call
      if (rec.error !== undefined) {
        expect(() => call(x, y)).toThrow(rec.message)
        expect(() => call(x, y)).toThrow(expect.objectContaining({ name: rec.error }))
        return
      }
      const r = call(x, y) as Array<torch.Tensor | null> | undefined
      expect(x.grad === null ? null : x.grad.tolist()).toEqual(rec.grad)
      expect(x.grad !== null && x.grad.grad_fn !== null).toBe(rec.grad_has_graph)
      if (rec.result !== undefined) {
        expect(r?.map((g) => (g === null ? null : g.tolist()))).toEqual(rec.result)
        expect(r?.[0]?.grad_fn !== null).toBe(rec.result_has_graph)
      }
      if (rec.second_backward === 'ok') expect(() => y.backward()).not.toThrow()
      else expect(() => y.backward()).toThrow('Trying to backward through the graph a second time')
    })
  }
  it("grad's arity is PyTorch 2.x's nine parameters (1.13 has eight)", () => {
    const x = torch.tensor([1, 2], { requires_grad: true })
    expect(() => grad(x.sum(), x, null, null, false, true, false, false, false, 1)).toThrow(
      'grad() takes from 2 to 9 positional arguments but 10 were given',
    )
  })
})

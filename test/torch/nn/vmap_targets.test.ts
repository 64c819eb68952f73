/**
 * Issue 10 item 1: losses that read class-index targets must not read a vmapped target's data
 * (example 0's targets for every example). Expected values: the same loss per example, computed
 * without vmap (reduction 'none' and one call per example).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import { ConcretizationTypeError } from '../../../src/ndarray/errors'

const F = torch.nn.functional
const f64 = (d: torch.TensorData): torch.Tensor => torch.tensor(d, { dtype: torch.float64 })
const long = (d: torch.TensorData): torch.Tensor => torch.tensor(d, { dtype: torch.int64 })
const X = [
  [0.5, -1, 2],
  [1.5, 0.25, -0.5],
  [-2, 1, 0.75],
]
const Y = [2, 0, 1]

describe('vmap over class-index targets (issue 10 item 1)', () => {
  it('cross_entropy and nll_loss select each example’s own target', () => {
    const expected = F.cross_entropy(f64(X), long(Y), { reduction: 'none' }).tolist()
    const ce = torch.func.vmap((x: torch.Tensor, y: torch.Tensor) => F.cross_entropy(x, y))(f64(X), long(Y))
    expect((ce as torch.Tensor).tolist()).toEqual(expected)
    const nll = torch.func.vmap((x: torch.Tensor, y: torch.Tensor) => F.nll_loss(x.log_softmax(0), y))(f64(X), long(Y))
    expect((nll as torch.Tensor).tolist()).toEqual(expected)
  })

  it('per-example gradients with a class weight and ignore_index', () => {
    const w = f64([0.5, 2, 1])
    const loss = (x: torch.Tensor, y: torch.Tensor): torch.Tensor =>
      F.nll_loss(x.log_softmax(-1).unsqueeze(0), y.unsqueeze(0), { weight: w, ignore_index: 0, reduction: 'sum' })
    const g = torch.func.vmap(torch.func.grad(loss))(f64(X), long(Y)) as torch.Tensor
    const rows = X.map((row, i) => (torch.func.grad(loss)(f64(row), long(Y[i] as number)) as torch.Tensor).tolist())
    // (−0 and 0 compare equal: the two paths sum the masked row in a different order)
    const plus = (v: unknown): unknown => (Array.isArray(v) ? v.map(plus) : (v as number) + 0)
    expect(plus(g.tolist())).toEqual(plus(rows))
    // the example whose target is ignore_index has gradient 0
    expect(rows[1]).toEqual([0, 0, 0])
  })

  it('ops that need the data of a vmapped tensor refuse instead of using example 0', () => {
    const hot = (y: torch.Tensor): torch.Tensor => F.one_hot(y, 3)
    expect(() => torch.func.vmap(hot)(long(Y))).toThrow(ConcretizationTypeError)
    expect(() => torch.func.vmap(hot)(long(Y))).toThrow(/one_hot/)
    const smooth = (x: torch.Tensor, y: torch.Tensor): torch.Tensor => F.cross_entropy(x, y, { label_smoothing: 0.1 })
    expect(() => torch.func.vmap(smooth)(f64(X), long(Y))).toThrow(ConcretizationTypeError)
    const emb = (i: torch.Tensor): torch.Tensor => F.embedding(i, f64(X))
    expect(() => torch.func.vmap(emb)(long(Y))).toThrow(ConcretizationTypeError)
  })

  it('an unmapped target is read as data', () => {
    const ce = torch.func.vmap((x: torch.Tensor, y: torch.Tensor) => F.cross_entropy(x, y), [0, null])(f64(X), long(1))
    expect((ce as torch.Tensor).tolist()).toEqual(
      F.cross_entropy(f64(X), long([1, 1, 1]), { reduction: 'none' }).tolist(),
    )
  })
})

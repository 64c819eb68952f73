/**
 * Scatter-style ops on the meta device against PyTorch 1.13 (fixtures/meta_scatter.py; the same
 * meta kernels and derivative names in 2.x): scatter, scatter_add, scatter_reduce, index_add,
 * index_copy, index_fill, index_put and `x[idx] = v` with meta index tensors, and
 * nn.Embedding(max_norm=...) on meta give shape-only results with PyTorch's shapes, dtypes,
 * grad_fn names and requires_grad; backward through them gives meta gradients of self's shape.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/meta_scatter.json'

type Case = { readonly ok?: unknown; readonly error?: string; readonly message?: string }
const cases = fixture.cases as Record<string, Case>

const pyName = (e: unknown): string => {
  const n = (e as Error).constructor.name
  return n === 'TorchTypeError' ? 'TypeError' : n
}

/** A tensor's facts in the fixture's form. */
const facts = (t: torch.Tensor): unknown => ({
  shape: [...t.shape],
  dtype: String(t.dtype),
  is_meta: t.is_meta,
  grad_fn: t.grad_fn === null ? null : t.grad_fn.name(),
  requires_grad: t.requires_grad,
})

const run = (f: () => torch.Tensor): Case => {
  try {
    return { ok: facts(f()) }
  } catch (e) {
    return { error: pyName(e), message: (e as Error).message }
  }
}

/** Backward of `f(x).sum()` for a meta leaf x of [3, 4]: x.grad's shape, device and dtype. */
const back = (f: (x: torch.Tensor) => torch.Tensor): Case => {
  try {
    const x = meta(3, 4).requires_grad_()
    f(x).sum().backward()
    const g = x.grad as torch.Tensor
    return { ok: { shape: [...g.shape], is_meta: g.is_meta, dtype: String(g.dtype) } }
  } catch (e) {
    return { error: pyName(e), message: (e as Error).message }
  }
}

const meta = (...s: number[]): torch.Tensor => torch.empty(s, { device: 'meta' })
const idx = (...s: number[]): torch.Tensor => torch.empty(s, { device: 'meta', dtype: torch.int64 })
const rq = (): torch.Tensor => meta(3, 4).requires_grad_()
const setitem = (x: torch.Tensor, i: torch.Tensor, v: torch.Tensor): torch.Tensor => {
  const y = x.clone()
  y.setitem(i, v)
  return y
}

const runs: Record<string, () => Case> = {
  scatter: () => run(() => meta(3, 4).scatter(0, idx(2, 4), meta(2, 4))),
  scatter_value: () => run(() => meta(3, 4).scatter(1, idx(3, 2), 1.5)),
  scatter_reduce_arg: () => run(() => meta(3, 4).scatter(1, idx(3, 2), meta(3, 2), { reduce: 'add' })),
  scatter_add: () => run(() => meta(3, 4).scatter_add(0, idx(2, 4), meta(2, 4))),
  scatter_reduce_sum: () => run(() => meta(3, 4).scatter_reduce(0, idx(2, 4), meta(2, 4), 'sum')),
  scatter_reduce_amax: () =>
    run(() => meta(3, 4).scatter_reduce(0, idx(2, 4), meta(2, 4), 'amax', { include_self: false })),
  index_add: () => run(() => meta(3, 4).index_add(0, idx(2), meta(2, 4))),
  index_copy: () => run(() => meta(3, 4).index_copy(1, idx(2), meta(3, 2))),
  index_fill: () => run(() => meta(3, 4).index_fill(1, idx(2), 2.0)),
  index_put: () => run(() => meta(3, 4).index_put([idx(2)], meta(2, 4))),
  index_put_acc: () => run(() => meta(3, 4).index_put([idx(2)], meta(4), true)),
  setitem: () => run(() => setitem(meta(3, 4), idx(2), meta(4))),
  scatter_int: () => run(() => idx(3, 4).scatter(0, idx(2, 4), idx(2, 4))),
  scatter_rg: () => run(() => rq().scatter(0, idx(2, 4), meta(2, 4))),
  scatter_value_rg: () => run(() => rq().scatter(1, idx(3, 2), 1.5)),
  scatter_add_rg: () => run(() => rq().scatter_add(0, idx(2, 4), meta(2, 4))),
  scatter_reduce_rg: () => run(() => rq().scatter_reduce(0, idx(2, 4), meta(2, 4), 'sum')),
  index_add_rg: () => run(() => rq().index_add(0, idx(2), meta(2, 4))),
  index_copy_rg: () => run(() => rq().index_copy(1, idx(2), meta(3, 2))),
  index_fill_rg: () => run(() => rq().index_fill(1, idx(2), 2.0)),
  index_put_rg: () => run(() => rq().index_put([idx(2)], meta(2, 4))),
  setitem_rg: () => run(() => setitem(rq(), idx(2), meta(4))),
  scatter_add_: () => run(() => meta(3, 4).scatter_add_(0, idx(2, 4), meta(2, 4))),
  index_fill_: () => run(() => meta(3, 4).index_fill_(1, idx(2), 2.0)),
  index_add_: () => run(() => meta(3, 4).index_add_(0, idx(2), meta(2, 4))),
  embedding_max_norm: () => run(() => new torch.nn.Embedding(5, 3, { max_norm: 1.0, device: 'meta' }).call(idx(2))),
  scatter_bad_rank: () => run(() => meta(3, 4).scatter(0, idx(2), meta(2, 4))),
  index_add_bad_source: () => run(() => meta(3, 4).index_add(0, idx(2), meta(3, 4))),
  back_scatter: () => back((x) => x.scatter(0, idx(2, 4), meta(2, 4))),
  back_scatter_add: () => back((x) => x.scatter_add(0, idx(2, 4), meta(2, 4))),
  back_scatter_reduce: () => back((x) => x.scatter_reduce(0, idx(2, 4), meta(2, 4), 'sum')),
  back_index_add: () => back((x) => x.index_add(0, idx(2), meta(2, 4))),
  back_index_copy: () => back((x) => x.index_copy(1, idx(2), meta(3, 2))),
  back_index_fill: () => back((x) => x.index_fill(1, idx(2), 2.0)),
  back_index_put: () => back((x) => x.index_put([idx(2)], meta(2, 4))),
  back_setitem: () => back((x) => setitem(x, idx(2), meta(4))),
}

describe('scatter-style ops on meta index tensors (PyTorch 1.13 fixture)', () => {
  it('covers every fixture case', () => {
    expect(Object.keys(runs).sort()).toEqual(Object.keys(cases).sort())
  })
  for (const [name, f] of Object.entries(runs))
    it(name, () => {
      expect(f()).toEqual(cases[name])
    })
})

/**
 * The meta device against PyTorch (fixtures/meta_device.py, PyTorch 1.13; the 2.x differences
 * are applied here and named beside the case): reprs, shapes, strides, dtypes and error texts of
 * meta tensors, nn modules built with `device='meta'`, `to_empty`, `skip_init`, backward.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fixture from './fixtures/meta_device.json'

type Case = { readonly ok?: unknown; readonly error?: string; readonly message?: string }
const cases = fixture as Record<string, Case>
const nn = torch.nn

/** Python's exception class name of an error thrown by the facade. */
const pyName = (e: unknown): string => {
  const n = (e as Error).constructor.name
  return n === 'TorchTypeError' ? 'TypeError' : n
}

/** What `f` gives, in the fixture's form: the repr (or the value), or the exception class and text. */
const outcome = (f: () => unknown): Case => {
  try {
    const r = f()
    return { ok: Array.isArray(r) || typeof r === 'boolean' ? r : String(r) }
  } catch (e) {
    return { error: pyName(e), message: (e as Error).message }
  }
}

const meta = (...s: number[]): torch.Tensor => torch.empty(s, { device: 'meta' })
const lng = (...s: number[]): torch.Tensor => torch.empty(s, { device: 'meta', dtype: torch.int64 })
const F = nn.functional
const x = meta(3, 4)

const runs: Record<string, () => unknown> = {
  repr: () => x,
  repr_int64: () => torch.zeros(2, { device: 'meta', dtype: torch.int64 }),
  repr_0d: () => torch.empty([], { device: 'meta' }),
  repr_float64: () => torch.empty(2, 3, { device: 'meta', dtype: torch.float64 }),
  repr_empty: () => meta(0),
  repr_grad_fn: () => torch.empty(2, { device: 'meta', requires_grad: true }).mul(2),
  facts: () => [x.is_meta, String(x.device), x.stride(), String(x.dtype), x.t().stride()],
  randn: () => torch.randn(2, 3, { device: 'meta' }),
  tolist: () => x.tolist(),
  numpy: () => x.numpy(),
  cpu: () => x.cpu(),
  to_cpu: () => x.to('cpu'),
  broadcast_error: () => x.add(meta(5)),
  two_devices: () => torch.ones(4).add(x),
  scalar_tensor: () => x.add(torch.tensor(2)),
  matmul: () => x.matmul(meta(4, 2)),
  sum: () => x.sum(),
  mean0: () => x.mean(0),
  to_int32: () => x.to(torch.int32),
  relu_softmax: () => x.relu().softmax(0),
  cat: () => torch.cat([x, x]),
  eq: () => meta(2).eq(meta(2)),
  uniform_: () => meta(3, 4).uniform_(),
  zero_: () => meta(3, 4).zero_(),
  fill_: () => meta(3, 4).fill_(3),
  copy_into_meta: () => meta(4).copy_(torch.ones(4)),
  copy_out_of_meta: () => torch.ones(4).copy_(meta(4)),
  empty_like: () => torch.empty_like(x),
  empty_like_cpu: () => [...torch.empty_like(x, { device: 'cpu' }).shape],
  new_empty: () => x.new_empty(2),
  linear_param: () => nn.Linear(3, 4, { device: 'meta' }).weight,
  linear_forward: () => nn.Linear(3, 4, { device: 'meta' }).forward(meta(2, 3)),
  conv2d_forward: () => nn.Conv2d(3, 8, 3, { device: 'meta' }).forward(meta(1, 3, 10, 10)),
  layer_norm_forward: () => nn.LayerNorm(4, { device: 'meta' }).forward(x),
  to_empty: () => {
    const w = nn.Linear(3, 4, { device: 'meta' }).to_empty({ device: 'cpu' }).weight
    return [String(w.device), w.constructor.name]
  },
  skip_init: () => [
    String(nn.utils.skip_init(nn.Linear, 3, 4).weight.device),
    [...nn.utils.skip_init(nn.Linear, 3, 4).weight.shape],
  ],
  skip_init_meta: () => nn.utils.skip_init(nn.Linear, 3, 4, { device: 'meta' }).weight,
  backward_grad: () => {
    const w = torch.empty(3, 4, { device: 'meta', requires_grad: true })
    w.mul(2).sum().backward()
    return w.grad
  },
  embedding: () => F.embedding(lng(5), meta(10, 3)),
  embedding_module: () => nn.Embedding(10, 3, { device: 'meta' }).forward(lng(2, 5)),
  embedding_padding: () => nn.Embedding(10, 3, { padding_idx: 0, device: 'meta' }).forward(lng(4)),
  cross_entropy: () => F.cross_entropy(torch.empty(5, 10, { device: 'meta', requires_grad: true }), lng(5)),
  cross_entropy_none: () => F.cross_entropy(meta(5, 10), lng(5), { reduction: 'none' }),
  index_select: () => x.index_select(0, lng(2)),
  gather: () => x.gather(1, lng(3, 2)),
  getitem_meta_index: () => x.index(lng(2)),
  getitem_cpu_index: () => x.index(torch.tensor([0, 1], { dtype: torch.int64 })),
  to_meta_grad_fn: () => torch.empty(3, 4, { requires_grad: true }).to('meta'),
  to_meta_backward: () => {
    const a = torch.empty(3, 4, { requires_grad: true })
    a.to('meta').mul(2).sum().backward()
    return a.grad
  },
  transformer_block: () => {
    const layer = nn.TransformerEncoderLayer(8, 2, {
      dim_feedforward: 16,
      dropout: 0.0,
      batch_first: true,
      device: 'meta',
    })
    const emb = nn.Embedding(20, 8, { device: 'meta' })
    const head = nn.Linear(8, 20, { device: 'meta' })
    const tok = lng(2, 5)
    const y = head.forward(layer.forward(emb.forward(tok)))
    const loss = F.cross_entropy(y.reshape(-1, 20), tok.reshape(-1))
    loss.backward()
    const grads = [...layer.named_parameters()].map(([n, p]) => [n, [...(p.grad?.shape ?? [])], String(p.grad?.device)])
    return [String(loss), [...y.shape], grads, String(emb.weight.grad), String(head.bias?.grad)]
  },
  rng_untouched: () => {
    torch.manual_seed(0)
    const a = torch.rand(2)
    torch.manual_seed(0)
    meta(3).uniform_()
    torch.randn(3, { device: 'meta' })
    nn.Linear(3, 4, { device: 'meta' })
    return torch.equal(a, torch.rand(2))
  },
}

/** A module whose constructor takes no `device`. */
class NoDev extends nn.Module {
  constructor(_n: number) {
    super()
  }
}

describe('meta tensors match PyTorch', () => {
  it.each(Object.keys(runs))('%s', (name) => {
    // Arrange
    const expected = cases[name]
    // Act
    const got = outcome(runs[name] as () => unknown)
    // Assert
    expect(got).toEqual(expected)
  })

  it('every fixture case is run (item, module_to_cpu and skip_init_no_device below)', () => {
    const below = ['item', 'module_to_cpu', 'skip_init_no_device', 'one_hot', 'nonzero', 'nll_loss_2d', 'take']
    expect(Object.keys(cases).sort()).toEqual([...Object.keys(runs), ...below].sort())
  })

  it('item() of a one-element meta tensor raises 2.x text (1.13: the dispatcher error)', () => {
    expect(cases.item?.error).toBe('NotImplementedError')
    expect(outcome(() => torch.empty([], { device: 'meta' }).item())).toEqual({
      error: 'RuntimeError',
      message: 'Tensor.item() cannot be called on meta tensors',
    })
  })

  it("Module.to('cpu') of a meta module: 1.13's text plus 2.x's to_empty hint", () => {
    const hint =
      ' Please use torch.nn.Module.to_empty() instead of torch.nn.Module.to() when moving module from meta to a different device.'
    expect(outcome(() => nn.Linear(3, 4, { device: 'meta' }).to('cpu'))).toEqual({
      error: cases.module_to_cpu?.error,
      message: `${cases.module_to_cpu?.message}${hint}`,
    })
  })

  it('skip_init refuses a module whose constructor takes no device', () => {
    expect(outcome(() => nn.utils.skip_init(NoDev, 3))).toEqual(cases.skip_init_no_device)
  })
})

describe('the meta device beyond PyTorch 1.13 (2.x)', () => {
  const metaRepr = (size: string, extra = ''): Case => ({ ok: `tensor(..., device='meta', size=${size}${extra})` })

  it('one_hot of meta indices: a meta int64 tensor, or item()\'s error for num_classes=-1 (1.13: "Can not infer …")', () => {
    expect(cases.one_hot?.message).toBe('Can not infer total number of classes from meta tensor.')
    expect(outcome(() => F.one_hot(lng(5), 10))).toEqual(metaRepr('(5, 10)', ', dtype=torch.int64'))
    expect(outcome(() => F.one_hot(lng(5)))).toEqual({
      error: 'RuntimeError',
      message: 'Tensor.item() cannot be called on meta tensors',
    })
  })

  it("nonzero and boolean masks raise the 2.x meta registration's error (1.13: the dispatcher's)", () => {
    expect(cases.nonzero?.error).toBe('NotImplementedError')
    const expected = /^The register_meta function for torch\.nonzero\(\) raises unimplemented by default/
    for (const f of [() => x.nonzero(), () => x.index(torch.empty(3, 4, { device: 'meta', dtype: torch.bool }))]) {
      const got = outcome(f)
      expect(got.error).toBe('NotImplementedError')
      expect(got.message).toMatch(expected)
    }
  })

  it('nll_loss over 4-d input and take have meta kernels in 2.x (1.13: none)', () => {
    expect(cases.nll_loss_2d?.error).toBe('NotImplementedError')
    expect(cases.take?.error).toBe('NotImplementedError')
    expect(outcome(() => F.nll_loss(meta(2, 3, 4, 4), lng(2, 4, 4)))).toEqual(metaRepr('()'))
    expect(outcome(() => x.take(lng(6)))).toEqual(metaRepr('(6,)'))
  })

  it('with torch.device("meta") builds modules without data, and restores the default', () => {
    const ctx = torch.device('meta')
    ctx.__enter__()
    let net: torch.nn.Linear
    try {
      net = nn.Linear(1000, 1000)
      expect(torch.ones(2).is_meta).toBe(true)
    } finally {
      ctx.__exit__()
    }
    expect(net.weight.is_meta).toBe(true)
    expect(torch.ones(2).is_meta).toBe(false)
    expect(String(torch.get_default_device())).toBe('cpu')
  })

  it('a module built with device="meta" leaves the default device as it was, even when it throws', () => {
    expect(() => nn.Linear(3, { device: 'meta' } as never)).toThrow()
    expect(torch.ones(2).is_meta).toBe(false)
  })

  it('a big meta model takes no memory for its data', () => {
    // 1e5 × 1e5 float32 would be 40 GB
    const w = torch.empty(100000, 100000, { device: 'meta' })
    const y = w.matmul(torch.empty(100000, 8, { device: 'meta' }))
    expect([...y.shape]).toEqual([100000, 8])
    expect(y.numel()).toBe(800000)
  })
})

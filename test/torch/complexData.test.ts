/**
 * Complex casts with `memory_format`, `torch.tensor` of complex data and `torch.optim.SparseAdam`
 * against PyTorch 1.13 (test/fixtures/torch/complex_data.json, made by
 * scripts/fixtures/torch_complex_data.py).
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import * as torch from '../../src/torch/index'

type Err = [string, string]
interface Desc {
  dtype: string
  ri: unknown
  requires_grad: boolean
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/torch/complex_data.json', import.meta.url), 'utf8')) as {
  casts: Record<string, number[] | Err | unknown>
  data: Record<string, Desc | Err>
  sparse_adam: Record<string, unknown>
}
const throwsAs = (f: () => unknown, [name, text]: Err): void => {
  let got: unknown
  try {
    f()
  } catch (e) {
    got = e
  }
  expect(got).toBeInstanceOf(Error)
  expect((got as Error).name).toBe(name)
  expect((got as Error).message).toBe(text)
}
const C = (re: number, im: number): torch.Complex => new torch.Complex(re, im)
const describeTensor = (t: torch.Tensor): Desc => ({
  dtype: String(t.dtype),
  ri: t.dtype.is_complex ? torch.view_as_real(t).tolist() : t.tolist(),
  requires_grad: t.requires_grad,
})

describe('Tensor.cfloat / cdouble with memory_format', () => {
  const x = torch.arange(24).float().reshape(2, 3, 4).permute(2, 0, 1)
  const strides = (t: torch.Tensor): number[] => [...torch.view_as_real(t).stride()]
  it("gives PyTorch's strides for every format (seen through view_as_real) and the same values", () => {
    expect(strides(x.cfloat())).toEqual(fx.casts.preserve)
    expect(strides(x.cdouble({ memory_format: torch.preserve_format }))).toEqual(fx.casts.preserve_kw)
    const c = x.cfloat({ memory_format: torch.contiguous_format })
    expect(strides(c)).toEqual(fx.casts.contiguous)
    expect(torch.view_as_real(c).tolist()).toEqual(fx.casts.values)
    const x4 = torch.arange(24).float().reshape(1, 2, 3, 4)
    expect(strides(x4.cfloat({ memory_format: torch.channels_last }))).toEqual(fx.casts.channels_last)
    const x5 = torch.arange(24).float().reshape(1, 2, 3, 2, 2)
    expect(strides(x5.cdouble({ memory_format: torch.channels_last_3d }))).toEqual(fx.casts.channels_last_3d)
  })
  it('keeps a complex source’s layout under preserve_format (PyTorch 1.13: strides 2,4,1 and 4,2,1)', () => {
    // torch.view_as_complex(torch.randn(3, 2, 2, dtype=torch.float64)).t().cfloat(), and [:, ::2] of a 3×4
    const t = torch.view_as_complex(torch.randn(3, 2, 2, { dtype: torch.float64 })).t()
    expect(strides(t.cfloat())).toEqual([2, 4, 1])
    const s = torch.view_as_complex(torch.randn(3, 4, 2, { dtype: torch.float64 }).as_strided([3, 2, 2], [8, 4, 1]))
    expect(strides(s.cfloat())).toEqual([4, 2, 1])
  })
  it('returns a tensor already of the dtype as is, whatever the format', () => {
    const y = x.cfloat()
    expect(y.cfloat({ memory_format: torch.contiguous_format })).toBe(y)
  })
  it("raises PyTorch's errors for a wrong rank, a non-format and an unknown keyword", () => {
    const z = torch.zeros(2, 3)
    throwsAs(() => z.cfloat({ memory_format: torch.channels_last }), fx.casts.err_rank as Err)
    throwsAs(() => z.cdouble({ memory_format: torch.channels_last_3d }), fx.casts.err_rank3d as Err)
    throwsAs(() => z.cfloat({ memory_format: 3 } as never), fx.casts.err_type as Err)
    throwsAs(() => z.cfloat({ foo: 1 } as never), fx.casts.err_kw as Err)
  })
})

describe('torch.tensor of complex data', () => {
  afterEach(() => torch.set_default_dtype(torch.float32))
  const d = (k: string): Desc => fx.data[k] as Desc
  it('infers complex64 (complex128 under a float64 default) from Complex numbers mixed with numbers, booleans, tensors', () => {
    expect(describeTensor(torch.tensor([C(1, 2), 3] as never))).toEqual(d('mixed'))
    expect(
      describeTensor(
        torch.tensor([
          [C(0, 1), true],
          [2.5, 3],
        ] as never),
      ),
    ).toEqual(d('nested'))
    expect(describeTensor(torch.tensor(C(0, 2) as never, { requires_grad: true }))).toEqual(d('scalar_grad'))
    expect(describeTensor(torch.tensor([C(0, 1), torch.tensor(2)] as never))).toEqual(d('with_tensor'))
    torch.set_default_dtype(torch.float64)
    expect(describeTensor(torch.tensor([C(1, 2), 3] as never))).toEqual(d('mixed_f64'))
  })
  it('follows a dtype keyword: complex for real data, bool as nonzero, float and int raise', () => {
    expect(describeTensor(torch.tensor([1, 2], { dtype: torch.cfloat }))).toEqual(d('real_as_complex'))
    expect(describeTensor(torch.tensor([C(1, 2), 3] as never, { dtype: torch.cdouble }))).toEqual(d('cdouble'))
    expect(describeTensor(torch.tensor([C(1, 2), 0] as never, { dtype: torch.bool }))).toEqual(d('as_bool'))
    throwsAs(() => torch.tensor([C(1, 2), 3] as never, { dtype: torch.float32 }), fx.data.err_float as Err)
    throwsAs(() => torch.tensor([C(1, 2), 3] as never, { dtype: torch.int64 }), fx.data.err_int as Err)
  })
})

describe('torch.optim.SparseAdam', () => {
  const sa = fx.sparse_adam
  it("has PyTorch's defaults and state dict", () => {
    const p = torch.nn.Parameter(torch.zeros(3, 2))
    expect(JSON.parse(JSON.stringify(torch.optim.SparseAdam([p]).state_dict()))).toEqual(sa.state_dict)
    expect(torch.optim.SparseAdam([p], { maximize: true }).defaults).toEqual(sa.defaults_maximize)
  })
  it("refuses dense gradients at step() (the only kind wengert's parameters get) and bad options, as PyTorch", () => {
    const p = torch.nn.Parameter(torch.zeros(3, 2))
    const opt = torch.optim.SparseAdam([p], { lr: 0.1 })
    opt.step() // no gradient yet: nothing to do
    p.grad = torch.ones(3, 2)
    throwsAs(() => opt.step(), sa.err_dense as Err)
    expect(p.tolist()).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ])
    throwsAs(() => torch.optim.SparseAdam([p], { lr: -1 }), sa.err_lr as Err)
    throwsAs(() => torch.optim.SparseAdam([p], { eps: -1 }), sa.err_eps as Err)
    throwsAs(() => torch.optim.SparseAdam([p], { betas: [0.9, 1.5] }), sa.err_beta1 as Err)
    throwsAs(() => torch.optim.SparseAdam([torch.zeros(2).to_sparse()]), sa.err_sparse as Err)
  })
})

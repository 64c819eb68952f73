import { describe, expect, it } from 'vitest'
import * as torch from '../../../src/torch'

// Spellings that ported programs use and that failed before: nn.Parameter(t) without `new`, and
// keyword forms of init / clipping / TransformerEncoder arguments (PyTorch's signatures:
// Parameter(data=None, requires_grad=True), trunc_normal_(tensor, mean=0., std=1., a=-2., b=2.),
// clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None),
// clip_grad_value_(parameters, clip_value, foreach=None), TransformerEncoder(encoder_layer,
// num_layers, norm=None, enable_nested_tensor=True, mask_check=True)).
const { nn } = torch
const TypeErr = torch.TorchTypeError

describe('keyword and call forms of ported programs', () => {
  it('nn.Parameter is callable without new, requires_grad positional or keyword', () => {
    const p = nn.Parameter(torch.zeros(2))
    expect(p).toBeInstanceOf(nn.Parameter)
    expect(p.requires_grad).toBe(true)
    expect(nn.Parameter(torch.zeros(2), false).requires_grad).toBe(false)
    expect(nn.Parameter(torch.zeros(2), { requires_grad: false }).requires_grad).toBe(false)
    expect(() => nn.Parameter(torch.zeros(2), { grad: true } as never)).toThrow(
      new TypeErr("__new__() got an unexpected keyword argument 'grad'"),
    )
    const m = new nn.Module()
    ;(m as unknown as Record<string, unknown>)['w'] = nn.Parameter(torch.ones(3))
    expect([...m.named_parameters()].map(([n]) => n)).toEqual(['w'])
  })

  it('init functions take their arguments by keyword', () => {
    const draw = (f: (t: torch.Tensor) => torch.Tensor): number[] => {
      torch.manual_seed(3)
      return f(torch.empty(3, 4)).reshape(-1).tolist() as number[]
    }
    const init = nn.init
    expect(draw((t) => init.trunc_normal_(t, { std: 0.02 }))).toEqual(draw((t) => init.trunc_normal_(t, 0, 0.02)))
    expect(draw((t) => init.trunc_normal_(t, 0.1, { a: -1, b: 1 }))).toEqual(
      draw((t) => init.trunc_normal_(t, 0.1, 1, -1, 1)),
    )
    expect(draw((t) => init.orthogonal_(t, { gain: 2 }))).toEqual(draw((t) => init.orthogonal_(t, 2)))
    expect(draw((t) => init.sparse_(t, { sparsity: 0.5, std: 0.1 }))).toEqual(draw((t) => init.sparse_(t, 0.5, 0.1)))
    expect(init.constant_(torch.empty(2), { val: 3 }).tolist()).toEqual([3, 3])
    expect(
      init
        .dirac_(torch.empty(4, 2, 3), { groups: 2 })
        .sum()
        .item(),
    ).toBe(4)
    expect(() => init.constant_(torch.empty(2))).toThrow(
      new TypeErr("constant_() missing 1 required positional argument: 'val'"),
    )
    expect(() => init.trunc_normal_(torch.empty(2), { sd: 1 } as never)).toThrow(
      new TypeErr("trunc_normal_() got an unexpected keyword argument 'sd'"),
    )
  })

  it('clip_grad_norm_ / clip_grad_value_ take max_norm / clip_value by keyword', () => {
    const p = torch.tensor([3, 4], { requires_grad: true })
    p.grad = torch.tensor([3, 4])
    expect(nn.utils.clip_grad_norm_([p], { max_norm: 1.0 }).item()).toBe(5)
    expect(p.grad.norm().item()).toBeCloseTo(1, 5)
    p.grad = torch.tensor([3, -4])
    expect(nn.utils.clip_grad_norm_(p, 1, { norm_type: Infinity }).item()).toBe(4)
    p.grad = torch.tensor([3, -4])
    nn.utils.clip_grad_value_([p], { clip_value: 1 })
    expect(p.grad.tolist()).toEqual([1, -1])
    expect(() => nn.utils.clip_grad_norm_([p])).toThrow(
      new TypeErr("clip_grad_norm_() missing 1 required positional argument: 'max_norm'"),
    )
  })

  it('TransformerEncoder / TransformerDecoder take num_layers and norm by keyword', () => {
    const layer = nn.TransformerEncoderLayer(8, 2, { dim_feedforward: 16, batch_first: true })
    const enc = nn.TransformerEncoder(layer, { num_layers: 3, norm: nn.LayerNorm(8) })
    expect(enc.layers.length).toBe(3)
    expect(enc.norm).toBeInstanceOf(nn.LayerNorm)
    expect(String(enc.call(torch.rand(2, 5, 8)).shape)).toBe('torch.Size([2, 5, 8])')
    const dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, { dim_feedforward: 16 }), { num_layers: 2 })
    expect(dec.layers.length).toBe(2)
    expect(() => nn.TransformerEncoder(layer)).toThrow(
      new TypeErr("__init__() missing 1 required positional argument: 'num_layers'"),
    )
    expect(() => nn.TransformerEncoder(layer, 2, { layers: 1 } as never)).toThrow(
      new TypeErr("__init__() got an unexpected keyword argument 'layers'"),
    )
  })
})

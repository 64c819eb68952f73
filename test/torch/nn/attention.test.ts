/**
 * F.scaled_dot_product_attention, nn.MultiheadAttention and the Transformer layers against
 * PyTorch 1.13 (float64; fixture test/fixtures/torch/attention.json from attention.py beside it):
 * outputs, attention weights and the gradient of every parameter and input; PyTorch's errors.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import * as nn from '../../../src/torch/nn/index'

const F = nn.functional

interface Flat {
  shape: number[]
  data: number[]
  bool: boolean
}
type Maybe = Flat | null
interface Fixture {
  sdpa: Array<{
    kw: Record<string, unknown>
    q: Flat
    k: Flat
    v: Flat
    mask: Maybe
    y: Flat
    cot: Flat
    grads: Flat[]
  }>
  mha: Array<{
    kw: Record<string, unknown>
    fkw: Record<string, unknown>
    params: Record<string, Flat>
    q: Flat
    k: Flat
    v: Flat
    masks: Record<string, Flat>
    y: Flat
    w: Maybe
    cot: Flat
    wcot: Maybe
    grads: Record<string, Flat>
  }>
  transformer: Array<{
    kind: 'TransformerEncoderLayer' | 'TransformerDecoderLayer' | 'Transformer'
    wrap: 'encoder' | 'decoder' | null
    kw: Record<string, unknown>
    fkw: Record<string, Flat>
    params: Record<string, Flat>
    xs: Flat[]
    y: Flat
    cot: Flat
    grads: Record<string, Flat>
  }>
}
const FIX = JSON.parse(readFileSync(new URL('../../fixtures/torch/attention.json', import.meta.url), 'utf8')) as Fixture

const t = (f: Flat, requires_grad = false): torch.Tensor => {
  f.data = f.data.map(Number) // non-finite values are stored as strings
  if (f.bool) return torch.tensor(f.data.map((v) => v !== 0)).reshape(f.shape)
  return torch.tensor(f.data, { dtype: torch.float64 }).reshape(f.shape).detach().requires_grad_(requires_grad)
}
const flat = (x: torch.Tensor): number[] => {
  const v = x.tolist()
  return Array.isArray(v) ? (v.flat(5) as number[]) : [v as number]
}
const close = (x: torch.Tensor | null | undefined, f: Flat, tol = 1e-10): void => {
  expect(x).toBeTruthy()
  expect([...(x as torch.Tensor).shape]).toEqual(f.shape)
  const got = flat(x as torch.Tensor)
  const worst = Math.max(0, ...got.map((v, i) => Math.abs(v - (f.data[i] as number))))
  expect(worst).toBeLessThan(tol)
}
const load = (m: nn.Module, params: Record<string, Flat>): void => {
  expect(Object.keys(m.state_dict())).toEqual(Object.keys(params))
  m.load_state_dict(Object.fromEntries(Object.entries(params).map(([k, f]) => [k, t(f)])))
}
const checkGrads = (m: nn.Module, grads: Record<string, Flat>, inputs: Record<string, torch.Tensor>): void => {
  const named = Object.fromEntries(m.named_parameters())
  for (const [k, g] of Object.entries(grads)) close((inputs[k] ?? named[k])?.grad, g)
}

describe('F.scaled_dot_product_attention vs the PyTorch reference computation', () => {
  it.each(FIX.sdpa.map((c, i) => [`${i} ${JSON.stringify(c.kw)}${c.mask ? ' mask' : ''}`, c] as const))(
    '%s',
    (_, c) => {
      const [q, k, v] = [t(c.q, true), t(c.k, true), t(c.v, true)]
      const y = F.scaled_dot_product_attention(q, k, v, { attn_mask: c.mask === null ? null : t(c.mask), ...c.kw })
      close(y, c.y)
      y.mul(t(c.cot)).sum().backward()
      ;[q, k, v].forEach((x, i) => close(x.grad, c.grads[i] as Flat))
    },
  )

  it('errors and dropout', () => {
    const q = torch.randn(2, 3, 4)
    expect(() => F.scaled_dot_product_attention(q, q, q, { attn_mask: torch.zeros(3, 3), is_causal: true })).toThrow(
      '_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True',
    )
    const a = F.scaled_dot_product_attention(q, q, q, { dropout_p: 0.5 })
    const b = F.scaled_dot_product_attention(q, q, q)
    expect(flat(a)).not.toEqual(flat(b))
  })
})

describe('nn.MultiheadAttention vs PyTorch 1.13', () => {
  it.each(FIX.mha.map((c, i) => [`${i} ${JSON.stringify(c.kw)} ${Object.keys(c.masks).join(',')}`, c] as const))(
    '%s',
    (_, c) => {
      const m = nn.MultiheadAttention({ ...c.kw, dtype: torch.float64 } as never)
      load(m, c.params)
      const [q, k, v] = [t(c.q, true), t(c.k, true), t(c.v, true)]
      const masks = Object.fromEntries(Object.entries(c.masks).map(([n, f]) => [n, t(f)]))
      const [y, w] = m.call(q, k, v, { ...masks, ...c.fkw })
      close(y, c.y)
      if (c.w === null) expect(w).toBeNull()
      else close(w, c.w)
      let loss = y.mul(t(c.cot)).sum()
      if (w !== null && c.wcot !== null) loss = loss.add(w.mul(t(c.wcot)).sum())
      loss.backward()
      checkGrads(m, c.grads, { q, k, v })
    },
  )

  it('parameter layout and initialisation as PyTorch', () => {
    const m = nn.MultiheadAttention(6, 2, { kdim: 3, vdim: 5, add_bias_kv: true })
    expect([...m.named_parameters()].map(([k, p]) => `${k}:${p.shape.join('x')}`)).toEqual([
      'q_proj_weight:6x6',
      'k_proj_weight:6x3',
      'v_proj_weight:6x5',
      'in_proj_bias:18',
      'bias_k:1x1x6',
      'bias_v:1x1x6',
      'out_proj.weight:6x6',
      'out_proj.bias:6',
    ])
    expect(flat(m.in_proj_bias as torch.Tensor).every((x) => x === 0)).toBe(true)
    expect(String(m.out_proj)).toBe('NonDynamicallyQuantizableLinear(in_features=6, out_features=6, bias=True)')
    const bound = Math.sqrt(6 / (6 + 6))
    expect(Math.max(...flat(m.q_proj_weight as torch.Tensor).map(Math.abs))).toBeLessThanOrEqual(bound)
  })

  it('errors as PyTorch', () => {
    expect(() => nn.MultiheadAttention(5, 2)).toThrow('embed_dim must be divisible by num_heads')
    const m = nn.MultiheadAttention(4, 2)
    const x = torch.randn(3, 2, 4)
    expect(() => m.call(x, x, x, { attn_mask: torch.zeros(3, 4) })).toThrow(
      'The shape of the 2D attn_mask is torch.Size([3, 4]), but should be (3, 3).',
    )
    expect(() => m.call(x, torch.randn(3, 4), x)).toThrow(
      'For batched (3-D) `query`, expected `key` and `value` to be 3-D but found 2-D and 3-D tensors respectively',
    )
    expect(() => m.call(x, x, x, { is_causal: true })).toThrow('Need attn_mask if specifying the is_causal hint.')
  })
})

describe('Transformer layers vs PyTorch 1.13 (dropout 0)', () => {
  it.each(FIX.transformer.map((c, i) => [`${i} ${c.wrap ?? c.kind} ${JSON.stringify(c.kw)}`, c] as const))(
    '%s',
    (_, c) => {
      const kw = { ...c.kw, dtype: torch.float64 }
      let m: nn.Module
      if (c.wrap === 'encoder')
        m = nn.TransformerEncoder(nn.TransformerEncoderLayer(kw as never), 2, nn.LayerNorm(c.kw.d_model as number))
      else if (c.wrap === 'decoder') m = nn.TransformerDecoder(nn.TransformerDecoderLayer(kw as never), 2)
      else m = new (nn[c.kind] as unknown as new (kw: unknown) => nn.Module)(kw)
      m.double()
      load(m, c.params)
      const xs = c.xs.map((x) => t(x, true))
      const fkw = Object.fromEntries(
        Object.entries(c.fkw).map(([n, f]) => [c.wrap === 'encoder' && n === 'src_mask' ? 'mask' : n, t(f)]),
      )
      const y = m._call_impl([...xs, fkw]) as torch.Tensor
      close(y, c.y)
      y.mul(t(c.cot)).sum().backward()
      checkGrads(m, c.grads, Object.fromEntries(xs.map((x, i) => [`x${i}`, x])))
    },
  )
})

describe('Transformer API details', () => {
  it('takes forward masks positionally or by keyword, and rejects unknown ones', () => {
    const m = nn.Transformer({
      d_model: 8,
      nhead: 2,
      num_encoder_layers: 1,
      num_decoder_layers: 1,
      dim_feedforward: 8,
      dropout: 0,
    })
    const [src, tgt] = [torch.randn(5, 2, 8), torch.randn(3, 2, 8)]
    const mask = nn.Transformer.generate_square_subsequent_mask(3)
    const a = m.call(src, tgt, null, mask)
    const b = m.call(src, tgt, { tgt_mask: mask })
    expect(flat(a)).toEqual(flat(b))
    expect(() => m.call(src, tgt, { tgt_masks: mask } as never)).toThrow(
      "Transformer.forward() got an unexpected keyword argument 'tgt_masks'",
    )
    expect(() => m.call(src, torch.randn(3, 1, 8))).toThrow('the batch number of src and tgt must be equal')
  })

  it('TransformerEncoder accepts PyTorch’s enable_nested_tensor and mask_check; layers are independent copies', () => {
    const layer = nn.TransformerEncoderLayer(8, 2, 16, 0.0)
    const enc = nn.TransformerEncoder(layer, 2, null, false, false)
    expect(enc.enable_nested_tensor).toBe(false)
    const [l0, l1] = [enc.layers.at(0), enc.layers.at(1)]
    expect(l0.linear1.weight).not.toBe(l1.linear1.weight)
    expect(flat(l0.linear1.weight)).toEqual(flat(layer.linear1.weight))
    expect([...enc.parameters()].length).toBe(2 * [...layer.parameters()].length)
  })

  it('RNN.flatten_parameters is a no-op for ported code', () => {
    const lstm = nn.LSTM(2, 3)
    lstm.flatten_parameters()
    expect([...lstm.parameters()].length).toBe(4)
  })
})

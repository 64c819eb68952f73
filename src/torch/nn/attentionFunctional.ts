/**
 * Attention functions: `F.scaled_dot_product_attention` and `F.multi_head_attention_forward`
 * (the computation behind `nn.MultiheadAttention`), written with facade ops so autograd goes
 * through them.
 *
 * @category torch
 * @since 0.2.0
 */
import { empty, ones, zeros } from '../creation'
import { bool, type TorchDType } from '../dtype'
import { AssertionError, RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { tril } from '../linalg'
import { cat } from '../ops/functions'
import type { Tensor } from '../tensor'
import { checkedEntry } from './functionalArgs'

type T = Tensor

// NOTE: functional.ts re-exports this file, so `linear` and `dropout` are written here with
// tensor methods instead of importing them from functional.ts (which would be an import cycle).

/** `x wᵀ + b`. */
const linear = (x: T, w: T, b: T | null): T => (b === null ? x.matmul(w.t()) : x.matmul(w.t()).add(b))

/** Zeroes weights with probability `p` and scales the others by `1/(1 − p)`. */
const dropout = (x: T, p: number): T => {
  if (p === 1) return x.mul(0)
  const keep = empty(x.shape, { dtype: x.dtype }).bernoulli_(1 - p)
  return x.mul(keep).div(1 - p)
}

/** `torch.Size([a, b])` as PyTorch prints a shape. */
const size = (s: ReadonlyArray<number>): string => `torch.Size([${s.join(', ')}])`
/** `(a, b)` as Python prints a tuple. */
const tuple = (s: ReadonlyArray<number>): string => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`
const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i])

/** A bool mask (true = attend) or float mask (added) as an additive float bias. */
const asBias = (mask: T, like: T): T =>
  mask.dtype === bool ? zeros(mask.shape, { dtype: like.dtype }).masked_fill(mask.logical_not(), -Infinity) : mask

type SdpaKw = {
  readonly attn_mask?: T | null
  readonly dropout_p?: number
  readonly is_causal?: boolean
  readonly scale?: number | null
  readonly enable_gqa?: boolean
}

/**
 * `softmax(q kᵀ · scale + mask) v` over the last two dims (`query [..., L, E]`, `key [..., S, E]`,
 * `value [..., S, Ev]` → `[..., L, Ev]`). `attn_mask` is bool (true = take part) or float (added);
 * `is_causal` masks keys after each query (the top-left causal triangle); `scale` defaults to
 * `1/√E`; `dropout_p` drops attention weights (always, as PyTorch's function does); `enable_gqa`
 * repeats key/value heads (dim −3) to the query's head count.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * const q = torch.randn(2, 4, 8)
 * const out = F.scaled_dot_product_attention(q, q, q, { is_causal: true })
 * assert.strictEqual(String(out.shape), 'torch.Size([2, 4, 8])')
 * // the first query only sees the first key, so its output is the first value
 * assert.ok(out.select(1, 0).sub(q.select(1, 0)).abs().max().item() < 1e-6)
 * @category torch @since 0.2.0
 */
export const scaled_dot_product_attention = checkedEntry(
  'scaled_dot_product_attention',
  'Tensor query, Tensor key, Tensor value, Tensor? attn_mask = None',
  (
    query: T,
    key: T,
    value: T,
    ...rest: PyArgs<
      [attn_mask: T | null, dropout_p: number, is_causal: boolean, scale: number | null, enable_gqa: boolean],
      SdpaKw
    >
  ): T => {
    const a = parseArgs('scaled_dot_product_attention', rest, [
      'attn_mask',
      'dropout_p',
      'is_causal',
      'scale',
      'enable_gqa',
    ])
    const mask = (a.attn_mask as T | null | undefined) ?? null
    const p = (a.dropout_p as number | undefined) ?? 0
    if (a.is_causal === true && mask !== null)
      throw new RuntimeError('_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True')
    let k = key
    let v = value
    if (a.enable_gqa === true && query.dim() >= 3) {
      const hq = query.shape[query.dim() - 3] as number
      const hk = k.shape[k.dim() - 3] as number
      if (hq % hk !== 0)
        throw new RuntimeError(
          `Number of heads in key and value must divide the number of heads in query (got ${hk} and ${hq})`,
        )
      const rep = (t: T): T => {
        const d = t.dim() - 3
        const r = hq / (t.shape[d] as number)
        return r === 1
          ? t
          : t
              .unsqueeze(d + 1)
              .expand(...t.shape.slice(0, d + 1), r, ...t.shape.slice(d + 1))
              .flatten(d, d + 1)
      }
      k = rep(k)
      v = rep(v)
    }
    const E = query.shape[query.dim() - 1] as number
    const scale = (a.scale as number | null | undefined) ?? 1 / Math.sqrt(E)
    let w = query.matmul(k.transpose(-2, -1)).mul(scale)
    if (a.is_causal === true) {
      const L = query.shape[query.dim() - 2] as number
      const S = k.shape[k.dim() - 2] as number
      w = w.masked_fill(tril(ones([L, S], { dtype: bool })).logical_not(), -Infinity)
    } else if (mask !== null) w = w.add(asBias(mask, w))
    w = w.softmax(-1)
    if (p > 0) w = dropout(w, p)
    return w.matmul(v)
  },
  'native',
)

/** The checks of PyTorch's `_mha_shape_check`; true when batched. */
const mhaShapeCheck = (q: T, k: T, v: T, kpm: T | null, mask: T | null, heads: number): boolean => {
  const kind = q.dim() === 3 ? 'batched (3-D)' : 'unbatched (2-D)'
  if (q.dim() !== 3 && q.dim() !== 2)
    throw new AssertionError(`query should be unbatched 2D or batched 3D tensor but received ${q.dim()}-D query tensor`)
  const n = q.dim()
  if (k.dim() !== n || v.dim() !== n)
    throw new AssertionError(
      `For ${kind} \`query\`, expected \`key\` and \`value\` to be ${n}-D but found ${k.dim()}-D and ${v.dim()}-D tensors respectively`,
    )
  if (kpm !== null && kpm.dim() !== n - 1)
    throw new AssertionError(
      `For ${kind} \`query\`, expected \`key_padding_mask\` to be \`None\` or ${n - 1}-D but found ${kpm.dim()}-D tensor instead`,
    )
  if (mask !== null && mask.dim() !== 2 && mask.dim() !== 3)
    throw new AssertionError(
      `For ${kind} \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${mask.dim()}-D tensor instead`,
    )
  if (n === 2 && mask !== null && mask.dim() === 3) {
    const want = [heads, q.shape[0] as number, k.shape[0] as number]
    if (!sameShape(mask.shape, want))
      throw new AssertionError(`Expected \`attn_mask\` shape to be ${tuple(want)} but got ${size(mask.shape)}`)
  }
  return n === 3
}

/** The parameters of one multi-head attention call (PyTorch's positional arguments, by name). */
export interface MhaParams {
  readonly embed_dim_to_check: number
  readonly num_heads: number
  readonly in_proj_weight: T | null
  readonly in_proj_bias: T | null
  readonly bias_k: T | null
  readonly bias_v: T | null
  readonly add_zero_attn: boolean
  readonly dropout_p: number
  readonly out_proj_weight: T
  readonly out_proj_bias: T | null
  readonly training?: boolean
  readonly key_padding_mask?: T | null
  readonly need_weights?: boolean
  readonly attn_mask?: T | null
  readonly use_separate_proj_weight?: boolean
  readonly q_proj_weight?: T | null
  readonly k_proj_weight?: T | null
  readonly v_proj_weight?: T | null
  readonly average_attn_weights?: boolean
  readonly is_causal?: boolean
}

/** Input projections: one packed `[3E, E]` weight or three separate ones. */
const project = (q: T, k: T, v: T, p: MhaParams): [T, T, T] => {
  const [bq, bk, bv] = p.in_proj_bias === null ? [null, null, null] : (p.in_proj_bias.chunk(3) as [T, T, T])
  if (p.use_separate_proj_weight === true) {
    const w = (x: T | null | undefined, n: string): T => {
      if (x === null || x === undefined) throw new AssertionError(`use_separate_proj_weight is True but ${n} is None`)
      return x
    }
    return [
      linear(q, w(p.q_proj_weight, 'q_proj_weight'), bq),
      linear(k, w(p.k_proj_weight, 'k_proj_weight'), bk),
      linear(v, w(p.v_proj_weight, 'v_proj_weight'), bv),
    ]
  }
  if (p.in_proj_weight === null)
    throw new AssertionError('use_separate_proj_weight is False but in_proj_weight is None')
  const [wq, wk, wv] = p.in_proj_weight.chunk(3) as [T, T, T]
  return [linear(q, wq, bq), linear(k, wk, bk), linear(v, wv, bv)]
}

/** Checks `attn_mask` and returns it as `[1 or B·heads, L, S]`. */
const attnMask3d = (mask: T, L: number, S: number, bh: number): T => {
  if (mask.dtype !== bool && !mask.is_floating_point())
    throw new AssertionError(`Only float, byte, and bool types are supported for attn_mask, not ${mask.dtype}`)
  if (mask.dim() === 2) {
    if (!sameShape(mask.shape, [L, S]))
      throw new RuntimeError(`The shape of the 2D attn_mask is ${size(mask.shape)}, but should be ${tuple([L, S])}.`)
    return mask.unsqueeze(0)
  }
  if (mask.dim() === 3) {
    if (!sameShape(mask.shape, [bh, L, S]))
      throw new RuntimeError(
        `The shape of the 3D attn_mask is ${size(mask.shape)}, but should be ${tuple([bh, L, S])}.`,
      )
    return mask
  }
  throw new RuntimeError(`attn_mask's dimension ${mask.dim()} is not supported`)
}

/** Appends one column (false / 0) to a mask's last dim. */
/** A bool mask as the additive float mask it stands for (true → −∞); a float mask unchanged. */
const floatMask = (m: T, dtype: TorchDType): T =>
  m.dtype === bool ? zeros(m.shape, { dtype }).masked_fill(m, -Infinity) : m

const padMask = (m: T): T => cat([m, zeros([...m.shape.slice(0, -1), 1], { dtype: m.dtype })], -1)

/**
 * Multi-head attention as `nn.MultiheadAttention` computes it: inputs `[L, B, E]` (or unbatched
 * `[L, E]`), returns `[output, weights]` (weights `[B, L, S]` averaged over heads, per head with
 * `average_attn_weights: false`, null without `need_weights`). In PyTorch's masks, true (or −∞)
 * marks positions that may NOT be attended.
 * @category torch @since 0.2.0
 */
export const multi_head_attention_forward = checkedEntry(
  'multi_head_attention_forward',
  'Tensor query, Tensor key, Tensor value, int embed_dim_to_check, int num_heads, Tensor? in_proj_weight, Tensor? in_proj_bias, Tensor? bias_k, Tensor? bias_v, bool add_zero_attn, float dropout_p, Tensor out_proj_weight, Tensor? out_proj_bias',
  (query: T, key: T, value: T, p: MhaParams): [T, T | null] => {
    let kpm = p.key_padding_mask ?? null
    let mask = p.attn_mask ?? null
    const heads = p.num_heads
    if (p.is_causal === true && mask === null)
      throw new RuntimeError(
        'Need attn_mask if specifying the is_causal hint. You may use the Transformer module method `generate_square_subsequent_mask` to create this mask.',
      )
    const batched = mhaShapeCheck(query, key, value, kpm, mask, heads)
    let [q0, k0, v0] = batched ? [query, key, value] : [query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)]
    if (!batched && kpm !== null) kpm = kpm.unsqueeze(0)
    const [L, B, E] = [...q0.shape] as [number, number, number]
    if (kpm !== null && kpm.dtype !== bool && !kpm.is_floating_point())
      throw new AssertionError('only bool and floating types of key_padding_mask are supported')
    if (E !== p.embed_dim_to_check)
      throw new AssertionError(`was expecting embedding dimension of ${p.embed_dim_to_check}, but got ${E}`)
    const hd = Math.floor(E / heads)
    if (hd * heads !== E) throw new AssertionError(`embed_dim ${E} not divisible by num_heads ${heads}`)
    let [q, k, v] = project(q0, k0, v0, p)
    if (mask !== null) mask = attnMask3d(mask, L, k0.shape[0] as number, B * heads)
    if (p.bias_k !== null && p.bias_v !== null) {
      k = cat([k, p.bias_k.repeat(1, B, 1)])
      v = cat([v, p.bias_v.repeat(1, B, 1)])
      if (mask !== null) mask = padMask(mask)
      if (kpm !== null) kpm = padMask(kpm)
    }
    const heads3 = (t: T): T => t.reshape(t.shape[0] as number, B * heads, hd).transpose(0, 1)
    q = heads3(q)
    k = heads3(k)
    v = heads3(v)
    if (p.add_zero_attn) {
      k = cat([k, zeros([B * heads, 1, hd], { dtype: k.dtype })], 1)
      v = cat([v, zeros([B * heads, 1, hd], { dtype: v.dtype })], 1)
      if (mask !== null) mask = padMask(mask)
      if (kpm !== null) kpm = padMask(kpm)
    }
    const S = k.shape[1] as number
    if (kpm !== null) {
      if (!sameShape(kpm.shape, [B, S]))
        throw new AssertionError(`expecting key_padding_mask shape of ${tuple([B, S])}, but got ${size(kpm.shape)}`)
      const kp = kpm
        .reshape(B, 1, 1, S)
        .expand(-1, heads, -1, -1)
        .reshape(B * heads, 1, S)
      // PyTorch 2.x: both masks as floats (true → −∞), added
      mask = mask === null ? kp : floatMask(mask, q.dtype).add(floatMask(kp, q.dtype))
    }
    if (mask !== null) mask = floatMask(mask, q.dtype)
    let w = q.div(Math.sqrt(hd)).matmul(k.transpose(-2, -1))
    if (mask !== null) w = w.add(mask)
    w = w.softmax(-1)
    if (p.training !== false && p.dropout_p > 0) w = dropout(w, p.dropout_p)
    let out = w
      .matmul(v)
      .transpose(0, 1)
      .reshape(L * B, E)
    out = linear(out, p.out_proj_weight, p.out_proj_bias).reshape(L, B, E)
    if (p.need_weights === false) return [batched ? out : out.squeeze(1), null]
    let weights = w.reshape(B, heads, L, S)
    if (p.average_attn_weights !== false) weights = weights.sum(1).div(heads)
    return batched ? [out, weights] : [out.squeeze(1), weights.squeeze(0)]
  },
)

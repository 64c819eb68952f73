/**
 * `nn.MultiheadAttention` with PyTorch's parameters (`in_proj_weight` or `q_proj_weight`/
 * `k_proj_weight`/`v_proj_weight` when `kdim`/`vdim` differ, `in_proj_bias`, `out_proj`,
 * `bias_k`/`bias_v`), initialisation (xavier_uniform weights, zero biases) and forward options.
 *
 * @category torch
 * @since 0.2.0
 */
import { empty } from '../creation'
import { get_default_dtype, type TorchDType } from '../dtype'
import { AssertionError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { multi_head_attention_forward } from './attentionFunctional'
import * as init from './init'
import { Linear, required } from './layers'
import { Module } from './module'
import { Parameter } from './parameter'
import { pyClass } from './pyclass'

type T = Tensor

/** PyTorch's `NonDynamicallyQuantizableLinear` (a Linear under another name, as `out_proj` prints). */
class NonDynamicallyQuantizableLinear extends Linear {}
Object.defineProperty(NonDynamicallyQuantizableLinear, 'name', { value: 'NonDynamicallyQuantizableLinear' })

type MhaKw = {
  readonly embed_dim?: number
  readonly num_heads?: number
  readonly dropout?: number
  readonly bias?: boolean
  readonly add_bias_kv?: boolean
  readonly add_zero_attn?: boolean
  readonly kdim?: number | null
  readonly vdim?: number | null
  readonly batch_first?: boolean
  readonly device?: string | null
  readonly dtype?: TorchDType | null
}

/** Keyword arguments of `MultiheadAttention.forward`. */
type MhaForwardKw = {
  readonly key_padding_mask?: T | null
  readonly need_weights?: boolean
  readonly attn_mask?: T | null
  readonly average_attn_weights?: boolean
  readonly is_causal?: boolean
}

/** See {@link MultiheadAttention}. */
class MultiheadAttentionImpl extends Module {
  readonly embed_dim: number
  readonly kdim: number
  readonly vdim: number
  readonly _qkv_same_embed_dim: boolean
  readonly num_heads: number
  readonly dropout: number
  readonly batch_first: boolean
  readonly head_dim: number
  /** `[3·embed_dim, embed_dim]` (null when kdim/vdim differ from embed_dim). */
  in_proj_weight: Parameter | null = null
  /** `[embed_dim, embed_dim]` when kdim/vdim differ, else null. */
  q_proj_weight: Parameter | null = null
  /** `[embed_dim, kdim]` when kdim/vdim differ, else null. */
  k_proj_weight: Parameter | null = null
  /** `[embed_dim, vdim]` when kdim/vdim differ, else null. */
  v_proj_weight: Parameter | null = null
  /** `[3·embed_dim]` (null with `bias: false`). */
  in_proj_bias: Parameter | null = null
  /** The output projection. */
  out_proj: Linear
  /** `[1, 1, embed_dim]` with `add_bias_kv`, else null. */
  bias_k: Parameter | null = null
  /** `[1, 1, embed_dim]` with `add_bias_kv`, else null. */
  bias_v: Parameter | null = null
  readonly add_zero_attn: boolean

  constructor(
    ...args: PyArgs<
      [
        embed_dim: number,
        num_heads: number,
        dropout: number,
        bias: boolean,
        add_bias_kv: boolean,
        add_zero_attn: boolean,
        kdim: number | null,
        vdim: number | null,
        batch_first: boolean,
      ],
      MhaKw
    >
  ) {
    super()
    const names = ['embed_dim', 'num_heads', 'dropout', 'bias', 'add_bias_kv', 'add_zero_attn', 'kdim', 'vdim']
    const a = parseArgs('MultiheadAttention.__init__', args, [...names, 'batch_first', 'device', 'dtype'])
    required('MultiheadAttention.__init__', a, ['embed_dim', 'num_heads'])
    const E = a.embed_dim as number
    const dtype = (a.dtype as TorchDType | null | undefined) ?? get_default_dtype()
    this.embed_dim = E
    this.kdim = (a.kdim as number | null | undefined) ?? E
    this.vdim = (a.vdim as number | null | undefined) ?? E
    this._qkv_same_embed_dim = this.kdim === E && this.vdim === E
    this.num_heads = a.num_heads as number
    this.dropout = (a.dropout as number | undefined) ?? 0
    this.batch_first = (a.batch_first as boolean | undefined) ?? false
    this.head_dim = Math.floor(E / this.num_heads)
    if (this.head_dim * this.num_heads !== E) throw new AssertionError('embed_dim must be divisible by num_heads')
    const p = (shape: number[]): Parameter => new Parameter(empty(shape, { dtype }))
    if (this._qkv_same_embed_dim) this.in_proj_weight = p([3 * E, E])
    else {
      this.q_proj_weight = p([E, E])
      this.k_proj_weight = p([E, this.kdim])
      this.v_proj_weight = p([E, this.vdim])
    }
    const bias = (a.bias as boolean | undefined) ?? true
    if (bias) this.in_proj_bias = p([3 * E])
    this.out_proj = new NonDynamicallyQuantizableLinear(E, E, { bias, dtype })
    if (a.add_bias_kv === true) {
      this.bias_k = p([1, 1, E])
      this.bias_v = p([1, 1, E])
    }
    this.add_zero_attn = (a.add_zero_attn as boolean | undefined) ?? false
    this._reset_parameters()
  }

  /** xavier_uniform_ projection weights, zero biases, xavier_normal_ bias_k/bias_v. */
  _reset_parameters(): void {
    for (const w of [this.in_proj_weight, this.q_proj_weight, this.k_proj_weight, this.v_proj_weight])
      if (w !== null) init.xavier_uniform_(w)
    if (this.in_proj_bias !== null) {
      init.constant_(this.in_proj_bias, 0)
      if (this.out_proj.bias !== null) init.constant_(this.out_proj.bias, 0)
    }
    if (this.bias_k !== null) init.xavier_normal_(this.bias_k)
    if (this.bias_v !== null) init.xavier_normal_(this.bias_v)
  }

  /**
   * Attends `query` (`[L, B, E]`, `[B, L, E]` with batch_first, or `[L, E]`) to `key`/`value`;
   * returns `[output, weights]` (weights null with `need_weights: false`). In the masks, true
   * (or −∞) marks what may not be attended; `is_causal` is a hint that `attn_mask` is causal.
   */
  forward(
    query: T,
    key: T,
    value: T,
    ...rest: PyArgs<
      [
        key_padding_mask: T | null,
        need_weights: boolean,
        attn_mask: T | null,
        average_attn_weights: boolean,
        is_causal: boolean,
      ],
      MhaForwardKw
    >
  ): [T, T | null] {
    const a = parseArgs('MultiheadAttention.forward', rest, [
      'key_padding_mask',
      'need_weights',
      'attn_mask',
      'average_attn_weights',
      'is_causal',
    ])
    const batched = query.dim() === 3
    const tr = (t: T): T => (this.batch_first && batched ? t.transpose(1, 0) : t)
    const [out, w] = multi_head_attention_forward(tr(query), tr(key), tr(value), {
      embed_dim_to_check: this.embed_dim,
      num_heads: this.num_heads,
      in_proj_weight: this.in_proj_weight,
      in_proj_bias: this.in_proj_bias,
      bias_k: this.bias_k,
      bias_v: this.bias_v,
      add_zero_attn: this.add_zero_attn,
      dropout_p: this.dropout,
      out_proj_weight: this.out_proj.weight,
      out_proj_bias: this.out_proj.bias,
      training: this.training,
      key_padding_mask: (a.key_padding_mask as T | null | undefined) ?? null,
      need_weights: (a.need_weights as boolean | undefined) ?? true,
      attn_mask: (a.attn_mask as T | null | undefined) ?? null,
      use_separate_proj_weight: !this._qkv_same_embed_dim,
      q_proj_weight: this.q_proj_weight,
      k_proj_weight: this.k_proj_weight,
      v_proj_weight: this.v_proj_weight,
      average_attn_weights: (a.average_attn_weights as boolean | undefined) ?? true,
      is_causal: (a.is_causal as boolean | undefined) ?? false,
    })
    return [tr(out), w]
  }
}
/**
 * Multi-head attention (`Attention(Q, K, V)` over `num_heads` heads of size `embed_dim / num_heads`,
 * then `out_proj`). Returns `[output, attention weights averaged over heads]`.
 * @example
 * import * as torch from 'wengert/torch'
 * const mha = torch.nn.MultiheadAttention(8, 2, { batch_first: true })
 * const x = torch.randn(3, 5, 8)
 * const [out, w] = mha.call(x, x, x)
 * assert.strictEqual(String(out.shape), 'torch.Size([3, 5, 8])')
 * assert.strictEqual(String(w?.shape), 'torch.Size([3, 5, 5])')
 * assert.deepStrictEqual(Object.keys(mha.state_dict()), ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias'])
 * @category torch @since 0.2.0
 */
export const MultiheadAttention = pyClass(MultiheadAttentionImpl, 'MultiheadAttention')
/** An `nn.MultiheadAttention` instance. @category torch @since 0.2.0 */
export type MultiheadAttention = MultiheadAttentionImpl

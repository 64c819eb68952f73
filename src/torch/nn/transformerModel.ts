/**
 * `nn.Transformer`: the encoder-decoder model built from the layers in transformer.ts, with
 * `generate_square_subsequent_mask`.
 *
 * @category torch
 * @since 0.2.0
 */
import { ones, zeros } from '../creation'
import { bool, get_default_dtype, type TorchDType } from '../dtype'
import { RuntimeError } from '../errors'
import { parseArgs, pyParams, type PyArgs } from '../kwargs'
import { tril } from '../linalg'
import type { Tensor } from '../tensor'
import * as init from './init'
import { LayerNorm } from './layers'
import { Module } from './module'
import { pyClass } from './pyclass'
import {
  TransformerDecoder,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerEncoderLayer,
  type DecFwdKw,
  type LayerKw,
} from './transformer'

type T = Tensor

type TransformerKw = LayerKw & {
  readonly num_encoder_layers?: number
  readonly num_decoder_layers?: number
  readonly custom_encoder?: Module | null
  readonly custom_decoder?: Module | null
}

type TransformerFwdKw = DecFwdKw & {
  readonly src_mask?: T | null
  readonly src_key_padding_mask?: T | null
  readonly src_is_causal?: boolean | null
}
type TransformerFwdPos = [
  src_mask: T | null,
  tgt_mask: T | null,
  memory_mask: T | null,
  src_key_padding_mask: T | null,
  tgt_key_padding_mask: T | null,
  memory_key_padding_mask: T | null,
  src_is_causal: boolean | null,
  tgt_is_causal: boolean,
  memory_is_causal: boolean,
]
const TRANSFORMER_FWD = [
  'src_mask',
  'tgt_mask',
  'memory_mask',
  'src_key_padding_mask',
  'tgt_key_padding_mask',
  'memory_key_padding_mask',
  'src_is_causal',
  'tgt_is_causal',
  'memory_is_causal',
]

/** PyTorch 2.x's parameters of `Transformer.__init__`, in order (all may be given positionally). */
const TRANSFORMER_INIT = [
  'd_model',
  'nhead',
  'num_encoder_layers',
  'num_decoder_layers',
  'dim_feedforward',
  'dropout',
  'activation',
  'custom_encoder',
  'custom_decoder',
  'layer_norm_eps',
  'batch_first',
  'norm_first',
  'bias',
  'device',
  'dtype',
]
const parseTransformerArgs = pyParams('Transformer.__init__', TRANSFORMER_INIT, 0, 1)

/** See {@link Transformer}. */
class TransformerImpl extends Module {
  readonly encoder: Module
  readonly decoder: Module
  readonly d_model: number
  readonly nhead: number
  readonly batch_first: boolean
  constructor(kw: TransformerKw = {}) {
    super()
    const d = kw.d_model ?? 512
    const layerKw: LayerKw = {
      dim_feedforward: kw.dim_feedforward ?? 2048,
      dropout: kw.dropout ?? 0.1,
      activation: kw.activation ?? 'relu',
      layer_norm_eps: kw.layer_norm_eps ?? 1e-5,
      batch_first: kw.batch_first ?? false,
      norm_first: kw.norm_first ?? false,
      bias: kw.bias ?? true,
      dtype: kw.dtype ?? null,
    }
    const norm = (): LayerNorm =>
      new LayerNorm(d, { eps: kw.layer_norm_eps ?? 1e-5, bias: kw.bias ?? true, dtype: kw.dtype ?? null })
    const nhead = kw.nhead ?? 8
    this.encoder =
      kw.custom_encoder ??
      new TransformerEncoder(new TransformerEncoderLayer(d, nhead, layerKw), kw.num_encoder_layers ?? 6, norm())
    this.decoder =
      kw.custom_decoder ??
      new TransformerDecoder(new TransformerDecoderLayer(d, nhead, layerKw), kw.num_decoder_layers ?? 6, norm())
    for (const p of this.parameters()) if (p.dim() > 1) init.xavier_uniform_(p)
    this.d_model = d
    this.nhead = nhead
    this.batch_first = layerKw.batch_first === true
  }

  /** Encodes `src`, then decodes `tgt` attending to the encoding. */
  forward(src: T, tgt: T, ...rest: PyArgs<TransformerFwdPos, TransformerFwdKw>): T {
    const kw = parseArgs('Transformer.forward', rest, TRANSFORMER_FWD) as TransformerFwdKw
    const batched = src.dim() === 3
    const bdim = this.batch_first ? 0 : 1
    if (batched && src.shape[bdim] !== tgt.shape[bdim])
      throw new RuntimeError('the batch number of src and tgt must be equal')
    if (src.shape[src.dim() - 1] !== this.d_model || tgt.shape[tgt.dim() - 1] !== this.d_model)
      throw new RuntimeError('the feature number of src and tgt must be equal to d_model')
    const memory = this.encoder._call_impl([
      src,
      {
        mask: kw.src_mask ?? null,
        src_key_padding_mask: kw.src_key_padding_mask ?? null,
        is_causal: kw.src_is_causal ?? null,
      },
    ]) as T
    const { src_mask: _s, src_key_padding_mask: _k, src_is_causal: _c, ...dec } = kw
    return this.decoder._call_impl([tgt, memory, dec]) as T
  }

  /** A `[sz, sz]` float mask: 0 on and below the diagonal, −∞ above (each position sees only earlier ones). */
  static generate_square_subsequent_mask(
    sz: number,
    kw: { readonly dtype?: TorchDType; readonly device?: string } = {},
  ): T {
    // NOTE: masked_fill rather than triu(full(−∞)): triu multiplies by a 0/1 mask, and 0·(−∞) is NaN
    const above = tril(ones([sz, sz], { dtype: bool })).logical_not()
    return zeros([sz, sz], { dtype: kw.dtype ?? get_default_dtype() }).masked_fill(above, -Infinity)
  }
}
/**
 * The full encoder-decoder Transformer (d_model 512, nhead 8, 6 + 6 layers by default; options as a
 * keyword object). `Transformer.generate_square_subsequent_mask(n)` builds the causal mask.
 * @example
 * import * as torch from 'wengert/torch'
 * const mask = torch.nn.Transformer.generate_square_subsequent_mask(3)
 * assert.deepStrictEqual(mask.tolist(), [[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]])
 * const model = torch.nn.Transformer({ d_model: 8, nhead: 2, num_encoder_layers: 1, num_decoder_layers: 1, dim_feedforward: 16 })
 * assert.strictEqual(String(model.call(torch.rand(5, 2, 8), torch.rand(3, 2, 8), { tgt_mask: mask }).shape), 'torch.Size([3, 2, 8])')
 * @category torch @since 0.2.0
 */
export const Transformer = pyClass(TransformerImpl, 'Transformer', (args) => {
  const values = parseTransformerArgs(args)
  return [Object.fromEntries(TRANSFORMER_INIT.flatMap((k, i) => (values[i] === undefined ? [] : [[k, values[i]]])))]
})
/** An `nn.Transformer` instance. @category torch @since 0.2.0 */
export type Transformer = TransformerImpl

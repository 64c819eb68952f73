/**
 * Transformer layers as PyTorch builds them: `TransformerEncoderLayer`, `TransformerDecoderLayer`
 * (post-norm by default, `norm_first` for pre-norm), `TransformerEncoder`/`TransformerDecoder`
 * (deep copies of one layer, optional final norm) and `Transformer` with
 * `generate_square_subsequent_mask` (in transformerModel.ts). Submodule names match PyTorch's, so state dicts load as is.
 *
 * @category torch
 * @since 0.2.0
 */
import { get_default_dtype, type TorchDType } from '../dtype'
import { RuntimeError } from '../errors'
import { leadingKeywords, parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { MultiheadAttention } from './attention'
import { ModuleList } from './container'
import * as F from './functional'
import { Dropout, LayerNorm, Linear, required } from './layers'
import { deepcopy } from '../copy'
import { Module } from './module'
import { pyClass } from './pyclass'

type T = Tensor
/** A Transformer feed-forward activation: `'relu'`, `'gelu'`, a function of one tensor or a module. */
export type Activation = 'relu' | 'gelu' | ((x: T) => T) | Module

/** Keyword arguments of the Transformer layers. */
export type LayerKw = {
  readonly d_model?: number
  readonly nhead?: number
  readonly dim_feedforward?: number
  readonly dropout?: number
  readonly activation?: Activation
  readonly layer_norm_eps?: number
  readonly batch_first?: boolean
  readonly norm_first?: boolean
  readonly bias?: boolean
  readonly device?: string | null
  readonly dtype?: TorchDType | null
}
type LayerArgs = PyArgs<
  [
    d_model: number,
    nhead: number,
    dim_feedforward: number,
    dropout: number,
    activation: Activation,
    layer_norm_eps: number,
    batch_first: boolean,
    norm_first: boolean,
    bias: boolean,
  ],
  LayerKw
>
const LAYER_NAMES = [
  'd_model',
  'nhead',
  'dim_feedforward',
  'dropout',
  'activation',
  'layer_norm_eps',
  'batch_first',
  'norm_first',
  'bias',
  'device',
  'dtype',
]

const activationFn = (a: Activation): ((x: T) => T) => {
  if (a === 'relu') return (x) => F.relu(x)
  if (a === 'gelu') return (x) => F.gelu(x)
  // a Module is callable too (a function object): test it first so its hooks run through _call_impl
  if (a instanceof Module) return (x) => a._call_impl([x]) as T
  if (typeof a === 'function') return a as (x: T) => T
  throw new RuntimeError(`activation should be relu/gelu, not ${String(a)}`)
}

/** The parts both layer kinds share. */
abstract class LayerBase extends Module {
  readonly norm_first: boolean
  /** The feed-forward activation. */
  activation: (x: T) => T
  declare linear1: Linear
  declare dropout: Dropout
  declare linear2: Linear

  constructor(name: string, args: ReadonlyArray<unknown>) {
    super()
    const a = parseArgs(`${name}.__init__`, args, LAYER_NAMES)
    required(`${name}.__init__`, a, ['d_model', 'nhead'])
    const d = a.d_model as number
    const p = (a.dropout as number | undefined) ?? 0.1
    const bias = (a.bias as boolean | undefined) ?? true
    const dtype = (a.dtype as TorchDType | null | undefined) ?? get_default_dtype()
    const ff = (a.dim_feedforward as number | undefined) ?? 2048
    const eps = (a.layer_norm_eps as number | undefined) ?? 1e-5
    const mha = (): MultiheadAttention =>
      new MultiheadAttention(d, a.nhead as number, { dropout: p, bias, batch_first: a.batch_first === true, dtype })
    this.self_attn = mha()
    if (name === 'TransformerDecoderLayer') this.multihead_attn = mha()
    this.linear1 = new Linear(d, ff, { bias, dtype })
    this.dropout = new Dropout(p)
    this.linear2 = new Linear(ff, d, { bias, dtype })
    this.norm_first = (a.norm_first as boolean | undefined) ?? false
    const norms = name === 'TransformerDecoderLayer' ? 3 : 2
    for (let i = 1; i <= norms; i++) this.add_module(`norm${i}`, new LayerNorm(d, { eps, bias, dtype }))
    for (let i = 1; i <= norms; i++) this.add_module(`dropout${i}`, new Dropout(p))
    this.activation = activationFn((a.activation as Activation | undefined) ?? 'relu')
  }
  declare self_attn: MultiheadAttention
  declare multihead_attn: MultiheadAttention

  /** @internal `linear2(dropout(activation(linear1(x))))`, then the last dropout. */
  _ff(x: T, drop: Dropout): T {
    return drop.call(this.linear2.call(this.dropout.call(this.activation(this.linear1.call(x)))))
  }

  /** @internal Attention block: attends `x` to `mem` and applies `drop`. */
  _attn(attn: MultiheadAttention, x: T, mem: T, mask: T | null, kpm: T | null, causal: boolean, drop: Dropout): T {
    const [out] = attn.call(x, mem, mem, {
      attn_mask: mask,
      key_padding_mask: kpm,
      need_weights: false,
      is_causal: causal && mask !== null,
    })
    return drop.call(out)
  }

  /** @internal A submodule by name (the norms and dropouts are registered with `add_module`). */
  _m<M extends Module>(name: string): M {
    return this._attrs()[name] as M
  }
}

type EncFwdKw = { readonly src_mask?: T | null; readonly src_key_padding_mask?: T | null; readonly is_causal?: boolean }

/** See {@link TransformerEncoderLayer}. */
class TransformerEncoderLayerImpl extends LayerBase {
  constructor(...args: LayerArgs) {
    super('TransformerEncoderLayer', args)
  }
  /** Self-attention block then feed-forward block, each with a residual connection and LayerNorm. */
  forward(
    src: T,
    ...rest: PyArgs<[src_mask: T | null, src_key_padding_mask: T | null, is_causal: boolean], EncFwdKw>
  ): T {
    const a = parseArgs('TransformerEncoderLayer.forward', rest, ['src_mask', 'src_key_padding_mask', 'is_causal'])
    const mask = (a.src_mask as T | null | undefined) ?? null
    const kpm = (a.src_key_padding_mask as T | null | undefined) ?? null
    const [n1, n2] = [this._m<LayerNorm>('norm1'), this._m<LayerNorm>('norm2')]
    const [d1, d2] = [this._m<Dropout>('dropout1'), this._m<Dropout>('dropout2')]
    const sa = (x: T): T => this._attn(this.self_attn, x, x, mask, kpm, a.is_causal === true, d1)
    let x = src
    if (this.norm_first) {
      x = x.add(sa(n1.call(x)))
      return x.add(this._ff(n2.call(x), d2))
    }
    x = n1.call(x.add(sa(x)))
    return n2.call(x.add(this._ff(x, d2)))
  }
}
/**
 * One Transformer encoder layer (self-attention and a feed-forward network with residuals and
 * LayerNorm; dim_feedforward 2048, dropout 0.1, relu by default).
 * @example
 * import * as torch from 'wengert/torch'
 * const layer = torch.nn.TransformerEncoderLayer({ d_model: 8, nhead: 2, dim_feedforward: 16 })
 * assert.strictEqual(String(layer.call(torch.rand(5, 3, 8)).shape), 'torch.Size([5, 3, 8])')
 * @category torch @since 0.2.0
 */
export const TransformerEncoderLayer = pyClass(TransformerEncoderLayerImpl, 'TransformerEncoderLayer')
/** An `nn.TransformerEncoderLayer` instance. @category torch @since 0.2.0 */
export type TransformerEncoderLayer = TransformerEncoderLayerImpl

/** Keyword arguments of the decoder's forward. */
export type DecFwdKw = {
  readonly tgt_mask?: T | null
  readonly memory_mask?: T | null
  readonly tgt_key_padding_mask?: T | null
  readonly memory_key_padding_mask?: T | null
  readonly tgt_is_causal?: boolean
  readonly memory_is_causal?: boolean
}
type DecFwdArgs = PyArgs<
  [
    tgt_mask: T | null,
    memory_mask: T | null,
    tgt_key_padding_mask: T | null,
    memory_key_padding_mask: T | null,
    tgt_is_causal: boolean,
    memory_is_causal: boolean,
  ],
  DecFwdKw
>
const DEC_NAMES = [
  'tgt_mask',
  'memory_mask',
  'tgt_key_padding_mask',
  'memory_key_padding_mask',
  'tgt_is_causal',
  'memory_is_causal',
]
const decArgs = (fn: string, rest: ReadonlyArray<unknown>): Record<string, unknown> => parseArgs(fn, rest, DEC_NAMES)
const opt = (u: unknown): T | null => (u as T | null | undefined) ?? null

/** See {@link TransformerDecoderLayer}. */
class TransformerDecoderLayerImpl extends LayerBase {
  constructor(...args: LayerArgs) {
    super('TransformerDecoderLayer', args)
  }
  /** Self-attention, attention to `memory`, then feed-forward, each with a residual and LayerNorm. */
  forward(tgt: T, memory: T, ...rest: DecFwdArgs): T {
    const a = decArgs('TransformerDecoderLayer.forward', rest)
    const [n1, n2, n3] = ['norm1', 'norm2', 'norm3'].map((n) => this._m<LayerNorm>(n)) as [
      LayerNorm,
      LayerNorm,
      LayerNorm,
    ]
    const [d1, d2, d3] = ['dropout1', 'dropout2', 'dropout3'].map((n) => this._m<Dropout>(n)) as [
      Dropout,
      Dropout,
      Dropout,
    ]
    const sa = (x: T): T =>
      this._attn(this.self_attn, x, x, opt(a.tgt_mask), opt(a.tgt_key_padding_mask), a.tgt_is_causal === true, d1)
    const ca = (x: T): T =>
      this._attn(
        this.multihead_attn,
        x,
        memory,
        opt(a.memory_mask),
        opt(a.memory_key_padding_mask),
        a.memory_is_causal === true,
        d2,
      )
    let x = tgt
    if (this.norm_first) {
      x = x.add(sa(n1.call(x)))
      x = x.add(ca(n2.call(x)))
      return x.add(this._ff(n3.call(x), d3))
    }
    x = n1.call(x.add(sa(x)))
    x = n2.call(x.add(ca(x)))
    return n3.call(x.add(this._ff(x, d3)))
  }
}
/**
 * One Transformer decoder layer (self-attention, attention to the encoder's memory, feed-forward).
 * @example
 * import * as torch from 'wengert/torch'
 * const layer = torch.nn.TransformerDecoderLayer(8, 2, { batch_first: true })
 * assert.strictEqual(String(layer.call(torch.rand(3, 4, 8), torch.rand(3, 6, 8)).shape), 'torch.Size([3, 4, 8])')
 * @category torch @since 0.2.0
 */
export const TransformerDecoderLayer = pyClass(TransformerDecoderLayerImpl, 'TransformerDecoderLayer')
/** An `nn.TransformerDecoderLayer` instance. @category torch @since 0.2.0 */
export type TransformerDecoderLayer = TransformerDecoderLayerImpl

/** See {@link TransformerEncoder}. */
class TransformerEncoderImpl extends Module {
  readonly layers: ModuleList<TransformerEncoderLayer>
  readonly num_layers: number
  readonly norm: Module | null
  /** Accepted for PyTorch's signature; nested tensors are only a speed-up there, so there is nothing to enable here. */
  readonly enable_nested_tensor: boolean
  constructor(
    encoder_layer: TransformerEncoderLayer,
    ...rest: PyArgs<
      [num_layers: number, norm: Module | null, enable_nested_tensor: boolean, mask_check: boolean],
      {
        readonly num_layers?: number
        readonly norm?: Module | null
        readonly enable_nested_tensor?: boolean
        readonly mask_check?: boolean
      }
    >
  ) {
    super()
    const a = parseArgs('__init__', rest, ['num_layers', 'norm', 'enable_nested_tensor', 'mask_check'])
    required('__init__', a, ['num_layers'])
    const num_layers = a.num_layers as number
    const norm = (a.norm as Module | null | undefined) ?? null
    this.enable_nested_tensor = (a.enable_nested_tensor as boolean | undefined) ?? true
    this.layers = new ModuleList(Array.from({ length: num_layers }, () => deepcopy(encoder_layer)))
    this.num_layers = num_layers
    this.norm = norm
  }
  /** Runs the layers in turn, then `norm` if given. */
  forward(
    src: T,
    ...rest: PyArgs<
      [mask: T | null, src_key_padding_mask: T | null, is_causal: boolean | null],
      Record<string, unknown>
    >
  ): T {
    const a = parseArgs('TransformerEncoder.forward', rest, ['mask', 'src_key_padding_mask', 'is_causal'])
    let x = src
    for (const layer of this.layers)
      x = layer.call(x, {
        src_mask: opt(a.mask),
        src_key_padding_mask: opt(a.src_key_padding_mask),
        is_causal: a.is_causal === true,
      })
    return this.norm === null ? x : (this.norm._call_impl([x]) as T)
  }
}
/**
 * A stack of `num_layers` copies of an encoder layer (each with its own parameters), then `norm`.
 * @category torch @since 0.2.0
 */
export const TransformerEncoder = pyClass(
  TransformerEncoderImpl,
  'TransformerEncoder',
  leadingKeywords('TransformerEncoder.__init__', ['encoder_layer']),
)
/** An `nn.TransformerEncoder` instance. @category torch @since 0.2.0 */
export type TransformerEncoder = TransformerEncoderImpl

/** See {@link TransformerDecoder}. */
class TransformerDecoderImpl extends Module {
  readonly layers: ModuleList<TransformerDecoderLayer>
  readonly num_layers: number
  readonly norm: Module | null
  constructor(
    decoder_layer: TransformerDecoderLayer,
    ...rest: PyArgs<
      [num_layers: number, norm: Module | null],
      { readonly num_layers?: number; readonly norm?: Module | null }
    >
  ) {
    super()
    const a = parseArgs('__init__', rest, ['num_layers', 'norm'])
    required('__init__', a, ['num_layers'])
    const num_layers = a.num_layers as number
    const norm = (a.norm as Module | null | undefined) ?? null
    this.layers = new ModuleList(Array.from({ length: num_layers }, () => deepcopy(decoder_layer)))
    this.num_layers = num_layers
    this.norm = norm
  }
  /** Runs the layers in turn (each attending to `memory`), then `norm` if given. */
  forward(tgt: T, memory: T, ...rest: DecFwdArgs): T {
    const a = decArgs('TransformerDecoder.forward', rest)
    let x = tgt
    for (const layer of this.layers) x = layer.call(x, memory, a as DecFwdKw)
    return this.norm === null ? x : (this.norm._call_impl([x]) as T)
  }
}
/**
 * A stack of `num_layers` copies of a decoder layer, then `norm`.
 * @category torch @since 0.2.0
 */
export const TransformerDecoder = pyClass(
  TransformerDecoderImpl,
  'TransformerDecoder',
  leadingKeywords('TransformerDecoder.__init__', ['decoder_layer']),
)
/** An `nn.TransformerDecoder` instance. @category torch @since 0.2.0 */
export type TransformerDecoder = TransformerDecoderImpl

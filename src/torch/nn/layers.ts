/**
 * Layers: `Linear`, `Identity`, `Flatten`, activations, `Dropout`, `Embedding`, `LayerNorm`.
 * Each is a class callable with or without `new` (`nn.Linear(1, 3)` as in Python), with Python's
 * keyword arguments as an options object passed last (`nn.Linear(2, 3, { bias: false })`).
 *
 * @category torch
 * @since 0.1.0
 */
import { no_grad } from '../autograd/grad_mode'
import { empty } from '../creation'
import { get_default_dtype, type TorchDType } from '../dtype'
import { AssertionError, TorchTypeError, TorchValueError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import * as F from './functional'
import * as init from './init'
import { Module } from './module'
import { Parameter } from './parameter'
import { pyClass } from './pyclass'

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** Raises Python's TypeError for missing required arguments. */
export const required = (fn: string, a: Record<string, unknown>, names: ReadonlyArray<string>): void => {
  const missing = names.filter((n) => a[n] === undefined)
  if (missing.length === 0) return
  const quoted = missing.map((n) => `'${n}'`)
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`
  throw new TorchTypeError(
    `${fn}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${list}`,
  )
}

/** Python's `repr` of a float (`1e-05`, `0.5`, `2.0`). */
export const pyFloat = (v: number): string => {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf'
  const [m, e] = v.toExponential().split('e') as [string, string]
  const exp = Number(e)
  if (exp < -4 || exp >= 16) return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  const s = String(v)
  return s.includes('.') || s.includes('e') ? s : `${s}.0`
}

const pyBool = (b: boolean): string => (b ? 'True' : 'False')

type FactoryOpts = { readonly device?: string | null; readonly dtype?: TorchDType | null }
const dtypeOf = (a: Record<string, unknown>): TorchDType =>
  (a.dtype as TorchDType | null | undefined) ?? get_default_dtype()

// -------------------------------------------------------------------------------------
// Linear, Identity, Flatten
// -------------------------------------------------------------------------------------

type LinearKw = FactoryOpts & { readonly in_features?: number; readonly out_features?: number; readonly bias?: boolean }

/** See {@link Linear}. */
class LinearImpl extends Module {
  /** Size of each input sample. */
  readonly in_features: number
  /** Size of each output sample. */
  readonly out_features: number
  /** `[out_features, in_features]`, initialised U(−1/√in, 1/√in). */
  weight: Parameter
  /** `[out_features]`, initialised U(−1/√in, 1/√in); null with `bias: false`. */
  bias: Parameter | null

  constructor(
    ...args: PyArgs<
      [in_features: number, out_features: number, bias: boolean, device: string | null, dtype: TorchDType | null],
      LinearKw
    >
  ) {
    super()
    const a = parseArgs('Linear.__init__', args, ['in_features', 'out_features', 'bias', 'device', 'dtype'])
    required('Linear.__init__', a, ['in_features', 'out_features'])
    this.in_features = a.in_features as number
    this.out_features = a.out_features as number
    const dtype = dtypeOf(a)
    this.weight = new Parameter(empty([this.out_features, this.in_features], { dtype }))
    this.bias = (a.bias ?? true) ? new Parameter(empty([this.out_features], { dtype })) : null
    this.reset_parameters()
  }

  /** PyTorch's initialisation: kaiming_uniform_(a = √5) for the weight, U(−1/√in, 1/√in) for the bias. */
  reset_parameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) })
    if (this.bias !== null) {
      const fanIn = this.in_features
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0
      init.uniform_(this.bias, -bound, bound)
    }
  }

  /** `input · weightᵀ + bias`. */
  forward(input: Tensor): Tensor {
    return F.linear(input, this.weight, this.bias)
  }

  override extra_repr(): string {
    return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${pyBool(this.bias !== null)}`
  }
}

/**
 * Affine layer `y = x Wᵀ + b` with `W: [out_features, in_features]`; weight and bias start as
 * U(−1/√in, 1/√in) (PyTorch's kaiming_uniform with a = √5).
 * @example
 * import * as torch from 'wengert/torch'
 * const fc = torch.nn.Linear(4, 2)
 * assert.strictEqual(String(fc.weight.shape), 'torch.Size([2, 4])')
 * assert.strictEqual(String(fc.call(torch.ones(3, 4)).shape), 'torch.Size([3, 2])')
 * assert.strictEqual(String(fc), 'Linear(in_features=4, out_features=2, bias=True)')
 * @category torch @since 0.1.0
 */
export const Linear = pyClass(LinearImpl, 'Linear')
/** An `nn.Linear` instance. @category torch @since 0.1.0 */
export type Linear = LinearImpl

/** See {@link Identity}. */
class IdentityImpl extends Module {
  constructor(..._args: unknown[]) {
    super()
  }
  /** Returns `input`. */
  forward(input: Tensor): Tensor {
    return input
  }
}
/** A placeholder layer that returns its input (arguments are ignored). @category torch @since 0.1.0 */
export const Identity = pyClass(IdentityImpl, 'Identity')
/** An `nn.Identity` instance. @category torch @since 0.1.0 */
export type Identity = IdentityImpl

/** See {@link Flatten}. */
class FlattenImpl extends Module {
  readonly start_dim: number
  readonly end_dim: number
  constructor(
    ...args: PyArgs<[start_dim: number, end_dim: number], { readonly start_dim?: number; readonly end_dim?: number }>
  ) {
    super()
    const a = parseArgs('Flatten.__init__', args, ['start_dim', 'end_dim'])
    this.start_dim = (a.start_dim as number | undefined) ?? 1
    this.end_dim = (a.end_dim as number | undefined) ?? -1
  }
  /** `input.flatten(start_dim, end_dim)`. */
  forward(input: Tensor): Tensor {
    return input.flatten(this.start_dim, this.end_dim)
  }
  override extra_repr(): string {
    return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`
  }
}
/** Flattens dims `start_dim..end_dim` (default 1..−1) into one. @category torch @since 0.1.0 */
export const Flatten = pyClass(FlattenImpl, 'Flatten')
/** An `nn.Flatten` instance. @category torch @since 0.1.0 */
export type Flatten = FlattenImpl

// -------------------------------------------------------------------------------------
// activations
// -------------------------------------------------------------------------------------

/** See {@link ReLU}. */
class ReLUImpl extends Module {
  readonly inplace: boolean
  constructor(...args: PyArgs<[inplace: boolean], { readonly inplace?: boolean }>) {
    super()
    this.inplace = (parseArgs('ReLU.__init__', args, ['inplace']).inplace as boolean | undefined) ?? false
  }
  /** `max(input, 0)`. */
  forward(input: Tensor): Tensor {
    return F.relu(input, this.inplace)
  }
  override extra_repr(): string {
    return this.inplace ? 'inplace=True' : ''
  }
}
/** `max(x, 0)` as a layer. @category torch @since 0.1.0 */
export const ReLU = pyClass(ReLUImpl, 'ReLU')
/** An `nn.ReLU` instance. @category torch @since 0.1.0 */
export type ReLU = ReLUImpl

/** See {@link Tanh}. */
class TanhImpl extends Module {
  constructor(...args: PyArgs<[], Record<string, never>>) {
    super()
    parseArgs('Tanh.__init__', args, [])
  }
  /** `tanh(input)`. */
  forward(input: Tensor): Tensor {
    return F.tanh(input)
  }
}
/** Hyperbolic tangent as a layer. @category torch @since 0.1.0 */
export const Tanh = pyClass(TanhImpl, 'Tanh')
/** An `nn.Tanh` instance. @category torch @since 0.1.0 */
export type Tanh = TanhImpl

/** See {@link Sigmoid}. */
class SigmoidImpl extends Module {
  constructor(...args: PyArgs<[], Record<string, never>>) {
    super()
    parseArgs('Sigmoid.__init__', args, [])
  }
  /** `σ(input)`. */
  forward(input: Tensor): Tensor {
    return F.sigmoid(input)
  }
}
/** Logistic sigmoid as a layer. @category torch @since 0.1.0 */
export const Sigmoid = pyClass(SigmoidImpl, 'Sigmoid')
/** An `nn.Sigmoid` instance. @category torch @since 0.1.0 */
export type Sigmoid = SigmoidImpl

/** A layer applying a function along one `dim` (Softmax, LogSoftmax). */
abstract class AlongDim extends Module {
  readonly dim: number | null
  constructor(layer: string, args: PyArgs<[dim: number | null], { readonly dim?: number | null }>) {
    super()
    this.dim = (parseArgs(`${layer}.__init__`, args, ['dim']).dim as number | null | undefined) ?? null
  }
  override extra_repr(): string {
    return `dim=${this.dim === null ? 'None' : this.dim}`
  }
}

/** See {@link Softmax}. */
class SoftmaxImpl extends AlongDim {
  constructor(...args: PyArgs<[dim: number | null], { readonly dim?: number | null }>) {
    super('Softmax', args)
  }
  /** `softmax(input, dim)`. */
  forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim)
  }
}
/** Softmax along `dim` as a layer. @category torch @since 0.1.0 */
export const Softmax = pyClass(SoftmaxImpl, 'Softmax')
/** An `nn.Softmax` instance. @category torch @since 0.1.0 */
export type Softmax = SoftmaxImpl

/** See {@link LogSoftmax}. */
class LogSoftmaxImpl extends AlongDim {
  constructor(...args: PyArgs<[dim: number | null], { readonly dim?: number | null }>) {
    super('LogSoftmax', args)
  }
  /** `log_softmax(input, dim)`. */
  forward(input: Tensor): Tensor {
    return F.log_softmax(input, this.dim)
  }
}
/** Log-softmax along `dim` as a layer. @category torch @since 0.1.0 */
export const LogSoftmax = pyClass(LogSoftmaxImpl, 'LogSoftmax')
/** An `nn.LogSoftmax` instance. @category torch @since 0.1.0 */
export type LogSoftmax = LogSoftmaxImpl

/** See {@link LeakyReLU}. */
class LeakyReLUImpl extends Module {
  readonly negative_slope: number
  readonly inplace: boolean
  constructor(
    ...args: PyArgs<
      [negative_slope: number, inplace: boolean],
      { readonly negative_slope?: number; readonly inplace?: boolean }
    >
  ) {
    super()
    const a = parseArgs('LeakyReLU.__init__', args, ['negative_slope', 'inplace'])
    this.negative_slope = (a.negative_slope as number | undefined) ?? 0.01
    this.inplace = (a.inplace as boolean | undefined) ?? false
  }
  /** `leaky_relu(input, negative_slope)`. */
  forward(input: Tensor): Tensor {
    return F.leaky_relu(input, this.negative_slope, this.inplace)
  }
  override extra_repr(): string {
    return `negative_slope=${pyFloat(this.negative_slope)}${this.inplace ? ', inplace=True' : ''}`
  }
}
/** `x` for x > 0, else `negative_slope·x` (default 0.01), as a layer. @category torch @since 0.1.0 */
export const LeakyReLU = pyClass(LeakyReLUImpl, 'LeakyReLU')
/** An `nn.LeakyReLU` instance. @category torch @since 0.1.0 */
export type LeakyReLU = LeakyReLUImpl

/** See {@link GELU}. */
class GELUImpl extends Module {
  readonly approximate: 'none' | 'tanh'
  constructor(...args: PyArgs<[approximate: 'none' | 'tanh'], { readonly approximate?: 'none' | 'tanh' }>) {
    super()
    this.approximate =
      (parseArgs('GELU.__init__', args, ['approximate']).approximate as 'none' | 'tanh' | undefined) ?? 'none'
  }
  /** `gelu(input)`. */
  forward(input: Tensor): Tensor {
    return F.gelu(input, { approximate: this.approximate })
  }
  override extra_repr(): string {
    return `approximate='${this.approximate}'`
  }
}
/** Gaussian error linear unit as a layer (`approximate: 'tanh'` for the tanh form). @category torch @since 0.1.0 */
export const GELU = pyClass(GELUImpl, 'GELU')
/** An `nn.GELU` instance. @category torch @since 0.1.0 */
export type GELU = GELUImpl

// -------------------------------------------------------------------------------------
// Dropout
// -------------------------------------------------------------------------------------

/** See {@link Dropout}. */
class DropoutImpl extends Module {
  readonly p: number
  readonly inplace: boolean
  constructor(...args: PyArgs<[p: number, inplace: boolean], { readonly p?: number; readonly inplace?: boolean }>) {
    super()
    const a = parseArgs('_DropoutNd.__init__', args, ['p', 'inplace'])
    const p = (a.p as number | undefined) ?? 0.5
    if (!(p >= 0 && p <= 1)) throw new TorchValueError(`dropout probability has to be between 0 and 1, but got ${p}`)
    this.p = p
    this.inplace = (a.inplace as boolean | undefined) ?? false
  }
  /** Zeroes elements with probability p (scaling the rest by 1/(1 − p)) in training mode; identity in eval mode. */
  forward(input: Tensor): Tensor {
    return F.dropout(input, this.p, this.training, this.inplace)
  }
  override extra_repr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`
  }
}
/**
 * Dropout: in training mode zeroes each element with probability `p` (default 0.5) and scales
 * the others by `1/(1 − p)`; after `eval()` it returns its input.
 * @category torch @since 0.1.0
 */
export const Dropout = pyClass(DropoutImpl, 'Dropout')
/** An `nn.Dropout` instance. @category torch @since 0.1.0 */
export type Dropout = DropoutImpl

// -------------------------------------------------------------------------------------
// Embedding
// -------------------------------------------------------------------------------------

type EmbeddingKw = FactoryOpts & {
  readonly num_embeddings?: number
  readonly embedding_dim?: number
  readonly padding_idx?: number | null
  readonly max_norm?: number | null
  readonly norm_type?: number
  readonly scale_grad_by_freq?: boolean
  readonly sparse?: boolean
  readonly _weight?: Tensor | null
  readonly _freeze?: boolean
}

/** See {@link Embedding}. */
class EmbeddingImpl extends Module {
  readonly num_embeddings: number
  readonly embedding_dim: number
  readonly padding_idx: number | null
  readonly max_norm: number | null
  readonly norm_type: number
  readonly scale_grad_by_freq: boolean
  readonly sparse: boolean
  /** `[num_embeddings, embedding_dim]`, initialised N(0, 1) (the padding row zero). */
  weight: Parameter

  constructor(
    ...args: PyArgs<
      [
        num_embeddings: number,
        embedding_dim: number,
        padding_idx: number | null,
        max_norm: number | null,
        norm_type: number,
        scale_grad_by_freq: boolean,
        sparse: boolean,
        _weight: Tensor | null,
        _freeze: boolean,
        device: string | null,
        dtype: TorchDType | null,
      ],
      EmbeddingKw
    >
  ) {
    super()
    const names = [
      'num_embeddings',
      'embedding_dim',
      'padding_idx',
      'max_norm',
      'norm_type',
      'scale_grad_by_freq',
      'sparse',
      '_weight',
      '_freeze',
      'device',
      'dtype',
    ]
    const a = parseArgs('Embedding.__init__', args, names)
    required('Embedding.__init__', a, ['num_embeddings', 'embedding_dim'])
    const n = a.num_embeddings as number
    const d = a.embedding_dim as number
    this.num_embeddings = n
    this.embedding_dim = d
    let pad = (a.padding_idx as number | null | undefined) ?? null
    if (pad !== null) {
      if (pad >= n || pad < -n) throw new AssertionError('Padding_idx must be within num_embeddings')
      if (pad < 0) pad += n
    }
    this.padding_idx = pad
    this.max_norm = (a.max_norm as number | null | undefined) ?? null
    this.norm_type = (a.norm_type as number | undefined) ?? 2
    this.scale_grad_by_freq = (a.scale_grad_by_freq as boolean | undefined) ?? false
    this.sparse = (a.sparse as boolean | undefined) ?? false
    const given = (a._weight as Tensor | null | undefined) ?? null
    const freeze = (a._freeze as boolean | undefined) ?? false
    if (given === null) {
      this.weight = new Parameter(empty([n, d], { dtype: dtypeOf(a) }), !freeze)
      this.reset_parameters()
    } else {
      const s = given.shape
      if (s.length !== 2 || s[0] !== n || s[1] !== d)
        throw new TorchValueError('Shape of weight does not match num_embeddings and embedding_dim')
      this.weight = new Parameter(given, !freeze)
    }
  }

  /** N(0, 1) weights with the padding row zeroed. */
  reset_parameters(): void {
    init.normal_(this.weight)
    this._fill_padding_idx_with_zero()
  }

  /** @internal */
  _fill_padding_idx_with_zero(): void {
    const pad = this.padding_idx
    if (pad === null) return
    no_grad(() => this.weight.select(0, pad).fill_(0))
  }

  /** `weight[input]`: one row per index. */
  forward(input: Tensor): Tensor {
    return F.embedding(
      input,
      this.weight,
      this.padding_idx,
      this.max_norm,
      this.norm_type,
      this.scale_grad_by_freq,
      this.sparse,
    )
  }

  override extra_repr(): string {
    let s = `${this.num_embeddings}, ${this.embedding_dim}`
    if (this.padding_idx !== null) s += `, padding_idx=${this.padding_idx}`
    if (this.max_norm !== null) s += `, max_norm=${pyFloat(this.max_norm)}`
    if (this.norm_type !== 2) s += `, norm_type=${pyFloat(this.norm_type)}`
    if (this.scale_grad_by_freq) s += ', scale_grad_by_freq=True'
    if (this.sparse) s += ', sparse=True'
    return s
  }

  /** An Embedding holding `embeddings` (frozen unless `freeze: false`). */
  static from_pretrained(
    embeddings: Tensor,
    opts: {
      readonly freeze?: boolean
      readonly padding_idx?: number | null
      readonly max_norm?: number | null
      readonly norm_type?: number
      readonly scale_grad_by_freq?: boolean
      readonly sparse?: boolean
    } = {},
  ): EmbeddingImpl {
    const s = embeddings.shape
    if (s.length !== 2) throw new TorchValueError('Embeddings parameter is expected to be 2-dimensional')
    return new EmbeddingImpl(s[0] as number, s[1] as number, {
      _weight: embeddings,
      _freeze: opts.freeze ?? true,
      padding_idx: opts.padding_idx ?? null,
      max_norm: opts.max_norm ?? null,
      norm_type: opts.norm_type ?? 2,
      scale_grad_by_freq: opts.scale_grad_by_freq ?? false,
      sparse: opts.sparse ?? false,
    })
  }
}
/**
 * A lookup table of `num_embeddings` vectors of size `embedding_dim` (N(0, 1) at start): maps int64
 * indices of any shape to `[...shape, embedding_dim]`. Gradients of repeated indices accumulate.
 * @example
 * import * as torch from 'wengert/torch'
 * const emb = torch.nn.Embedding(10, 3)
 * const out = emb.call(torch.tensor([[1, 2], [3, 1]], { dtype: torch.int64 }))
 * assert.strictEqual(String(out.shape), 'torch.Size([2, 2, 3])')
 * @category torch @since 0.1.0
 */
export const Embedding = pyClass(EmbeddingImpl, 'Embedding')
/** An `nn.Embedding` instance. @category torch @since 0.1.0 */
export type Embedding = EmbeddingImpl

// -------------------------------------------------------------------------------------
// LayerNorm
// -------------------------------------------------------------------------------------

type LayerNormKw = FactoryOpts & {
  readonly normalized_shape?: number | ReadonlyArray<number>
  readonly eps?: number
  readonly elementwise_affine?: boolean
  readonly bias?: boolean
}

/** See {@link LayerNorm}. */
class LayerNormImpl extends Module {
  readonly normalized_shape: ReadonlyArray<number>
  readonly eps: number
  readonly elementwise_affine: boolean
  /** Scale, initialised to ones (null without elementwise_affine). */
  weight: Parameter | null
  /** Shift, initialised to zeros (null without elementwise_affine or bias). */
  bias: Parameter | null

  constructor(
    ...args: PyArgs<
      [
        normalized_shape: number | ReadonlyArray<number>,
        eps: number,
        elementwise_affine: boolean,
        bias: boolean,
        device: string | null,
        dtype: TorchDType | null,
      ],
      LayerNormKw
    >
  ) {
    super()
    const a = parseArgs('LayerNorm.__init__', args, [
      'normalized_shape',
      'eps',
      'elementwise_affine',
      'bias',
      'device',
      'dtype',
    ])
    required('LayerNorm.__init__', a, ['normalized_shape'])
    const ns = a.normalized_shape as number | ReadonlyArray<number>
    this.normalized_shape = typeof ns === 'number' ? [ns] : [...ns]
    this.eps = (a.eps as number | undefined) ?? 1e-5
    this.elementwise_affine = (a.elementwise_affine as boolean | undefined) ?? true
    const dtype = dtypeOf(a)
    // built empty and initialised in place, as PyTorch does (each then at version 1)
    this.weight = this.elementwise_affine ? new Parameter(empty([...this.normalized_shape], { dtype })) : null
    this.bias =
      this.elementwise_affine && ((a.bias as boolean | undefined) ?? true)
        ? new Parameter(empty([...this.normalized_shape], { dtype }))
        : null
    this.reset_parameters()
  }

  /** Ones for the weight, zeros for the bias. */
  reset_parameters(): void {
    if (this.weight !== null) init.ones_(this.weight)
    if (this.bias !== null) init.zeros_(this.bias)
  }

  /** Normalises over the trailing `normalized_shape` dims, then scales and shifts. */
  forward(input: Tensor): Tensor {
    return F.layer_norm(input, this.normalized_shape, this.weight, this.bias, this.eps)
  }

  override extra_repr(): string {
    const shape =
      this.normalized_shape.length === 1 ? `(${this.normalized_shape[0]},)` : `(${this.normalized_shape.join(', ')})`
    return `${shape}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwise_affine)}`
  }
}
/**
 * Layer normalisation over the trailing `normalized_shape` dims:
 * `(x − E[x]) / √(Var[x] + eps) · weight + bias` (biased variance, eps = 1e-5).
 * @example
 * import * as torch from 'wengert/torch'
 * const ln = torch.nn.LayerNorm(2)
 * const y = ln.call(torch.tensor([[1, 3]])).tolist() as number[][]
 * assert.deepStrictEqual(y[0]?.map(Math.round), [-1, 1])
 * @category torch @since 0.1.0
 */
export const LayerNorm = pyClass(LayerNormImpl, 'LayerNorm')
/** An `nn.LayerNorm` instance. @category torch @since 0.1.0 */
export type LayerNorm = LayerNormImpl

/**
 * `nn.EmbeddingBag`: a weight matrix whose `forward(input, offsets, per_sample_weights)` is
 * {@link embedding_bag}.
 *
 * @category torch
 * @since 0.2.0
 */
import { no_grad } from '../autograd/grad_mode'
import { empty } from '../creation'
import { get_default_dtype, type TorchDType } from '../dtype'
import { AssertionError, RuntimeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { embedding_bag, type BagKw, type Mode } from './embeddingBag'
import * as init from './init'
import { pyFloat, required } from './layers'
import { Module } from './module'
import { Parameter } from './parameter'
import { pyClass } from './pyclass'

type T = Tensor

// -------------------------------------------------------------------------------------
// EmbeddingBag
// -------------------------------------------------------------------------------------

type Factory = { readonly device?: string | null; readonly dtype?: TorchDType | null }
type EmbeddingBagKw = Factory &
  Omit<BagKw, 'offsets' | 'per_sample_weights'> & {
    readonly num_embeddings?: number
    readonly embedding_dim?: number
    readonly _weight?: T | null
  }
const MODULE_NAMES = [
  'num_embeddings',
  'embedding_dim',
  'max_norm',
  'norm_type',
  'scale_grad_by_freq',
  'mode',
  'sparse',
  '_weight',
  'include_last_offset',
  'padding_idx',
  'device',
  'dtype',
] as const

/** See {@link EmbeddingBag}. */
class EmbeddingBagImpl extends Module {
  readonly num_embeddings: number
  readonly embedding_dim: number
  readonly max_norm: number | null
  readonly norm_type: number
  readonly scale_grad_by_freq: boolean
  readonly mode: Mode
  readonly sparse: boolean
  readonly include_last_offset: boolean
  readonly padding_idx: number | null
  /** `[num_embeddings, embedding_dim]`, initialised N(0, 1) (the padding row zero). */
  weight: Parameter

  constructor(...args: PyArgs<[num_embeddings: number, embedding_dim: number], EmbeddingBagKw>) {
    super()
    const a = parseArgs('EmbeddingBag.__init__', args, MODULE_NAMES)
    required('EmbeddingBag.__init__', a, ['num_embeddings', 'embedding_dim'])
    const [n, d] = [a.num_embeddings as number, a.embedding_dim as number]
    this.num_embeddings = n
    this.embedding_dim = d
    let pad = (a.padding_idx as number | null | undefined) ?? null
    if (pad !== null) {
      if (pad >= n || pad < -n) throw new AssertionError('padding_idx must be within num_embeddings')
      if (pad < 0) pad += n
    }
    this.padding_idx = pad
    this.max_norm = (a.max_norm as number | null | undefined) ?? null
    this.norm_type = (a.norm_type as number | undefined) ?? 2
    this.scale_grad_by_freq = a.scale_grad_by_freq === true
    this.mode = (a.mode as Mode | undefined) ?? 'mean'
    this.sparse = a.sparse === true
    this.include_last_offset = a.include_last_offset === true
    const given = (a._weight as T | null | undefined) ?? null
    if (given !== null && (given.dim() !== 2 || given.shape[0] !== n || given.shape[1] !== d))
      throw new RuntimeError('Shape of weight does not match num_embeddings and embedding_dim')
    const dtype = (a.dtype as TorchDType | null | undefined) ?? get_default_dtype()
    this.weight = new Parameter(given ?? empty([n, d], { dtype }))
    if (given === null) this.reset_parameters()
  }

  /** N(0, 1) weights with the padding row zeroed. */
  reset_parameters(): void {
    init.normal_(this.weight)
    const pad = this.padding_idx
    if (pad !== null) no_grad(() => this.weight.select(0, pad).fill_(0))
  }

  /** `embedding_bag(input, weight, offsets, …, per_sample_weights)` with the module's options. */
  forward(
    input: T,
    ...rest: PyArgs<
      [offsets: T | null, per_sample_weights: T | null],
      { readonly offsets?: T | null; readonly per_sample_weights?: T | null }
    >
  ): T {
    const a = parseArgs('EmbeddingBag.forward', rest, ['offsets', 'per_sample_weights'])
    const offsets = (a.offsets as T | null | undefined) ?? null
    const per_sample_weights = (a.per_sample_weights as T | null | undefined) ?? null
    return embedding_bag(input, this.weight, {
      offsets,
      max_norm: this.max_norm,
      norm_type: this.norm_type,
      scale_grad_by_freq: this.scale_grad_by_freq,
      mode: this.mode,
      sparse: this.sparse,
      per_sample_weights,
      include_last_offset: this.include_last_offset,
      padding_idx: this.padding_idx,
    })
  }

  /** `5, 3, mode=mean` as PyTorch prints it. */
  override extra_repr(): string {
    const parts = [`${this.num_embeddings}`, `${this.embedding_dim}`]
    if (this.max_norm !== null) parts.push(`max_norm=${pyFloat(this.max_norm)}`)
    if (this.norm_type !== 2) parts.push(`norm_type=${pyFloat(this.norm_type)}`)
    if (this.scale_grad_by_freq) parts.push('scale_grad_by_freq=True')
    parts.push(`mode=${this.mode}`)
    if (this.padding_idx !== null) parts.push(`padding_idx=${this.padding_idx}`)
    return parts.join(', ')
  }
}
/**
 * `nn.EmbeddingBag(num_embeddings, embedding_dim, max_norm=None, norm_type=2.0,
 * scale_grad_by_freq=False, mode='mean', sparse=False, _weight=None, include_last_offset=False,
 * padding_idx=None)`; `forward(input, offsets=None, per_sample_weights=None)`.
 * @example
 * import * as torch from 'wengert/torch'
 * const bag = torch.nn.EmbeddingBag(10, 3, { mode: 'sum' })
 * const y = bag.call(torch.tensor([[1, 2], [3, 4]], { dtype: torch.int64 }))
 * assert.deepStrictEqual([...y.shape], [2, 3])
 * @category torch @since 0.2.0
 */
export const EmbeddingBag = pyClass(EmbeddingBagImpl, 'EmbeddingBag')
/** An `nn.EmbeddingBag` instance. @category torch @since 0.2.0 */
export type EmbeddingBag = EmbeddingBagImpl

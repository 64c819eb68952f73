/**
 * `nn.AdaptiveLogSoftmaxWithLoss` (Grave et al.'s adaptive softmax): a head over the frequent
 * classes plus one cluster token per tail, each tail a two-layer bottleneck projection. Parameters
 * are created in PyTorch's order, so a seeded facade RNG gives PyTorch's weights.
 *
 * @category torch
 * @since 0.2.0
 */
import { tensor } from '../creation'
import { int64, type TorchDType } from '../dtype'
import { RuntimeError, TorchValueError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { ModuleList, Sequential } from './container'
import { log_softmax } from './functional'
import { cat } from '../ops/functions'
import { Linear, required } from './layers'
import { Module } from './module'
import { pyClass } from './pyclass'

type T = Tensor

/** The keyword arguments of {@link AdaptiveLogSoftmaxWithLoss}. @category torch @since 0.2.0 */
export type AdaptiveLogSoftmaxWithLossKw = {
  readonly in_features?: number
  readonly n_classes?: number
  readonly cutoffs?: ReadonlyArray<number>
  readonly div_value?: number
  readonly head_bias?: boolean
  readonly device?: string | null
  readonly dtype?: TorchDType | null
}

/** The result of {@link AdaptiveLogSoftmaxWithLoss} `forward` (PyTorch's `_ASMoutput`): `[output, loss]`. @category torch @since 0.2.0 */
export type ASMoutput = [output: T, loss: T] & { readonly output: T; readonly loss: T }

const asmOutput = (output: T, loss: T): ASMoutput => Object.assign([output, loss], { output, loss }) as ASMoutput

const size = (x: T): string => `torch.Size([${x.shape.join(', ')}])`

/** PyTorch's cutoff check: unique positive integers, increasing, each below n_classes. */
const checkCutoffs = (cutoffs: ReadonlyArray<number>, nClasses: number): void => {
  const bad =
    cutoffs.length === 0 ||
    cutoffs.some((c, i) => !Number.isInteger(c) || c <= 0 || c > nClasses - 1 || (i > 0 && c <= (cutoffs[i - 1] ?? 0)))
  if (bad)
    throw new TorchValueError(
      'cutoffs should be a sequence of unique, positive integers sorted in an increasing order, ' +
        'where each value is between 1 and n_classes-1',
    )
}

/** PyTorch's input/target rank checks of `forward`. */
const checkForward = (input: T, target: T): void => {
  const td = target.dim()
  if (td === 1) {
    if (input.shape[0] !== target.shape[0])
      throw new RuntimeError('Input and target should have the same size in the batch dimension.')
    if (input.dim() !== 2)
      throw new RuntimeError(`1D target tensor expects 2D input tensors, but found inputs with size ${size(input)}`)
  } else if (td === 0) {
    if (input.dim() !== 1)
      throw new RuntimeError(`0D target tensor expects 1D input tensors, but found inputs with size ${size(input)}`)
  } else throw new RuntimeError('0D or 1D target tensor expected, multi-target not supported')
}

/** See {@link AdaptiveLogSoftmaxWithLoss}. */
class AdaptiveLogSoftmaxWithLossImpl extends Module {
  readonly in_features: number
  readonly n_classes: number
  /** The cutoffs with `n_classes` appended. */
  readonly cutoffs: ReadonlyArray<number>
  readonly div_value: number
  readonly head_bias: boolean
  /** Number of classes the head scores directly (`cutoffs[0]`). */
  readonly shortlist_size: number
  /** Number of tail clusters. */
  readonly n_clusters: number
  /** `shortlist_size + n_clusters`. */
  readonly head_size: number
  /** `Linear(in_features, head_size, bias=head_bias)`. */
  head: Linear
  /** One `Sequential(Linear(in, in // div^(i+1), bias=False), Linear(…, cluster size, bias=False))` per cluster. */
  tail: ModuleList<Sequential>

  constructor(
    ...args: PyArgs<
      [
        in_features: number,
        n_classes: number,
        cutoffs: ReadonlyArray<number>,
        div_value: number,
        head_bias: boolean,
        device: string | null,
        dtype: TorchDType | null,
      ],
      AdaptiveLogSoftmaxWithLossKw
    >
  ) {
    super()
    const names = ['in_features', 'n_classes', 'cutoffs', 'div_value', 'head_bias', 'device', 'dtype']
    const a = parseArgs('AdaptiveLogSoftmaxWithLoss.__init__', args, names)
    required('AdaptiveLogSoftmaxWithLoss.__init__', a, names.slice(0, 3))
    const cutoffs = [...(a.cutoffs as ReadonlyArray<number>)]
    this.in_features = a.in_features as number
    this.n_classes = a.n_classes as number
    checkCutoffs(cutoffs, this.n_classes)
    this.cutoffs = [...cutoffs, this.n_classes]
    this.div_value = (a.div_value as number | undefined) ?? 4
    this.head_bias = (a.head_bias as boolean | undefined) ?? false
    this.shortlist_size = cutoffs[0] as number
    this.n_clusters = cutoffs.length
    this.head_size = this.shortlist_size + this.n_clusters
    const kw = {
      device: (a.device as string | null | undefined) ?? null,
      dtype: (a.dtype as TorchDType | null) ?? null,
    }
    this.head = Linear(this.in_features, this.head_size, { ...kw, bias: this.head_bias })
    this.tail = ModuleList<Sequential>()
    for (let i = 0; i < this.n_clusters; i++) {
      const hsz = Math.floor(this.in_features / this.div_value ** (i + 1))
      const osz = (this.cutoffs[i + 1] as number) - (this.cutoffs[i] as number)
      this.tail.append(
        Sequential(Linear(this.in_features, hsz, { ...kw, bias: false }), Linear(hsz, osz, { ...kw, bias: false })),
      )
    }
  }

  /** Re-initialises the head and every tail projection as PyTorch does. */
  reset_parameters(): void {
    this.head.reset_parameters()
    for (const seq of this.tail) for (const l of seq) (l as Linear).reset_parameters()
  }

  /**
   * The log-probability of each row's target class (`output`) and the mean negative
   * log-likelihood (`loss`); `input [N, in_features]` with `target [N]`, or `[in_features]` with a 0-d target.
   */
  forward(input_: T, target_: T): ASMoutput {
    checkForward(input_, target_)
    const batched = target_.dim() > 0
    const input = batched ? input_ : input_.unsqueeze(0)
    const target = batched ? target_ : target_.unsqueeze(0)
    const targets = (target.tolist() as number[]).map(Number)
    const n = targets.length
    const gatherInds = new Array<number>(n).fill(0)
    let output = input.new_zeros(n)
    const bounds = [0, ...this.cutoffs]
    let used = 0
    for (let i = 0; i < bounds.length - 1; i++) {
      const [lo, hi] = [bounds[i] as number, bounds[i + 1] as number]
      const rows = targets.flatMap((t, r) => (t >= lo && t < hi ? [r] : []))
      if (rows.length === 0) continue
      used += rows.length
      if (i === 0) {
        for (const r of rows) gatherInds[r] = targets[r] as number
        continue
      }
      for (const r of rows) gatherInds[r] = this.shortlist_size + i - 1
      const rowIdx = tensor(rows, { dtype: int64 })
      const rel = tensor(
        rows.map((r) => [(targets[r] as number) - lo]),
        { dtype: int64 },
      )
      const clusterOut = (this.tail.at(i - 1) as Sequential).call(input.index_select(0, rowIdx))
      const local = log_softmax(clusterOut, 1).gather(1, rel).squeeze(1)
      output = output.index_copy(0, rowIdx, local)
    }
    if (used !== n)
      throw new RuntimeError(
        `Target values should be in [0, ${this.n_classes - 1}], but values in range ` +
          `[${Math.min(...targets)}, ${Math.max(...targets)}] were found. `,
      )
    const headLogprob = log_softmax(this.head.call(input), 1)
    const idx = tensor(
      gatherInds.map((g) => [g]),
      { dtype: int64 },
    )
    output = output.add(headLogprob.gather(1, idx).squeeze(1))
    const loss = output.neg().mean()
    return asmOutput(batched ? output : output.squeeze(0), loss)
  }

  /** The log-probabilities of the full distribution from the head's output. */
  private fullLogProb(input: T, headOutput: T): T {
    const headLogprob = log_softmax(headOutput, 1)
    const parts = [headLogprob.narrow(1, 0, this.shortlist_size)]
    for (let i = 0; i < this.n_clusters; i++) {
      const clusterLogprob = log_softmax((this.tail.at(i) as Sequential).call(input), 1)
      parts.push(clusterLogprob.add(headLogprob.narrow(1, this.shortlist_size + i, 1)))
    }
    return cat(parts, 1)
  }

  /** Log-probabilities `[N, n_classes]` of every class. */
  log_prob(input: T): T {
    return this.fullLogProb(input, this.head.call(input))
  }

  /** The most probable class of each row (`log_prob(input).argmax(1)`, computed lazily as PyTorch does). */
  predict(input: T): T {
    const headOutput = this.head.call(input)
    const output = headOutput.argmax(1)
    const outside = output.ge(this.shortlist_size)
    if (!outside.any().item()) return output
    if (outside.all().item()) return this.fullLogProb(input, headOutput).argmax(1)
    const rows = tensor(
      (outside.tolist() as boolean[]).flatMap((o, r) => (o ? [r] : [])),
      { dtype: int64 },
    )
    const sub = this.fullLogProb(input.index_select(0, rows), headOutput.index_select(0, rows))
    return output.index_copy(0, rows, sub.argmax(1))
  }
}

/**
 * Adaptive softmax with its negative log-likelihood (PyTorch's
 * `nn.AdaptiveLogSoftmaxWithLoss(in_features, n_classes, cutoffs, div_value=4.0, head_bias=False)`):
 * `forward(input, target)` returns `[output, loss]` (also `.output`, `.loss`); `log_prob(input)` and
 * `predict(input)` score every class.
 * @example
 * import * as torch from 'wengert/torch'
 * torch.manual_seed(0)
 * const asm = torch.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [4, 7], { div_value: 2 })
 * const x = torch.randn(5, 8)
 * const { output, loss } = asm.call(x, torch.tensor([0, 3, 5, 8, 9]))
 * assert.strictEqual(String(output.shape), 'torch.Size([5])')
 * assert.ok(Math.abs(loss.item() + output.mean().item()) < 1e-6)
 * assert.ok(torch.allclose(asm.log_prob(x).exp().sum(1), torch.ones(5), { atol: 1e-5 }))
 * assert.strictEqual(String(asm.predict(x).shape), 'torch.Size([5])')
 * @category torch @since 0.2.0
 */
export const AdaptiveLogSoftmaxWithLoss = pyClass(AdaptiveLogSoftmaxWithLossImpl, 'AdaptiveLogSoftmaxWithLoss')
/** An `nn.AdaptiveLogSoftmaxWithLoss` instance. @category torch @since 0.2.0 */
export type AdaptiveLogSoftmaxWithLoss = AdaptiveLogSoftmaxWithLossImpl

/**
 * The Connectionist Temporal Classification loss: `F.ctc_loss` and `nn.CTCLoss`, over the
 * kernels of ./ctcKernel.ts (Graves et al., 2006). As PyTorch's `ctc_loss`, the per-sequence
 * negative log-likelihoods are one `CtcLossBackward0` node over the log-probabilities; the
 * reductions are facade ops after it (`'mean'` divides each loss by its target length, clamped
 * to at least 1, then averages: `DivBackward0`, `MeanBackward0`), `zero_infinity` is a
 * `WhereBackward0` setting infinite losses to 0 (and the kernel zeroes their gradients), and an
 * unbatched `(T, C)` input is unsqueezed to a batch of one and squeezed back.
 *
 * @category torch
 * @since 0.2.0
 */
import { Tracer } from '../../core/trace'
import { NdArray } from '../../ndarray/NdArray'
import { is_grad_enabled } from '../autograd/grad_mode'
import { Node } from '../autograd/node'
import { edgeOf } from '../autograd/op'
import { bool, float32, float64 } from '../dtype'
import { NotImplementedError, RuntimeError, TorchTypeError, TorchValueError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { where } from '../ops/functions'
import { Tensor } from '../tensor'
import { ctcBackward, ctcForward, type CtcProblem } from './ctcKernel'
import { forwardArgs } from './lossUtils'
import { Module, type Reduction } from './module'
import { pyClass } from './pyclass'

type T = Tensor
/** Sequence lengths: an integer tensor, or an array of integers. */
export type CtcLengths = T | ReadonlyArray<number>

const CHECKING = '(while checking arguments for ctc_loss_cpu)'
const NODE = 'CtcLossBackward0'

/** The lengths as integers (PyTorch's "must be integral" for float tensors). */
const lengthsOf = (name: string, v: unknown, got: string): number[] => {
  if (v instanceof Tensor) {
    if (v.dtype.is_floating_point || v.dtype === bool) throw new RuntimeError(`${name} must be integral`)
    return Array.from(v._value()._data, Number)
  }
  if (Array.isArray(v) && v.every((x) => Number.isInteger(x))) return v as number[]
  throw new TorchTypeError(
    `ctc_loss() received an invalid combination of arguments - got (${got}), but expected one of:\n * (Tensor log_probs, Tensor targets, tuple of ints input_lengths, tuple of ints target_lengths, int blank, int reduction, bool zero_infinity)\n * (Tensor log_probs, Tensor targets, Tensor input_lengths, Tensor target_lengths, int blank, int reduction, bool zero_infinity)`,
  )
}

/** Python's type name of a lengths argument, for the invalid-combination message. */
const argType = (v: unknown): string =>
  v instanceof Tensor ? 'Tensor' : Array.isArray(v) ? 'tuple' : typeof v === 'number' ? 'int' : typeof v

/** Each batch entry's target labels, from the padded `(N, S)` or the concatenated 1-D form. */
const targetsOf = (targets: T, tl: ReadonlyArray<number>, N: number): number[][] => {
  const tv = targets._value()
  const d = tv._data
  if (tv.ndim === 1) {
    const total = tl.reduce((a, b) => a + b, 0)
    if (tv.shape[0] !== total)
      throw new RuntimeError(
        `Expected tensor to have size ${total} at dimension 0, but got size ${tv.shape[0]} for argument #2 'targets' ${CHECKING}`,
      )
    let pos = 0
    return tl.map((l) => Array.from(d.subarray(pos, (pos += l)), Math.trunc))
  }
  const [rows, S] = tv.shape as [number, number]
  const maxLen = Math.max(0, ...tl)
  if (S < maxLen)
    throw new RuntimeError(
      `Expected tensor to have size at least ${maxLen} at dimension 1, but got size ${S} for argument #2 'targets' ${CHECKING}`,
    )
  if (rows < N)
    throw new RuntimeError(
      `Expected tensor to have size ${N} at dimension 0, but got size ${rows} for argument #2 'targets' ${CHECKING}`,
    )
  return tl.map((l, n) => Array.from(d.subarray(n * S, n * S + l), Math.trunc))
}

/** PyTorch's argument checks, in its order; returns the problem. */
const problemOf = (lp: T, targets: T, il: number[], tl: number[], blank: number): CtcProblem => {
  const v = lp._value()
  if (v.ndim !== 3)
    throw new RuntimeError(
      `Expected 3-dimensional tensor, but got ${v.ndim}-dimensional tensor for argument #1 'log_probs' ${CHECKING}`,
    )
  const nd = targets.dim()
  if (nd < 1 || nd > 2)
    throw new RuntimeError(
      `Expected 1 to 2 dimensions, but got ${nd}-dimensional tensor for argument #2 'targets' ${CHECKING}`,
    )
  const [T, N, C] = v.shape as [number, number, number]
  if (!(blank >= 0 && blank < C)) throw new RuntimeError('blank must be in label range')
  if (il.length !== N) throw new RuntimeError('input_lengths must be of size batch_size')
  if (tl.length !== N) throw new RuntimeError('target_lengths must be of size batch_size')
  // PyTorch 1.13 reads out of bounds for these; they are refused here
  for (const [name, ls] of [
    ['input_lengths', il],
    ['target_lengths', tl],
  ] as const)
    for (const l of ls)
      if (l < 0) throw new RuntimeError(`Expected ${name} to have value at least 0, but got value ${l} ${CHECKING}`)
  const tgs = targetsOf(targets, tl, N)
  for (const l of il)
    if (l > T)
      throw new RuntimeError(`Expected input_lengths to have value at most ${T}, but got value ${l} ${CHECKING}`)
  for (const tg of tgs)
    for (const c of tg)
      if (!(c >= 0 && c < C)) throw new RuntimeError(`ctc_loss: target value ${c} is out of range for ${C} classes`)
  return { T, N, C, lp: v._data, targets: tgs, inputLengths: il, blank }
}

/** The per-sequence losses `(N)` of a `(T, N, C)` input: one `CtcLossBackward0` node. */
const ctcCore = (lp: T, p: CtcProblem, zeroInfinity: boolean): T => {
  const dtype = lp._value().dtype
  const fwd = ctcForward(p)
  const out = Tensor._fromValue(new NdArray([p.N], dtype, cast(fwd.nll, dtype)))
  if (!is_grad_enabled() || !lp.requires_grad) return out
  const node = new Node(NODE, [edgeOf(lp)])
  node._save({ tensor: lp, version: lp._counter.v }, { tensor: out, version: 0, output: NODE })
  node._backward = (g, createGraph) => {
    const grad = ctcBackward(p, fwd, g._value()._data, zeroInfinity)
    const gt = Tensor._fromValue(new NdArray([p.T, p.N, p.C], dtype, cast(grad, dtype)))
    return [createGraph ? notImplementedGrad(gt, g, lp) : gt]
  }
  out._gradFn = node
  return out
}

/** The data of a float64 result in `dtype`'s storage. */
const cast = (d: Float64Array, dtype: NdArray['dtype']): NdArray['_data'] =>
  dtype === 'float32' ? Float32Array.from(d) : d

/** Under create_graph: the gradient, whose own derivative PyTorch does not implement. */
const notImplementedGrad = (gt: T, g: T, lp: T): T => {
  const node = new Node('NotImplemented', [g.requires_grad ? edgeOf(g) : [null, 0], edgeOf(lp)])
  node._backward = () => {
    throw new RuntimeError('derivative for aten::_ctc_loss_backward is not implemented')
  }
  gt._gradFn = node
  return gt
}

/** Options of {@link ctc_loss}. */
export interface CtcLossOptions {
  readonly blank?: number
  readonly reduction?: Reduction
  readonly zero_infinity?: boolean
}

/**
 * The CTC loss (Graves et al., 2006) of log-probabilities `log_probs` `(T, N, C)` (or unbatched
 * `(T, C)`; normally `log_softmax` outputs) against `targets`, padded `(N, S)` or concatenated
 * 1-D (`sum(target_lengths)`), with each sequence's `input_lengths` and `target_lengths` (integer
 * tensors or arrays). `blank` (0) is the blank class; `reduction` `'mean'` (default) divides each
 * loss by its target length and averages, `'sum'` sums, `'none'` gives `(N)`; `zero_infinity`
 * sets infinite losses (no feasible alignment) and their gradients to 0. As PyTorch's, the
 * gradient with respect to `log_probs` is the one with respect to the logits under log_softmax.
 * @example
 * import * as torch from 'wengert/torch'
 * const F = torch.nn.functional
 * // two frames, one label: the alignments "a a", "a -", "- a" of probability 1/2 · 1/2 each
 * const lp = torch.full([2, 1, 2], Math.log(0.5))
 * const l = F.ctc_loss(lp, torch.tensor([[1]]), [2], [1], { reduction: 'sum' })
 * assert.ok(Math.abs(l.item() + Math.log(0.75)) < 1e-6)
 * @category torch @since 0.2.0
 */
export const ctc_loss = (
  log_probs: T,
  targets: T,
  input_lengths: CtcLengths,
  target_lengths: CtcLengths,
  ...rest: PyArgs<[blank: number, reduction: Reduction, zero_infinity: boolean], CtcLossOptions>
): T => {
  const a = parseArgs('ctc_loss', rest, ['blank', 'reduction', 'zero_infinity'])
  const reduction = (a.reduction as Reduction | undefined) ?? 'mean'
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none')
    throw new TorchValueError(`${String(reduction)} is not a valid value for reduction`)
  const blank = (a.blank as number | undefined) ?? 0
  const zeroInfinity = (a.zero_infinity as boolean | undefined) ?? false
  const got = [log_probs, targets, input_lengths, target_lengths].map(argType).join(', ') + ', int, int, bool'
  const il = lengthsOf('input_lengths', input_lengths, got)
  const tl = lengthsOf('target_lengths', target_lengths, got)
  const v = log_probs._value()
  if (v instanceof Tracer)
    throw new NotImplementedError('ctc_loss: not supported under function transforms (jit, vmap)')
  if (log_probs.dtype !== float32 && log_probs.dtype !== float64)
    throw new RuntimeError(`"ctc_loss_cpu" not implemented for '${log_probs.dtype.word}'`)
  const batched = v.ndim === 3
  const lp = batched ? log_probs : log_probs.unsqueeze(1)
  let res = ctcCore(lp, problemOf(lp, targets, il, tl, blank), zeroInfinity)
  if (zeroInfinity) res = where(res.eq(Number.POSITIVE_INFINITY), 0, res)
  if (reduction === 'mean') {
    const lengths = Tensor._fromValue(
      new NdArray(
        [tl.length],
        v.dtype,
        cast(
          Float64Array.from(tl, (l) => Math.max(l, 1)),
          v.dtype,
        ),
      ),
    )
    return res.div(lengths).mean()
  }
  if (reduction === 'sum') return res.sum()
  return batched ? res : res.squeeze(0)
}

/** See {@link CTCLoss}. */
class CTCLossImpl extends Module {
  /** The blank class (0). */
  blank: number
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction: Reduction
  /** Infinite losses and their gradients become 0 (false). */
  zero_infinity: boolean
  constructor(...args: PyArgs<[blank: number, reduction: Reduction, zero_infinity: boolean], CtcLossOptions>) {
    super()
    const a = parseArgs('CTCLoss.__init__', args, ['blank', 'reduction', 'zero_infinity'])
    this.blank = (a.blank as number | undefined) ?? 0
    this.reduction = (a.reduction as Reduction | undefined) ?? 'mean'
    this.zero_infinity = (a.zero_infinity as boolean | undefined) ?? false
  }
  /** `ctc_loss(log_probs, targets, input_lengths, target_lengths)` with the module's options (each also by keyword). */
  forward(
    ...args: PyArgs<
      [log_probs: T, targets: T, input_lengths: CtcLengths, target_lengths: CtcLengths],
      {
        readonly log_probs?: T
        readonly targets?: T
        readonly input_lengths?: CtcLengths
        readonly target_lengths?: CtcLengths
      }
    >
  ): T {
    const names = ['log_probs', 'targets', 'input_lengths', 'target_lengths']
    const bound: ReadonlyArray<unknown> = forwardArgs('CTCLoss', args, names)
    const [log_probs, targets, input_lengths, target_lengths] = bound as [T, T, CtcLengths, CtcLengths]
    return ctc_loss(log_probs, targets, input_lengths, target_lengths, {
      blank: this.blank,
      reduction: this.reduction,
      zero_infinity: this.zero_infinity,
    })
  }
}
/**
 * `nn.CTCLoss(blank=0, reduction='mean', zero_infinity=False)`: {@link ctc_loss} as a module.
 * @example
 * import * as torch from 'wengert/torch'
 * const ctc = torch.nn.CTCLoss({ reduction: 'none' })
 * const lp = torch.randn(5, 2, 4).log_softmax(2).requires_grad_()
 * const l = ctc(lp, torch.tensor([[1, 2], [3, 0]]), [5, 4], [2, 1])
 * assert.strictEqual(l.grad_fn?.name(), 'CtcLossBackward0')
 * assert.strictEqual(String(ctc), 'CTCLoss()')
 * @category torch @since 0.2.0
 */
export const CTCLoss = pyClass(CTCLossImpl, 'CTCLoss')
/** An `nn.CTCLoss` instance. @category torch @since 0.2.0 */
export type CTCLoss = CTCLossImpl

/**
 * `torch.optim.SparseAdam`: Adam for sparse gradients (the rows an `nn.Embedding(sparse=True)`
 * touched). In wengert sparse gradients do not reach parameters (`nn.Embedding` refuses
 * `sparse=True`), so every gradient SparseAdam meets is dense, and `step()` raises PyTorch's
 * RuntimeError for a dense gradient; the constructor's checks, defaults and state dict are
 * PyTorch's.
 *
 * @category torch
 * @since 0.7.0
 */
import { leadingKeywords, type PyArgs } from '../kwargs'
import { pyClass } from '../nn/pyclass'
import { RuntimeError, TorchValueError } from '../errors'
import { Tensor } from '../tensor'
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer'
import { checkBetas, nonNegative, parseOptions } from './options'

/** SparseAdam's hyper-parameters. @category torch @since 0.7.0 */
export interface SparseAdamOptions {
  lr: number
  betas: readonly [number, number]
  eps: number
  maximize: boolean
}
/** SparseAdam's state of one parameter (never created: see {@link SparseAdam}). @category torch @since 0.7.0 */
export interface SparseAdamState {
  step: number
  exp_avg: Tensor
  exp_avg_sq: Tensor
}

/** The positions of sparse tensors among directly given parameters (PyTorch checks them first). */
const sparseIndices = (params: unknown): number[] => {
  if (!Array.isArray(params)) return []
  return params.flatMap((p, i) => (p instanceof Tensor && p.is_sparse ? [i] : []))
}

/** See {@link SparseAdam}. */
class SparseAdamImpl extends Optimizer<SparseAdamOptions, SparseAdamState> {
  constructor(
    params: ParamsInput<SparseAdamOptions>,
    ...rest: PyArgs<[lr: number, betas: readonly [number, number], eps: number], Partial<Readonly<SparseAdamOptions>>>
  ) {
    const o = parseOptions('SparseAdam.__init__', rest, {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      maximize: false,
    } as SparseAdamOptions)
    nonNegative('learning rate', o.lr)
    nonNegative('epsilon value', o.eps)
    checkBetas(o.betas)
    const sparse = sparseIndices(params)
    if (sparse.length > 0)
      throw new TorchValueError(
        `Sparse params at indices [${sparse.join(', ')}]: SparseAdam requires dense parameter tensors`,
      )
    super(params, o)
  }

  /** @internal */
  _update(group: ParamGroup<SparseAdamOptions>): void {
    for (const p of group.params)
      if (p._grad !== null && !p._grad.is_sparse)
        throw new RuntimeError('SparseAdam does not support dense gradients, please consider Adam instead')
  }
}

/**
 * SparseAdam (`torch.optim.SparseAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
 * maximize=False)`): as PyTorch, its `step()` refuses dense gradients, and wengert gives
 * parameters only dense ones (see the module doc); use `Adam` for the same update on them.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([1, -1], { requires_grad: true })
 * const opt = torch.optim.SparseAdam([w], { lr: 0.1 })
 * assert.deepStrictEqual(opt.defaults, { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, maximize: false })
 * w.pow(2).sum().backward()
 * assert.throws(() => opt.step(), /does not support dense gradients/)
 * @category torch @since 0.7.0
 */
export const SparseAdam = pyClass(SparseAdamImpl, 'SparseAdam', leadingKeywords('SparseAdam.__init__', ['params']))
/** A `torch.optim.SparseAdam` instance. @category torch @since 0.7.0 */
export type SparseAdam = SparseAdamImpl

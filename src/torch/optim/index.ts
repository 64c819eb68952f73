/**
 * `torch.optim`: the `Optimizer` base class, `SGD`, `Adam`, `AdamW`, `RMSprop`, `Adagrad`,
 * `Adadelta`, `Adamax`, `NAdam`, `RAdam`, `ASGD`, `Rprop`, `LBFGS`, `SparseAdam` (dense gradients
 * raise, as PyTorch's), and `lr_scheduler`.
 * Optimizers are callable with or without `new` (`optim.SGD(model.parameters(), { lr: 0.1 })`).
 * `foreach` is accepted (the update is the same); `capturable`, `differentiable` and `fused`
 * set to true are refused with a RuntimeError.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const model = torch.nn.Linear(2, 1)
 * const opt = torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })
 * model.call(torch.ones(4, 2)).sum().backward()
 * opt.step()
 * opt.zero_grad()
 * assert.strictEqual(model.weight.grad, null)
 * @category torch
 * @since 0.1.0
 */
export { Optimizer } from './optimizer'
export type { ParamGroup, ParamGroupInput, ParamsInput, OptimizerStateDict } from './optimizer'
export { SGD, type SGDOptions, type SGDState } from './sgd'
export { Adam, AdamW, type AdamOptions, type AdamState } from './adam'
export {
  RMSprop,
  Adagrad,
  Adadelta,
  type RMSpropOptions,
  type RMSpropState,
  type AdagradOptions,
  type AdagradState,
  type AdadeltaOptions,
  type AdadeltaState,
} from './rmsprop'
export {
  Adamax,
  NAdam,
  RAdam,
  type AdamaxOptions,
  type AdamaxState,
  type NAdamOptions,
  type NAdamState,
  type RAdamOptions,
  type RAdamState,
} from './adamax'
export { ASGD, Rprop, type ASGDOptions, type ASGDState, type RpropOptions, type RpropState } from './asgd'
export { LBFGS, type LBFGSOptions, type LBFGSState } from './lbfgs'
export { SparseAdam, type SparseAdamOptions, type SparseAdamState } from './sparseAdam'
/** `torch.optim.lr_scheduler`. @category torch @since 0.2.0 */
export * as lr_scheduler from './lr_scheduler_index'
/** `torch.optim.swa_utils`: `AveragedModel`, `update_bn`, `SWALR` and the averaging functions. @category torch @since 0.3.0 */
export * as swa_utils from './swa_utils'

/**
 * `torch.optim.lr_scheduler`: every PyTorch learning-rate scheduler.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const opt = torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 0.1 })
 * const sched = torch.optim.lr_scheduler.StepLR(opt, { step_size: 1, gamma: 0.5 })
 * opt.step()
 * sched.step()
 * assert.deepStrictEqual(sched.get_last_lr(), [0.05])
 * @category torch
 * @since 0.2.0
 */
export {
  LRScheduler,
  LRScheduler as _LRScheduler,
  LambdaLR,
  MultiplicativeLR,
  StepLR,
  MultiStepLR,
  ExponentialLR,
  type AnyOptimizer,
  type SchedulerStateDict,
} from './lr_scheduler'
export { ConstantLR, LinearLR, PolynomialLR, CosineAnnealingLR } from './lr_warmup'
export { CosineAnnealingWarmRestarts, CyclicLR, type CyclicLRKw } from './lr_cyclic'
export { OneCycleLR, type OneCycleLRKw } from './lr_onecycle'
export { ReduceLROnPlateau, SequentialLR, ChainedScheduler, type ReduceLROnPlateauKw } from './lr_plateau'
export type { DeprecatedVerbose } from './lr_verbose'

/**
 * `torch.optim`: `SGD`, `Adam`, `AdamW` and the `Optimizer` base class. Optimizers are
 * callable with or without `new` (`optim.SGD(model.parameters(), { lr: 0.1 })`).
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

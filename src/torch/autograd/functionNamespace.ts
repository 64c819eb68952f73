/**
 * `torch.autograd.function`: the module of `Function`, `FunctionCtx` and `once_differentiable`.
 *
 * @category torch
 * @since 0.2.0
 */
export { Function, FunctionCtx } from './function'
export { once_differentiable } from './variable'

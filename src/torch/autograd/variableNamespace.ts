/**
 * `torch.autograd.variable`: the module of the deprecated `Variable`.
 *
 * @category torch
 * @since 0.3.0
 */
export { Variable } from './variable'

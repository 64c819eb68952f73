/**
 * `torch.nn.parameter`: `Parameter`, the lazy modules' `UninitializedParameter` /
 * `UninitializedBuffer`, and `is_lazy`.
 *
 * @category torch
 * @since 0.2.0
 */
export { Parameter } from './parameter'
export { UninitializedParameter, UninitializedBuffer, is_lazy } from './uninitialized'

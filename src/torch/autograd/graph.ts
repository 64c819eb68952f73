/**
 * `torch.autograd.graph`: the `Node` class of `grad_fn` objects.
 *
 * @category torch
 * @since 0.1.0
 */
export { Node } from './node'

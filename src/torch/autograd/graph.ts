/**
 * `torch.autograd.graph`: the `Node` class of `grad_fn` objects, and pictures of the graph
 * (`make_dot`, torchviz's spelling, and `to_dot`).
 *
 * @category torch
 * @since 0.1.0
 */
export { Node } from './node'
export { make_dot, to_dot, type MakeDotOptions } from './graphDot'
export { saved_tensors_hooks, SavedTensorsHooks, save_on_cpu, disable_saved_tensors_hooks } from './savedHooks'

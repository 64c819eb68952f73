/**
 * `torch.utils.hooks`: `RemovableHandle`, the handle `Tensor.register_hook` and
 * `Node.register_hook` return (`handle.remove()` unregisters the hook), under the module path
 * programs name it by (`hooks: list[torch.utils.hooks.RemovableHandle]`).
 *
 * @category torch
 * @since 0.5.0
 */
export { RemovableHandle } from '../autograd/node'

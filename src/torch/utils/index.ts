/**
 * `torch.utils`: `data` (datasets, samplers, DataLoader), `checkpoint` and `hooks` (RemovableHandle).
 *
 * @category torch
 * @since 0.2.0
 */
/** `torch.utils.data`. @category torch @since 0.2.0 */
export * as data from './data/index'
/** `torch.utils.checkpoint`. @category torch @since 0.2.0 */
export * as checkpoint from './checkpoint'
/** `torch.utils.hooks`. @category torch @since 0.5.0 */
export * as hooks from './hooks'

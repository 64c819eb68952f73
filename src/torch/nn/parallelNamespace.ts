/**
 * `torch.nn.parallel`: `DataParallel` and `data_parallel` (without accelerators they call the module).
 *
 * @category torch
 * @since 0.3.0
 */
export { DataParallel, data_parallel, type DataParallelKw } from './parallel'

/**
 * `nn.DataParallel`, `nn.parallel.data_parallel` and `nn.SyncBatchNorm` as PyTorch runs them on a
 * machine without accelerators: DataParallel holds its module under `module` (state-dict keys
 * `module.…`) and calls it directly; SyncBatchNorm outside an initialised process group is batch norm
 * over any input of rank ≥ 2, and `SyncBatchNorm.convert_sync_batchnorm(model)` swaps every batch-norm
 * layer of a model for one sharing its parameters and statistics.
 *
 * @category torch
 * @since 0.3.0
 */
import { TorchValueError } from '../errors'
import { leadingKeywords, parseArgs, type PyArgs } from '../kwargs'
import type { TorchDType } from '../dtype'
import { Tensor } from '../tensor'
import { Module } from './module'
import { BatchNormBase, isBatchNorm } from './norm'
import { pyClass } from './pyclass'

/** The keywords of `DataParallel` and `data_parallel`. @category torch @since 0.3.0 */
export type DataParallelKw = {
  readonly device_ids?: ReadonlyArray<number> | null
  readonly output_device?: number | null
  readonly dim?: number
}

/** See {@link DataParallel}. */
class DataParallelImpl extends Module {
  /** The wrapped module. */
  module: Module
  /** The devices used: empty without accelerators. */
  device_ids: number[]
  readonly dim: number
  constructor(
    module: Module,
    ...rest: PyArgs<
      [device_ids: ReadonlyArray<number> | null, output_device: number | null, dim: number],
      DataParallelKw
    >
  ) {
    super()
    const a = parseArgs('DataParallel.__init__', rest, ['device_ids', 'output_device', 'dim'], 3, 1)
    this.module = module
    this.device_ids = []
    this.dim = (a.dim as number | undefined) ?? 0
  }
  /** Calls the wrapped module (no devices to scatter to). */
  forward(...inputs: unknown[]): unknown {
    return this.module._call_impl(inputs)
  }
}
/**
 * Data parallelism over accelerators; with none (wengert runs on the CPU) it wraps `module` and
 * calls it, as PyTorch does on a CPU-only machine — state-dict keys gain the `module.` prefix.
 * @example
 * import * as torch from 'wengert/torch'
 * const model = torch.nn.DataParallel(torch.nn.Linear(2, 1))
 * assert.deepStrictEqual(Object.keys(model.state_dict()), ['module.weight', 'module.bias'])
 * assert.strictEqual((model(torch.ones(3, 2)) as torch.Tensor).shape[0], 3)
 * @category torch @since 0.3.0
 */
export const DataParallel = pyClass(
  DataParallelImpl,
  'DataParallel',
  leadingKeywords('DataParallel.__init__', ['module']),
)
/** A `DataParallel` instance. @category torch @since 0.3.0 */
export type DataParallel = DataParallelImpl

/**
 * The functional form of `DataParallel`: without accelerators, `module(...inputs)` (an array is the
 * positional arguments, anything else one argument), with `module_kwargs` as its keyword object.
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.nn.parallel.data_parallel(torch.nn.Linear(2, 3), torch.ones(4, 2)) as torch.Tensor
 * assert.strictEqual(y.shape[1], 3)
 * @category torch @since 0.3.0
 */
export const data_parallel = (
  module: Module,
  inputs: unknown,
  ...rest: PyArgs<
    [
      device_ids: ReadonlyArray<number> | null,
      output_device: number | null,
      dim: number,
      module_kwargs: Record<string, unknown> | null,
    ],
    DataParallelKw & { readonly module_kwargs?: Record<string, unknown> | null }
  >
): unknown => {
  const a = parseArgs('data_parallel', rest, ['device_ids', 'output_device', 'dim', 'module_kwargs'])
  const args = Array.isArray(inputs) ? [...(inputs as unknown[])] : [inputs]
  const kw = (a.module_kwargs as Record<string, unknown> | null | undefined) ?? null
  return module._call_impl(kw === null ? args : [...args, kw])
}

type SyncKw = {
  readonly num_features?: number
  readonly eps?: number
  readonly momentum?: number | null
  readonly affine?: boolean
  readonly track_running_stats?: boolean
  readonly process_group?: null
  readonly device?: string | null
  readonly dtype?: TorchDType | null
}
const SYNC_NAMES = [
  'num_features',
  'eps',
  'momentum',
  'affine',
  'track_running_stats',
  'process_group',
  'device',
  'dtype',
]

/** See {@link SyncBatchNorm}. */
class SyncBatchNormImpl extends BatchNormBase {
  readonly ranks = [2, 3, 4, 5, 6, 7, 8]
  /** Always null: wengert has no process groups. */
  readonly process_group: null = null
  constructor(
    ...args: PyArgs<
      [
        num_features: number,
        eps: number,
        momentum: number | null,
        affine: boolean,
        track_running_stats: boolean,
        process_group: null,
        device: string | null,
        dtype: TorchDType | null,
      ],
      SyncKw
    >
  ) {
    const a = parseArgs('SyncBatchNorm.__init__', args, SYNC_NAMES)
    if (a.process_group !== undefined && a.process_group !== null)
      throw new TorchValueError('SyncBatchNorm: process_group is not supported (wengert has no torch.distributed)')
    const kw = Object.fromEntries(Object.entries(a).filter(([k, v]) => k !== 'process_group' && v !== undefined))
    super('SyncBatchNorm', [kw], { affine: true, track: true })
  }
  /** Batch norm over dim 1 of an input of rank ≥ 2 (no process group to synchronise with). */
  override forward(input: Tensor): Tensor {
    if (input.dim() < 2) throw new TorchValueError(`expected at least 2D input (got ${input.dim()}D input)`)
    if (input.size(1) === 0) throw new TorchValueError('SyncBatchNorm number of input channels should be non-zero')
    return super.forward(input)
  }

  /**
   * `module` with every batch-norm layer replaced by a SyncBatchNorm sharing its parameters, running
   * statistics and training flag (a batch-norm `module` itself is replaced and returned).
   */
  static convert_sync_batchnorm(module: Module, process_group: null = null): Module {
    let out = module
    if (isBatchNorm(module)) {
      const s = new SyncBatchNormImpl(
        module.num_features,
        module.eps,
        module.momentum,
        module.affine,
        module.track_running_stats,
        process_group,
      )
      if (module.affine) {
        s.weight = module.weight
        s.bias = module.bias
      }
      s.running_mean = module.running_mean
      s.running_var = module.running_var
      s.num_batches_tracked = module.num_batches_tracked
      s.training = module.training
      out = s
    }
    for (const [name, child] of [...module.named_children()])
      out.add_module(name, SyncBatchNormImpl.convert_sync_batchnorm(child, process_group))
    return out
  }
}
/**
 * Batch norm synchronised across processes; wengert runs one process, so it is batch norm over
 * dim 1 of any input of rank ≥ 2 (PyTorch's fallback without an initialised process group).
 * `SyncBatchNorm.convert_sync_batchnorm(model)` converts a model's batch-norm layers.
 * @example
 * import * as torch from 'wengert/torch'
 * const model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2))
 * const sync = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model) as torch.nn.Sequential
 * assert.ok(sync.at(1) instanceof torch.nn.SyncBatchNorm)
 * assert.deepStrictEqual([...sync(torch.ones(4, 1, 5, 5)).shape], [4, 2, 3, 3])
 * @category torch @since 0.3.0
 */
export const SyncBatchNorm = pyClass(SyncBatchNormImpl, 'SyncBatchNorm')
/** A `SyncBatchNorm` instance. @category torch @since 0.3.0 */
export type SyncBatchNorm = SyncBatchNormImpl

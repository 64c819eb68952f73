/**
 * PyTorch's global switches that ported code sets and reads: inter-op threads, always-warn,
 * flushing denormals, anomaly mode's NaN check, the autocast settings (`set_autocast_*`,
 * `autocast_increment_nesting`, `clear_autocast_cache`, as on PyTorch's CPU build) and
 * `torch.get_device`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.get_num_interop_threads(), 1)
 * assert.strictEqual(torch.get_device(torch.ones(2)), -1)
 * torch.set_warn_always(true)
 * assert.strictEqual(torch.is_warn_always_enabled(), true)
 * torch.set_warn_always(false)
 * assert.strictEqual(torch.autocast_increment_nesting(), 1)
 * assert.strictEqual(torch.autocast_decrement_nesting(), 0)
 * @category torch
 * @since 0.2.0
 */
import { autocastState } from './autocastState'
import { bfloat16, float16 } from './dtypeUnsupported'
import type { TorchDType } from './dtype'
import { RuntimeError, TorchTypeError } from './errors'
import { fixedArity } from './positionalArity'
import { pyTypeName, requireTensorArgs } from './pyTypeName'
import type { Tensor } from './tensor'
import { setWarnAlways } from './warnings'

const state = { interop: 1, interopSet: false, warnAlways: false }

/** PyTorch's check of a bool argument of a C++ binding (a TypeError, or the binding's RuntimeError). */
const requireBool = (msg: (got: string) => string, v: unknown, runtime = false): void => {
  if (typeof v === 'boolean') return
  throw runtime ? new RuntimeError(msg(pyTypeName(v))) : new TorchTypeError(msg(pyTypeName(v)))
}

/**
 * `torch.set_num_interop_threads(n)`: the size of the inter-op thread pool. Once only, as
 * PyTorch's (the facade runs inter-op work on the calling thread; the number is recorded).
 * @category torch @since 0.2.0
 */
export const set_num_interop_threads = (n: number): void => {
  if (!Number.isInteger(n) || n <= 0) throw new RuntimeError('set_num_interop_threads expects a positive integer')
  if (state.interopSet)
    throw new RuntimeError(
      'Error: cannot set number of interop threads after parallel work has started or set_num_interop_threads called',
    )
  state.interop = n
  state.interopSet = true
}

/** `torch.get_num_interop_threads()`: 1 unless set (inter-op work runs on the calling thread). @category torch @since 0.2.0 */
export const get_num_interop_threads = (): number => state.interop

/**
 * `torch.set_warn_always(b)`: whether warnings PyTorch gives once (`TORCH_WARN_ONCE`) are given
 * every time. @category torch @since 0.2.0
 */
export const set_warn_always = (b: boolean): void => {
  requireBool((got) => `setWarnOnlyOnce expects a bool, but got ${got}`, b, true)
  state.warnAlways = b
  setWarnAlways(b)
}

/** `torch.is_warn_always_enabled()` (see {@link set_warn_always}). @category torch @since 0.2.0 */
export const is_warn_always_enabled = fixedArity('is_warn_always_enabled', (): boolean => state.warnAlways)

/**
 * `torch.set_flush_denormal(mode)`: false, as PyTorch returns on a CPU that cannot flush
 * denormals — JavaScript numbers keep subnormals, so the request is not honoured.
 * @category torch @since 0.2.0
 */
export const set_flush_denormal = (mode: boolean): boolean => {
  requireBool((got) => `set_flush_denormal expects a bool, but got ${got}`, mode)
  return false
}

/**
 * `torch.is_anomaly_check_nan_enabled()`: true — the facade's anomaly mode
 * (`autograd.detect_anomaly`) has no `check_nan` switch, so it has PyTorch's default.
 * @category torch @since 0.2.0
 */
export const is_anomaly_check_nan_enabled = (): boolean => true

/** `torch.set_autocast_enabled(enabled)`: the CUDA autocast flag (no CUDA op runs here). @category torch @since 0.2.0 */
export const set_autocast_enabled = (enabled: boolean): void => {
  requireBool((got) => `enabled must be a bool (got ${got})`, enabled)
  autocastState.gpuEnabled = enabled
}

/**
 * `torch.set_autocast_cpu_enabled(enabled)`: false is accepted; true raises, since wengert has no
 * bfloat16/float16 tensors to cast CPU ops to (see `torch.autocast`).
 * @category torch @since 0.2.0
 */
export const set_autocast_cpu_enabled = (enabled: boolean): void => {
  requireBool((got) => `enabled must be a bool (got ${got})`, enabled)
  if (enabled)
    throw new TorchTypeError(
      `set_autocast_cpu_enabled: cpu autocast to ${String(autocastState.cpuDtype)} is not supported by wengert (it has no ${String(autocastState.cpuDtype)} tensors; its floating tensors are float32 and float64).`,
    )
}

/**
 * `torch.set_autocast_cpu_dtype(dtype)`: bfloat16 or float16 (PyTorch 2.x; 1.13 took bfloat16
 * only), else PyTorch's error. @category torch @since 0.2.0
 */
export const set_autocast_cpu_dtype = (dtype: TorchDType): void => {
  if (dtype !== bfloat16 && dtype !== float16)
    throw new RuntimeError('Currently, AutocastCPU only support Bfloat16 as the autocast_cpu_dtype')
  autocastState.cpuDtype = dtype
}

/** `torch.set_autocast_gpu_dtype(dtype)`: the dtype CUDA autocast casts to. @category torch @since 0.2.0 */
export const set_autocast_gpu_dtype = (dtype: TorchDType): void => {
  autocastState.gpuDtype = dtype
}

/** `torch.set_autocast_cache_enabled(enabled)`: whether autocast caches casted weights. @category torch @since 0.2.0 */
export const set_autocast_cache_enabled = (enabled: boolean): void => {
  requireBool((got) => `enabled must be a bool (got ${got})`, enabled)
  autocastState.cacheEnabled = enabled
}

/** `torch.is_autocast_cache_enabled()` (true by default). @category torch @since 0.2.0 */
export const is_autocast_cache_enabled = (): boolean => autocastState.cacheEnabled

/** `torch.autocast_increment_nesting()`: the autocast nesting depth after entering one more region. @category torch @since 0.2.0 */
export const autocast_increment_nesting = (): number => ++autocastState.nesting

/** `torch.autocast_decrement_nesting()`: the depth after leaving one (it may go negative, as PyTorch's). @category torch @since 0.2.0 */
export const autocast_decrement_nesting = (): number => --autocastState.nesting

/** `torch.clear_autocast_cache()`: empties the cache of casted weights (always empty here). @category torch @since 0.2.0 */
export const clear_autocast_cache = (): void => undefined

/** `torch.get_device(input)`: the tensor's device index, −1 for CPU tensors. @category torch @since 0.2.0 */
export const get_device = fixedArity('get_device', (input: Tensor): number => {
  requireTensorArgs('get_device', ['input'], [input])
  return input.get_device()
})

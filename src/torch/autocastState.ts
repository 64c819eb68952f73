/**
 * The autocast settings PyTorch keeps per thread, which `torch.set_autocast_*` change and
 * `torch.is_autocast_*` / `torch.get_autocast_*` read (./amp.ts, ./switches.ts).
 *
 * @category torch
 * @since 0.2.0
 */
import { bfloat16, float16 } from './dtypeUnsupported'
import type { TorchDType } from './dtype'

/** @internal The settings (module state: the facade runs on one thread). */
export const autocastState: {
  gpuEnabled: boolean
  cpuDtype: TorchDType
  gpuDtype: TorchDType
  cacheEnabled: boolean
  nesting: number
} = { gpuEnabled: false, cpuDtype: bfloat16, gpuDtype: float16, cacheEnabled: true, nesting: 0 }

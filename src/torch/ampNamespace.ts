/**
 * `torch.amp`: `autocast(device_type, …)` and `GradScaler(device, …)` (see `amp.ts`).
 *
 * @category torch
 * @since 0.2.0
 */
export { autocast, GradScaler, type AutocastKw, type GradScalerKw, type GradScalerState } from './amp'

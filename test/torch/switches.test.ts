/**
 * torch's global switches (inter-op threads, warn-always, anomaly NaN check, autocast settings,
 * get_device) against a fresh PyTorch 1.13 process (fixtures/switches.py writes
 * fixtures/switches.json).
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'
import fx from './fixtures/switches.json'
import { errorOf as thrown } from '../helpers/fixtureErrors'

const asNull = (v: unknown): unknown => (v === undefined ? null : v)

describe('global switches as PyTorch 1.13 sets them', () => {
  it('autocast settings and nesting', () => {
    const enabled = [torch.is_autocast_enabled(), asNull(torch.set_autocast_enabled(true)), torch.is_autocast_enabled()]
    torch.set_autocast_enabled(false)
    expect(enabled).toEqual(fx.autocast_enabled)
    expect(thrown(() => torch.set_autocast_enabled(1 as unknown as boolean))).toEqual(fx.autocast_enabled_int)
    expect(thrown(() => torch.set_autocast_cpu_dtype(torch.float32))).toEqual(fx.cpu_dtype_bad)
    torch.set_autocast_gpu_dtype(torch.float64)
    expect(String(torch.get_autocast_gpu_dtype())).toBe(fx.gpu_dtype)
    torch.set_autocast_gpu_dtype(torch.float16)
    const cache = [
      torch.is_autocast_cache_enabled(),
      asNull(torch.set_autocast_cache_enabled(false)),
      torch.is_autocast_cache_enabled(),
    ]
    torch.set_autocast_cache_enabled(true)
    expect(cache).toEqual(fx.cache)
    const nesting = [1, 2, 3, 4, 5].map((i) =>
      i <= 2 ? torch.autocast_increment_nesting() : torch.autocast_decrement_nesting(),
    )
    torch.autocast_increment_nesting()
    expect(nesting).toEqual(fx.nesting)
    expect(asNull(torch.clear_autocast_cache())).toBe(fx.clear_cache)
  })

  it('CPU autocast cannot be switched on (no bfloat16/float16 tensors)', () => {
    expect(() => torch.set_autocast_cpu_enabled(true)).toThrow(/not supported by wengert/)
    expect(() => torch.set_autocast_cpu_enabled(false)).not.toThrow()
  })

  it('inter-op threads: positive, settable once', () => {
    expect(thrown(() => torch.set_num_interop_threads(0))).toEqual(fx.interop_bad)
    expect([asNull(torch.set_num_interop_threads(2)), torch.get_num_interop_threads()]).toEqual(fx.interop)
    expect(() => torch.set_num_interop_threads(3)).toThrow(/cannot set number of interop threads/)
  })

  it('warn-always, anomaly NaN check, flush-denormal, get_device', () => {
    const w = [torch.is_warn_always_enabled(), asNull(torch.set_warn_always(true)), torch.is_warn_always_enabled()]
    torch.set_warn_always(false)
    expect(w).toEqual(fx.warn_always)
    expect(thrown(() => torch.set_warn_always(1 as unknown as boolean))).toEqual(fx.warn_always_int)
    expect(torch.is_anomaly_check_nan_enabled()).toBe(fx.check_nan)
    expect(torch.set_flush_denormal(true)).toBe(false)
    expect(torch.get_device(torch.ones(2))).toBe(fx.get_device)
    expect(thrown(() => torch.get_device(3 as unknown as torch.Tensor))).toEqual(fx.get_device_int)
  })
})

/**
 * torch.autocast / torch.amp.GradScaler / torch.jit / torch.random.fork_rng.
 *
 * - The CUDA forms on a CPU-only build: warnings, pass-through values and `state_dict` as real
 *   PyTorch 1.13 prints them (run by hand: `torch.cuda.amp.GradScaler()` warns
 *   "torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.", then
 *   `get_scale()` is 1.0, `scale(x) is x`, `state_dict()` is {}; `torch.autocast('cuda')` warns
 *   "User provided device_type of 'cuda', but CUDA is not available. Disabling").
 * - The CPU scaler (PyTorch 2.3+; 1.13 has none): scaling by a power of two is exact in float32,
 *   so a scaled SGD run must give bit-identical parameters to the unscaled run; the growth/backoff
 *   schedule follows from its definition.
 */
import { describe, expect, it } from 'vitest'
import * as torch from 'wengert/torch'

const warnings = <R>(body: () => R): [R, string[]] => {
  const [r, w] = torch.warnings.catch_warnings(body)
  return [r, w.map((x) => x.message)]
}

const train = (scaler: torch.amp.GradScaler | null, steps: number, poison = -1): number[] => {
  torch.manual_seed(3)
  const model = torch.nn.Linear(3, 2)
  const opt = torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })
  const x = torch.randn(5, 3)
  for (let i = 0; i < steps; i++) {
    opt.zero_grad()
    const loss = model(x)
      .pow(2)
      .mean()
      .mul(i === poison ? Infinity : 1)
    if (scaler === null) {
      loss.backward()
      if (i !== poison) opt.step()
    } else {
      scaler.scale(loss).backward()
      scaler.step(opt)
      scaler.update()
    }
  }
  return [...(model.weight.flatten().tolist() as number[]), ...((model.bias as torch.Tensor).tolist() as number[])]
}

describe('GradScaler on the CPU', () => {
  it('trains bit-identically to the unscaled loop (power-of-two scale)', () => {
    const s = torch.amp.GradScaler('cpu', { init_scale: 1024, growth_interval: 3 })
    expect(train(s, 7)).toEqual(train(null, 7))
    expect(s.get_scale()).toBe(1024 * 4) // grew after steps 3 and 6
  })
  it('skips the step with an inf gradient and backs the scale off', () => {
    const s = torch.amp.GradScaler('cpu', { init_scale: 256, growth_interval: 100 })
    expect(train(s, 4, 1)).toEqual(train(null, 4, 1))
    expect(s.get_scale()).toBe(128)
    expect(s.state_dict()).toEqual({
      scale: 128,
      growth_factor: 2,
      backoff_factor: 0.5,
      growth_interval: 100,
      _growth_tracker: 2,
    })
  })
  it('raises PyTorch’s errors on misuse', () => {
    const s = torch.amp.GradScaler('cpu')
    const model = torch.nn.Linear(2, 1)
    const opt = torch.optim.SGD(model.parameters(), { lr: 0.1 })
    expect(() => s.step(opt)).toThrow('Attempted step but _scale is None.')
    s.scale(model(torch.ones(1, 2)).sum()).backward()
    s.unscale_(opt)
    expect(() => s.unscale_(opt)).toThrow(
      'unscale_() has already been called on this optimizer since the last update().',
    )
    s.step(opt)
    expect(() => s.step(opt)).toThrow('step() has already been called since the last update().')
    s.update(8)
    expect(s.get_scale()).toBe(8)
  })
  it('loads its state dict', () => {
    const a = torch.amp.GradScaler('cpu', { init_scale: 4 })
    const b = torch.amp.GradScaler('cpu')
    b.load_state_dict({ ...a.state_dict(), _growth_tracker: 5 })
    expect(b.state_dict()).toEqual({ ...a.state_dict(), _growth_tracker: 5 })
  })
})

describe('the CUDA forms on a CPU-only build (as PyTorch 1.13 prints)', () => {
  it('GradScaler disables itself with PyTorch’s warning and passes everything through', () => {
    const [s, w] = warnings(() => torch.cuda.amp.GradScaler())
    expect(w).toEqual(['torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.'])
    const x = torch.ones(2)
    expect([s.get_scale(), s.is_enabled(), s.state_dict(), s.scale(x) === x]).toEqual([1, false, {}, true])
    const model = torch.nn.Linear(2, 1)
    const opt = torch.optim.SGD(model.parameters(), { lr: 1 })
    model(torch.ones(1, 2)).sum().backward()
    const bias = model.bias as torch.Tensor
    const before = bias.item() as number
    s.step(opt)
    expect(bias.item()).toBeCloseTo(before - 1, 6)
  })
  it('autocast("cuda") warns and runs its body unchanged', () => {
    const [y, w] = warnings(() => torch.autocast('cuda', {}, () => torch.ones(2).add(1)))
    expect(w).toEqual(["User provided device_type of 'cuda', but CUDA is not available. Disabling"])
    expect(y.tolist()).toEqual([2, 2])
  })
  it('autocast rejects what it cannot honour', () => {
    expect(() => torch.autocast('xyz')).toThrow("User specified an unsupported autocast device_type 'xyz'")
    expect(() => torch.autocast('cpu')).toThrow(/bfloat16 is not supported by wengert/)
    expect(() => torch.cpu.amp.autocast()).toThrow(/not supported/)
    expect(torch.autocast('cpu', { enabled: false }, () => 7)).toBe(7)
    expect([torch.is_autocast_enabled(), String(torch.get_autocast_cpu_dtype())]).toEqual([false, 'torch.bfloat16'])
  })
})

describe('torch.jit and torch.random', () => {
  it('script/trace return code that computes the same values', () => {
    const f = (x: torch.Tensor) => x.relu().sum()
    expect(torch.jit.script(f)).toBe(f)
    const m = torch.nn.Linear(2, 2)
    expect(torch.jit.trace(m, torch.ones(1, 2))).toBe(m)
    expect(() => torch.jit.trace(m, torch.ones(1, 3))).toThrow(/shapes cannot be multiplied/)
    expect([torch.jit.is_scripting(), torch.jit.is_tracing(), torch.jit.annotate('int', 3)]).toEqual([false, false, 3])
    expect(torch.jit.wait(torch.jit.fork((a: number) => a + 1, 2))).toBe(3)
    expect(() => torch.jit.freeze(m)).toThrow(/only implemented for modules in eval mode/)
    expect(() => torch.jit.save(m, 'm.pt')).toThrow(/TorchScript archives are not supported/)
  })
  it('fork_rng restores the global stream', () => {
    torch.manual_seed(0)
    const inside = torch.random.fork_rng(() => torch.rand(3))
    expect(torch.rand(3).tolist()).toEqual(inside.tolist())
    torch.manual_seed(0)
    torch.random.fork_rng({ enabled: false }, () => torch.rand(3))
    expect(torch.rand(3).tolist()).not.toEqual(inside.tolist())
  })
})

describe('torch.compile', () => {
  it('returns the model itself, checks its options as PyTorch 2.x', () => {
    const m = torch.nn.Linear(2, 1)
    expect(torch.compile(m, { mode: 'reduce-overhead', fullgraph: true })).toBe(m)
    const f = (x: torch.Tensor) => x.add(1)
    expect(torch.compile()(f)).toBe(f)
    expect(() => torch.compile(m, { mode: 'fast' })).toThrow(
      'Unrecognized mode=fast, should be one of: default, reduce-overhead, max-autotune, max-autotune-no-cudagraphs',
    )
    expect(() => torch.compile(m, { mode: 'default', options: {} })).toThrow('Either mode or options can be specified')
  })
})

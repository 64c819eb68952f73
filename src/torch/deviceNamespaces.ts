/**
 * The namespaces that gather device and precision switches: `torch.cuda` (with `torch.cuda.amp`),
 * `torch.cpu` (with `torch.cpu.amp`) and `torch.random` (the global generator's
 * functions and `fork_rng`).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * torch.manual_seed(0)
 * const a = torch.random.fork_rng(() => torch.rand(2))
 * assert.ok(torch.rand(2).equal(a)) // fork_rng restored the state it found
 * assert.strictEqual(torch.cpu.is_available(), true)
 * assert.strictEqual(torch.cuda.amp.GradScaler({ enabled: false }).get_scale(), 1)
 * @category torch
 * @since 0.2.0
 */
import { cpuAutocast, cpuGradScaler, cudaAutocast, cudaGradScaler } from './amp'
import { contextManager, type ContextManager } from './contextManager'
import { cuda as cudaDevice } from './device'
import { get_rng_state, initial_seed, manual_seed, seed, set_rng_state } from './generator'
import { type Tensor } from './tensor'

/**
 * `torch.cuda` of a CPU-only build (see `device.ts`), with `torch.cuda.amp`'s `autocast` and
 * `GradScaler`, which disable themselves with PyTorch's warning.
 * @category torch @since 0.2.0
 */
export const cuda = {
  ...cudaDevice,
  amp: { autocast: cudaAutocast, GradScaler: cudaGradScaler },
} as const

/**
 * `torch.cpu`: the one device wengert computes on, and `torch.cpu.amp`.
 * @category torch @since 0.2.0
 */
export const cpu = {
  /** True: the CPU is always there. */
  is_available: (): boolean => true,
  /** 1 (PyTorch 2.x counts the CPU as one device). */
  device_count: (): number => 1,
  /** `'cpu'`. */
  current_device: (): string => 'cpu',
  /** A no-op: CPU work is synchronous. */
  synchronize: (_device?: unknown): void => undefined,
  amp: { autocast: cpuAutocast, GradScaler: cpuGradScaler },
} as const

/** Keyword arguments of {@link random}'s `fork_rng`. @category torch @since 0.2.0 */
export interface ForkRngKw {
  readonly devices?: ReadonlyArray<unknown> | null
  readonly enabled?: boolean
  readonly device_type?: string
}

/**
 * PyTorch's `torch.random.fork_rng`: the global generator's state is saved on entry and restored
 * on exit, so draws inside do not move the stream outside. With a callback, runs it and returns
 * its result; otherwise returns the context object.
 */
function fork_rng(kw?: ForkRngKw): ContextManager
function fork_rng<R>(body: () => R): R
function fork_rng<R>(kw: ForkRngKw, body: () => R): R
function fork_rng<R>(a?: ForkRngKw | (() => R), b?: () => R): ContextManager | R {
  const kw = typeof a === 'function' ? {} : (a ?? {})
  const body = typeof a === 'function' ? a : b
  const saved: Tensor[] = []
  const cm =
    kw.enabled === false
      ? contextManager(
          () => undefined,
          () => undefined,
        )
      : contextManager(
          () => saved.push(get_rng_state()),
          () => set_rng_state(saved.pop() as Tensor),
        )
  return body === undefined ? cm : cm(body)()
}

/**
 * `torch.random`: the global generator's `manual_seed`, `seed`, `initial_seed`,
 * `get_rng_state`, `set_rng_state`, and `fork_rng`.
 * @category torch @since 0.2.0
 */
export const random = { manual_seed, seed, initial_seed, get_rng_state, set_rng_state, fork_rng } as const

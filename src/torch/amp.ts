/**
 * Automatic mixed precision as a CPU-only PyTorch build runs it: `torch.autocast` /
 * `torch.amp.autocast` (and the `torch.cuda.amp` / `torch.cpu.amp` spellings) and
 * `torch.amp.GradScaler`, so that training loops written for GPUs run unchanged.
 *
 * - CUDA autocast and CUDA gradient scaling are disabled with PyTorch's warning (there is no
 *   CUDA device), and then do nothing, exactly as on a CPU-only PyTorch.
 * - CPU autocast casts ops to `bfloat16`/`float16`, which wengert has no storage for: entering it
 *   enabled raises a typed "not supported" error instead of silently computing in float32.
 * - A CPU `GradScaler` (PyTorch 2.3+) scales for real: scaled losses, unscaled gradients,
 *   skipped steps on inf/NaN and the growth/backoff schedule of the scale.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const model = torch.nn.Linear(2, 1)
 * const opt = torch.optim.SGD(model.parameters(), { lr: 0.1 })
 * const scaler = torch.amp.GradScaler('cpu', { init_scale: 1024 })
 * const loss = model(torch.ones(1, 2)).sum()
 * scaler.scale(loss).backward()
 * scaler.step(opt)
 * scaler.update()
 * assert.strictEqual(scaler.get_scale(), 1024)
 * @category torch
 * @since 0.2.0
 */
import { contextManager, type ContextManager } from './contextManager'
import { bfloat16, float16 } from './dtypeUnsupported'
import { autocastState } from './autocastState'
import { type TorchDType } from './dtype'
import { AssertionError, RuntimeError, TorchTypeError, TorchValueError } from './errors'
import { parseArgs, type PyArgs } from './kwargs'
import { no_grad } from './autograd/grad_mode'
import { type Optimizer } from './optim/optimizer'
import { Tensor } from './tensor'
import { float32 } from './dtype'
import { pyClass } from './nn/pyclass'
import { full } from './creation'
import { warn } from './warnings'

// -------------------------------------------------------------------------------------
// autocast
// -------------------------------------------------------------------------------------

/** Keyword arguments of {@link autocast}. @category torch @since 0.2.0 */
export interface AutocastKw {
  readonly dtype?: TorchDType | null
  readonly enabled?: boolean
  readonly cache_enabled?: boolean | null
}

/** Whether CUDA autocast is on (`torch.set_autocast_enabled`; no CUDA op runs on this CPU-only build). @category torch @since 0.2.0 */
export const is_autocast_enabled = (): boolean => autocastState.gpuEnabled
/** Whether CPU autocast is active: never (see {@link autocast}). @category torch @since 0.2.0 */
export const is_autocast_cpu_enabled = (): boolean => false
/** The dtype CPU autocast casts to (`torch.bfloat16` unless `torch.set_autocast_cpu_dtype` changed it). @category torch @since 0.2.0 */
export const get_autocast_cpu_dtype = (): TorchDType => autocastState.cpuDtype
/** The dtype CUDA autocast casts to (`torch.float16` unless `torch.set_autocast_gpu_dtype` changed it). @category torch @since 0.2.0 */
export const get_autocast_gpu_dtype = (): TorchDType => autocastState.gpuDtype

const enabledAutocast = (device: string, dtype: TorchDType): never => {
  throw new TorchTypeError(
    `autocast: ${device} autocast to ${String(dtype)} is not supported by wengert (it has no ${String(dtype)} tensors; ` +
      'its floating tensors are float32 and float64). Pass enabled=false, or drop the autocast region.',
  )
}

/** Whether an autocast request stays enabled (PyTorch disables CUDA without a device, with a warning). */
const checkAutocast = (device: string, dtype: TorchDType | null | undefined, enabled: boolean): void => {
  if (device !== 'cpu' && device !== 'cuda')
    throw new RuntimeError(`User specified an unsupported autocast device_type '${device}'`)
  if (!enabled) return
  if (device === 'cuda') {
    warn("User provided device_type of 'cuda', but CUDA is not available. Disabling")
    return
  }
  const d = dtype ?? bfloat16
  if (d !== bfloat16 && d !== float16) {
    warn(
      'In CPU autocast, but the target dtype is not supported. Disabling autocast.\n' +
        'CPU Autocast only supports dtype of torch.bfloat16, torch.float16 currently.',
    )
    return
  }
  enabledAutocast(device, d)
}

/** A callback run inside an autocast region. @category torch @since 0.2.0 */
export type AutocastBody<R> = () => R

/**
 * PyTorch's `torch.autocast(device_type, dtype=None, enabled=True, cache_enabled=None)`: given a
 * callback, runs it in the region; otherwise returns the context object (`enter`/`exit`, or a
 * decorator). On this CPU-only build a CUDA region is disabled with PyTorch's warning and runs
 * its body unchanged; an enabled CPU region raises, since wengert has no bfloat16/float16
 * tensors; `enabled: false` is always a plain region.
 * @example
 * import * as torch from 'wengert/torch'
 * const y = torch.autocast('cpu', { enabled: false }, () => torch.ones(2).mul(3))
 * assert.deepStrictEqual(y.tolist(), [3, 3])
 * assert.throws(() => torch.autocast('cpu', { dtype: torch.bfloat16 }), /not supported/)
 * @category torch @since 0.2.0
 */
export function autocast(device_type: string, kw?: AutocastKw): ContextManager
export function autocast<R>(device_type: string, kw: AutocastKw, body: AutocastBody<R>): R
export function autocast<R>(device_type: string, kw: AutocastKw = {}, body?: AutocastBody<R>): ContextManager | R {
  const a = parseArgs('autocast', [kw], ['dtype', 'enabled', 'cache_enabled'])
  const enabled = a.enabled ?? true
  if (typeof enabled !== 'boolean')
    throw new TorchValueError(`Expected \`enabled\` argument to be a bool, but got ${typeof enabled}`)
  checkAutocast(device_type, a.dtype as TorchDType | null | undefined, enabled)
  const cm = contextManager(
    () => undefined,
    () => undefined,
  )
  return body === undefined ? cm : cm(body)()
}

/** `torch.cuda.amp.autocast(enabled=True, dtype=torch.float16, cache_enabled=True)`: {@link autocast} on 'cuda'. @category torch @since 0.2.0 */
export const cudaAutocast = (kw: AutocastKw = {}): ContextManager => autocast('cuda', { dtype: float16, ...kw })
/** `torch.cpu.amp.autocast(enabled=True, dtype=torch.bfloat16, cache_enabled=True)`: {@link autocast} on 'cpu'. @category torch @since 0.2.0 */
export const cpuAutocast = (kw: AutocastKw = {}): ContextManager => autocast('cpu', { dtype: bfloat16, ...kw })

// -------------------------------------------------------------------------------------
// GradScaler
// -------------------------------------------------------------------------------------

/** Keyword arguments of {@link GradScaler}. @category torch @since 0.2.0 */
export interface GradScalerKw {
  readonly init_scale?: number
  readonly growth_factor?: number
  readonly backoff_factor?: number
  readonly growth_interval?: number
  readonly enabled?: boolean
}

/** What a `GradScaler` has done to one optimizer since the last `update()`. */
const enum Stage {
  Ready,
  Unscaled,
  Stepped,
}

interface PerOptimizer {
  stage: Stage
  /** Whether the unscaled gradients held an inf or NaN (null: not checked yet). */
  foundInf: boolean | null
}

/** A `GradScaler`'s `state_dict()` (empty when the scaler is disabled). @category torch @since 0.2.0 */
export interface GradScalerState {
  readonly scale?: number
  readonly growth_factor?: number
  readonly backoff_factor?: number
  readonly growth_interval?: number
  readonly _growth_tracker?: number
}

const SCALE_NONE = (what: string): string =>
  `Attempted ${what} but _scale is None.  This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration.`

type Scaled<T> = T extends Tensor ? Tensor : T

/** See {@link GradScaler}. */
class GradScalerImpl {
  private _enabled: boolean
  private _scale: Tensor | null = null
  private _growthTracker = 0
  private _growth_factor: number
  private _backoff_factor: number
  private _growth_interval: number
  private _init_scale: number
  private _perOptimizer = new Map<object, PerOptimizer>()

  constructor(
    readonly device: string = 'cuda',
    ...rest: PyArgs<
      [init_scale: number, growth_factor: number, backoff_factor: number, growth_interval: number, enabled: boolean],
      GradScalerKw
    >
  ) {
    const a = parseArgs('GradScaler.__init__', rest, [
      'init_scale',
      'growth_factor',
      'backoff_factor',
      'growth_interval',
      'enabled',
    ])
    this._init_scale = Number(a.init_scale ?? 2 ** 16)
    this._growth_factor = Number(a.growth_factor ?? 2)
    this._backoff_factor = Number(a.backoff_factor ?? 0.5)
    this._growth_interval = Number(a.growth_interval ?? 2000)
    this._enabled = (a.enabled as boolean | undefined) ?? true
    if (device !== 'cpu' && device !== 'cuda')
      throw new RuntimeError(
        `GradScaler: the device '${device}' is not supported (wengert has 'cpu', and 'cuda' disabled)`,
      )
    if (this._enabled) {
      if (!(this._growth_factor > 1)) throw new AssertionError('The growth factor must be > 1.0.')
      if (!(this._backoff_factor < 1)) throw new AssertionError('The backoff factor must be < 1.0.')
    }
    if (this._enabled && device === 'cuda') {
      warn('torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.')
      this._enabled = false
    }
  }

  /** Whether the scaler scales (false for CUDA on this build, or `enabled: false`). */
  is_enabled(): boolean {
    return this._enabled
  }

  /** `outputs` (a tensor, or nested arrays of tensors) multiplied by the scale. */
  scale<T>(outputs: T): Scaled<T> {
    if (!this._enabled) return outputs as Scaled<T>
    const s = (this._scale ??= full([], this._init_scale, { dtype: float32 }))
    const go = (o: unknown): unknown => {
      if (o instanceof Tensor) return o.mul(s)
      if (Array.isArray(o)) return o.map(go)
      throw new TorchValueError('outputs must be a Tensor or an iterable of Tensors')
    }
    return go(outputs) as Scaled<T>
  }

  private _state(optimizer: object): PerOptimizer {
    let st = this._perOptimizer.get(optimizer)
    if (st === undefined) this._perOptimizer.set(optimizer, (st = { stage: Stage.Ready, foundInf: null }))
    return st
  }

  /** Divides `optimizer`'s gradients by the scale in place, noting whether any is inf or NaN. */
  unscale_(optimizer: Optimizer<object, object>): void {
    if (!this._enabled) return
    const s = this._checkScale('unscale_')
    const st = this._state(optimizer)
    if (st.stage === Stage.Unscaled)
      throw new RuntimeError('unscale_() has already been called on this optimizer since the last update().')
    if (st.stage === Stage.Stepped) throw new RuntimeError('unscale_() is being called after step().')
    // PyTorch: the reciprocal in double, rounded to float
    const inv = Math.fround(1 / s)
    let found: boolean | null = null
    no_grad(() => {
      for (const g of optimizer.param_groups)
        for (const p of g.params) {
          const grad = (p as Tensor).grad
          if (grad === null || grad === undefined) continue
          found = (found ?? false) || !grad.isfinite().all().item()
          grad.mul_(inv)
        }
    })
    st.foundInf = found
    st.stage = Stage.Unscaled
  }

  /** Unscales (if not done yet) and runs `optimizer.step()` unless a gradient was inf or NaN. */
  step<R>(optimizer: { step(...args: never[]): R } & Optimizer<object, object>, ...args: unknown[]): R | undefined {
    if (!this._enabled) return (optimizer.step as (...a: unknown[]) => R)(...args)
    const kw = args[args.length - 1]
    if (typeof kw === 'object' && kw !== null && !(kw instanceof Tensor) && 'closure' in kw)
      throw new RuntimeError('Closure use is not currently supported if GradScaler is enabled.')
    this._checkScale('step')
    const st = this._state(optimizer)
    if (st.stage === Stage.Stepped) throw new RuntimeError('step() has already been called since the last update().')
    if (st.stage === Stage.Ready) this.unscale_(optimizer)
    if (st.foundInf === null) throw new AssertionError('No inf checks were recorded for this optimizer.')
    const out = st.foundInf ? undefined : (optimizer.step as (...a: unknown[]) => R)(...args)
    st.stage = Stage.Stepped
    return out
  }

  /** Grows the scale after `growth_interval` clean steps, backs it off after an inf/NaN; or sets it. */
  update(new_scale?: number | Tensor | null): void {
    if (!this._enabled) return
    const s = this._checkScale('update')
    if (new_scale !== undefined && new_scale !== null) this._setScale(new_scale)
    else {
      const found = [...this._perOptimizer.values()].map((st) => st.foundInf).filter((f) => f !== null)
      if (found.length === 0) throw new AssertionError('No inf checks were recorded prior to update.')
      this._schedule(
        s,
        found.some((f) => f),
      )
    }
    this._perOptimizer = new Map()
  }

  /** PyTorch's `_amp_update_scale_` on the float32 scale. */
  private _schedule(s: number, foundInf: boolean): void {
    let next = s
    if (foundInf) {
      next = Math.fround(s * Math.fround(this._backoff_factor))
      this._growthTracker = 0
    } else if (this._growthTracker + 1 === this._growth_interval) {
      const grown = Math.fround(s * Math.fround(this._growth_factor))
      if (Number.isFinite(grown)) next = grown
      this._growthTracker = 0
    } else this._growthTracker += 1
    no_grad(() => (this._scale as Tensor).fill_(next))
  }

  private _setScale(v: number | Tensor): void {
    if (v instanceof Tensor) {
      if (v.numel() !== 1 || v.requires_grad)
        throw new AssertionError(
          'new_scale should be a float or a 1-element torch.cuda.FloatTensor or torch.FloatTensor with requires_grad=False.',
        )
      no_grad(() => (this._scale as Tensor).copy_(v.reshape([])))
    } else no_grad(() => (this._scale as Tensor).fill_(v))
  }

  private _checkScale(what: string): number {
    if (this._scale === null) throw new AssertionError(SCALE_NONE(what))
    return this._scale.item() as number
  }

  /** The current scale (1 when disabled; `init_scale` before the first `scale`). */
  get_scale(): number {
    if (!this._enabled) return 1
    return this._scale === null ? this._init_scale : (this._scale.item() as number)
  }
  get_growth_factor(): number {
    return this._growth_factor
  }
  set_growth_factor(v: number): void {
    this._growth_factor = v
  }
  get_backoff_factor(): number {
    return this._backoff_factor
  }
  set_backoff_factor(v: number): void {
    this._backoff_factor = v
  }
  get_growth_interval(): number {
    return this._growth_interval
  }
  set_growth_interval(v: number): void {
    this._growth_interval = v
  }

  /** The scale, factors, interval and growth tracker (`{}` when disabled). */
  state_dict(): GradScalerState {
    if (!this._enabled) return {}
    return {
      scale: this.get_scale(),
      growth_factor: this._growth_factor,
      backoff_factor: this._backoff_factor,
      growth_interval: this._growth_interval,
      _growth_tracker: this._growthTracker,
    }
  }

  /** Restores {@link GradScalerImpl.state_dict}'s record. */
  load_state_dict(state: GradScalerState): void {
    if (!this._enabled) return
    if (Object.keys(state).length === 0)
      throw new RuntimeError(
        'The source state dict is empty, possibly because it was saved from a disabled instance of GradScaler.',
      )
    this._init_scale = state.scale ?? this._init_scale
    if (this._scale !== null) this._setScale(this._init_scale)
    this._growth_factor = state.growth_factor ?? this._growth_factor
    this._backoff_factor = state.backoff_factor ?? this._backoff_factor
    this._growth_interval = state.growth_interval ?? this._growth_interval
    this._growthTracker = state._growth_tracker ?? this._growthTracker
  }
}

/**
 * PyTorch's `torch.amp.GradScaler(device='cuda', init_scale=65536, growth_factor=2,
 * backoff_factor=0.5, growth_interval=2000, enabled=True)`. `'cuda'` (the default, and
 * `torch.cuda.amp.GradScaler`) is disabled with PyTorch's warning on this CPU-only build: `scale`
 * returns its input, `step` just steps and `get_scale()` is 1. `'cpu'` scales as PyTorch 2.3+.
 * @example
 * import * as torch from 'wengert/torch'
 * const s = torch.amp.GradScaler('cpu', { init_scale: 8 })
 * assert.strictEqual(s.scale(torch.ones(2)).sum().item(), 16)
 * @category torch @since 0.2.0
 */
export const GradScaler = pyClass(GradScalerImpl, 'GradScaler')
/** A `GradScaler` instance. @category torch @since 0.2.0 */
export type GradScaler = GradScalerImpl

/** `torch.cuda.amp.GradScaler(init_scale, growth_factor, backoff_factor, growth_interval, enabled)`: {@link GradScaler} on 'cuda'. @category torch @since 0.2.0 */
export const cudaGradScaler = (
  ...rest: PyArgs<
    [init_scale: number, growth_factor: number, backoff_factor: number, growth_interval: number, enabled: boolean],
    GradScalerKw
  >
): GradScaler => new GradScalerImpl('cuda', ...rest)
/** `torch.cpu.amp.GradScaler(…)`: {@link GradScaler} on 'cpu'. @category torch @since 0.2.0 */
export const cpuGradScaler = (
  ...rest: PyArgs<
    [init_scale: number, growth_factor: number, backoff_factor: number, growth_interval: number, enabled: boolean],
    GradScalerKw
  >
): GradScaler => new GradScalerImpl('cpu', ...rest)

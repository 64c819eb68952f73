/**
 * Devices: `torch.device`, `torch.cuda`, `torch.backends`. wengert runs on the CPU only, so the
 * usual device boilerplate (`torch.device(torch.cuda.is_available() ? 'cuda' : 'cpu')`,
 * `model.to(device)`, `x.to(device)`) runs unchanged and picks the CPU; asking for CUDA raises
 * the `AssertionError` a CPU-only PyTorch build raises.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const device = torch.device(torch.cuda.is_available() ? 'cuda' : 'cpu')
 * assert.strictEqual(String(device), 'cpu')
 * const x = torch.ones(2).to(device)
 * assert.strictEqual(x.device.type, 'cpu')
 * assert.throws(() => x.cuda(), /Torch not compiled with CUDA enabled/)
 * @category torch
 * @since 0.2.0
 */
import { TorchDType } from './dtype'
import { AssertionError, RuntimeError, TorchTypeError } from './errors'
import { isKwargs } from './isKwargs'
import { pyClass } from './nn/pyclass'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** PyTorch's device types, in the order its error message lists them. */
const DEVICE_TYPES = [
  'cpu',
  'cuda',
  'ipu',
  'xpu',
  'mkldnn',
  'opengl',
  'opencl',
  'ideep',
  'hip',
  've',
  'fpga',
  'ort',
  'xla',
  'lazy',
  'vulkan',
  'mps',
  'meta',
  'hpu',
  'privateuseone',
] as const

/** A device type name (`'cpu'`, `'cuda'`, `'mps'`, …). @category torch @since 0.2.0 */
export type DeviceType = (typeof DEVICE_TYPES)[number]

/** See {@link device}. */
class DeviceImpl {
  /** The device type (`'cpu'`, `'cuda'`, …). */
  readonly type: DeviceType
  /** The device ordinal, or null when not given. */
  readonly index: number | null

  constructor(spec: string | DeviceImpl, index?: number | null) {
    if (spec instanceof DeviceImpl) {
      this.type = spec.type
      this.index = spec.index
      return
    }
    if (typeof spec !== 'string')
      throw new TorchTypeError(`device() received an invalid combination of arguments - got (${typeof spec})`)
    const m = /^([a-z_]+)(?::(\d+))?$/.exec(spec)
    const type = m?.[1]
    if (m === null || type === undefined || !(DEVICE_TYPES as ReadonlyArray<string>).includes(type)) {
      throw new RuntimeError(
        `Expected one of ${DEVICE_TYPES.join(', ')} device type at start of device string: ${spec}`,
      )
    }
    if (m[2] !== undefined && index !== undefined && index !== null)
      throw new RuntimeError(`type (string) must not include an index because index was passed explicitly: ${spec}`)
    const i = m[2] !== undefined ? Number(m[2]) : (index ?? null)
    if (i !== null && !(Number.isInteger(i) && i >= 0)) throw new RuntimeError(`Device index must not be negative`)
    this.type = type as DeviceType
    this.index = i
  }

  /** `'cpu'`, `'cuda:0'` (PyTorch's `str(device)`). */
  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`
  }

  /** PyTorch's repr: `device(type='cpu')`. */
  __repr__(): string {
    return `device(type='${this.type}'${this.index === null ? '' : `, index=${this.index}`})`
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.__repr__()
  }

  /** `with torch.device('meta'):` — factories without a `device` use this device until {@link exit}. */
  enter(): this {
    deviceStack.push(defaultDevice)
    defaultDevice = targetDevice(this)
    return this
  }
  /** Leaves the context: the default device is again the one before {@link enter}. */
  exit(): void {
    const prev = deviceStack.pop()
    if (prev !== undefined) defaultDevice = prev
  }
  /** Python's name of {@link enter}. */
  __enter__(): this {
    return this.enter()
  }
  /** Python's name of {@link exit} (exception arguments are ignored; exceptions propagate). */
  __exit__(..._excInfo: unknown[]): void {
    this.exit()
  }
}

/**
 * PyTorch's `torch.device('cpu')`, `torch.device('cuda:0')`, `torch.device('cuda', 1)`. Any
 * device type PyTorch knows may be named; only `'cpu'` can hold tensors here.
 * @example
 * import * as torch from 'wengert/torch'
 * const d = torch.device('cuda', 1)
 * assert.strictEqual(String(d), 'cuda:1')
 * assert.strictEqual(d.__repr__(), "device(type='cuda', index=1)")
 * assert.throws(() => torch.device('gpu'), /Expected one of cpu, cuda/)
 * @category torch @since 0.2.0
 */
export const device = pyClass(DeviceImpl, 'device')
/** A `torch.device` instance. @category torch @since 0.2.0 */
export type device = DeviceImpl

/** The CPU device every tensor with data lives on. */
export const CPU: device = new DeviceImpl('cpu')
/** The meta device: tensors with a shape and a dtype but no data (see `./meta.ts`). */
export const META: device = new DeviceImpl('meta')

/** The device factories use when given none (`torch.set_default_device`, `with torch.device(…)`). */
let defaultDevice: device = CPU
/** The defaults that `device.exit()` restores, innermost last. */
const deviceStack: device[] = []

/**
 * PyTorch's `torch.get_default_device()`: where factories put tensors when given no `device`.
 * @example
 * import * as torch from 'wengert/torch'
 * torch.set_default_device('meta')
 * assert.strictEqual(torch.zeros(2).is_meta, true)
 * torch.set_default_device(null)
 * assert.strictEqual(String(torch.get_default_device()), 'cpu')
 * @category torch @since 0.3.0
 */
export const get_default_device = (): device => defaultDevice

/** PyTorch's `torch.set_default_device(device)` (None: back to the CPU). @category torch @since 0.3.0 */
export const set_default_device = (d: string | device | null): void => {
  defaultDevice = d === null ? CPU : targetDevice(d)
}

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

/** The message of a CPU-only PyTorch build asked for CUDA. */
export const ERR_NO_CUDA = 'Torch not compiled with CUDA enabled'

/**
 * The device `spec` names, checked to be usable: CUDA raises PyTorch's AssertionError ("Torch
 * not compiled with CUDA enabled"), other non-CPU devices a RuntimeError.
 */
export const checkDevice = (spec: string | device): device => {
  const d = spec instanceof DeviceImpl ? spec : new DeviceImpl(spec)
  if (d.type === 'cpu') return CPU
  if (d.type === 'cuda') throw new AssertionError(ERR_NO_CUDA)
  if (d.type === 'mps') throw new RuntimeError('PyTorch is not linked with support for mps devices')
  throw new RuntimeError(`Could not run this operation on the '${d.type}' device: wengert runs on the CPU only`)
}

/**
 * The device a tensor may be put on: the CPU, or the meta device (no data); other devices raise
 * as {@link checkDevice} does.
 */
export const targetDevice = (spec: string | device): device => {
  const d = spec instanceof DeviceImpl ? spec : new DeviceImpl(spec)
  return d.type === 'meta' ? META : checkDevice(d)
}

/** The device of a factory's `device` keyword: the default device when absent or None. */
export const factoryDevice = (spec: string | device | null | undefined): device =>
  spec === undefined || spec === null ? defaultDevice : targetDevice(spec)

/** What `.to(...)` asks for. */
export interface ToRequest {
  readonly dtype?: TorchDType
  /** `copy=True`: always return a new tensor. */
  readonly copy: boolean
  /** The device asked for, if any (the CPU or the meta device). */
  readonly device?: device
}

/** Keyword arguments of `Tensor.to` / `Module.to`. @category torch @since 0.2.0 */
export interface ToKw {
  readonly device?: string | device | null
  readonly dtype?: TorchDType | null
  readonly non_blocking?: boolean
  readonly copy?: boolean
  readonly memory_format?: unknown
}

/** One positional argument of `.to(...)`: a device, a dtype, or a tensor-like with `dtype`. */
export type ToArg = string | device | TorchDType | { readonly dtype: TorchDType } | ToKw | boolean

const KW = ['device', 'dtype', 'non_blocking', 'copy', 'memory_format']

/**
 * Parses PyTorch's `.to(device, dtype, non_blocking, copy)`, `.to(dtype, …)`, `.to(other, …)`
 * and keyword forms; devices are checked with {@link checkDevice}. `fn` names the caller in
 * errors.
 */
export const parseTo = (fn: string, args: ReadonlyArray<unknown>): ToRequest => {
  let dtype: TorchDType | undefined
  let dev: device | undefined
  let copy = false
  const flags: boolean[] = []
  for (const a of args) {
    if (typeof a === 'string' || a instanceof DeviceImpl) dev = targetDevice(a)
    else if (a instanceof TorchDType) dtype = a
    else if (typeof a === 'boolean') flags.push(a)
    else if (isKwargs(a)) {
      for (const [k, v] of Object.entries(a)) {
        if (!KW.includes(k)) throw new TorchTypeError(`${fn}() got an unexpected keyword argument '${k}'`)
        if (k === 'device' && v !== null && v !== undefined) dev = targetDevice(v as string | device)
        if (k === 'dtype' && v !== null && v !== undefined) dtype = v as TorchDType
        if (k === 'copy') copy = v === true
      }
    } else if (typeof a === 'object' && a !== null && (a as { dtype?: unknown }).dtype instanceof TorchDType) {
      dtype = (a as { dtype: TorchDType }).dtype
      const d = (a as { device?: unknown }).device
      if (d instanceof DeviceImpl) dev = d
    } else if (a !== null && a !== undefined) {
      throw new TorchTypeError(`${fn}() received an invalid combination of arguments - got (${typeof a})`)
    }
  }
  // positional (non_blocking, copy) follow the device/dtype
  if (flags.length > 1) copy = flags[1] === true
  const r: ToRequest = dtype === undefined ? { copy } : { dtype, copy }
  return dev === undefined ? r : { ...r, device: dev }
}

// -------------------------------------------------------------------------------------
// torch.cuda, torch.backends
// -------------------------------------------------------------------------------------

/**
 * `torch.cuda` of a CPU-only build: nothing is available; calls that need a GPU raise
 * `AssertionError: Torch not compiled with CUDA enabled`; seeding is a no-op as in PyTorch.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.cuda.is_available(), false)
 * assert.strictEqual(torch.cuda.device_count(), 0)
 * assert.throws(() => torch.cuda.current_device(), /Torch not compiled with CUDA enabled/)
 * @category torch @since 0.2.0
 */
export const cuda = {
  /** False: wengert has no CUDA backend. */
  is_available: (): boolean => false,
  /** 0 GPUs. */
  device_count: (): number => 0,
  /** False (CUDA is never initialised). */
  is_initialized: (): boolean => false,
  /** Raises: there is no current CUDA device. */
  current_device: (): number => {
    throw new AssertionError(ERR_NO_CUDA)
  },
  /** Raises, as PyTorch's CPU-only build. */
  synchronize: (): void => {
    throw new AssertionError(ERR_NO_CUDA)
  },
  /** A no-op, as in PyTorch when CUDA is not available. */
  manual_seed: (_seed: number): void => undefined,
  /** A no-op, as in PyTorch when CUDA is not available. */
  manual_seed_all: (_seed: number): void => undefined,
  /** A no-op (nothing is cached). */
  empty_cache: (): void => undefined,
} as const

/**
 * `torch.backends`: `mps.is_available()` / `is_built()` are false; `cudnn` holds PyTorch's
 * settable flags (`benchmark`, `deterministic`, `enabled`), which change nothing here.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.backends.mps.is_available(), false)
 * torch.backends.cudnn.deterministic = true
 * assert.strictEqual(torch.backends.cudnn.is_available(), false)
 * @category torch @since 0.2.0
 */
export const backends = {
  mps: { is_available: (): boolean => false, is_built: (): boolean => false },
  cuda: { is_built: (): boolean => false },
  cudnn: {
    benchmark: false,
    deterministic: false,
    enabled: true,
    is_available: (): boolean => false,
  },
}

/**
 * Devices, as JAX names them for a CPU-only process: wengert computes on the host, so there is
 * one backend, `'cpu'`, with one device unless `config.update('jax_num_cpu_devices', n)` asks
 * for more (JAX's way of simulating several devices on a CPU). `pmap` maps over at most that many
 * replicas. Arrays already live in host memory: `devicePut` only turns JavaScript values into
 * arrays, `deviceGet` and `blockUntilReady` return their argument.
 *
 * @category transforms
 * @since 0.6.0
 */
import { ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { array } from '../ndarray/create'
import { map } from '../tree'
import { describeValue } from '../internal/options'
import { setLogCompiles } from './jit'

/**
 * One device: a CPU (JAX's `jax.Device`).
 * @category transforms
 * @since 0.6.0
 */
export class Device {
  /** The platform, always `'cpu'`. */
  readonly platform = 'cpu'
  /** The kind of device, always `'cpu'`. */
  readonly deviceKind = 'cpu'
  /** The process that owns it (always 0: one process). */
  readonly processIndex = 0
  /** @internal */
  constructor(
    /** Its number among the devices, from 0. */
    readonly id: number,
  ) {}
  /** `CpuDevice(id=0)`, as JAX prints a CPU device. */
  toString(): string {
    return `CpuDevice(id=${this.id})`
  }
}

let cpuDevices: ReadonlyArray<Device> = [new Device(0)]

const checkBackend = (op: string, backend: string | undefined): void => {
  if (backend === undefined || backend === 'cpu') return
  throw new ValueError(
    `${op}: Unknown backend: '${String(backend)}' requested, but no platforms that are instances of ${String(backend)} are present. Platforms present are: cpu`,
  )
}

/**
 * The devices of the backend (JAX: `jax.devices(backend=None)`).
 * @example
 * import { devices } from 'wengert'
 * assert.strictEqual(String(devices()[0]), 'CpuDevice(id=0)')
 * @category transforms
 * @since 0.6.0
 */
export const devices = (backend?: string): ReadonlyArray<Device> => {
  checkBackend('devices', backend)
  return cpuDevices
}

/**
 * The devices of this process (JAX: `jax.local_devices(process_index=None, backend=None)`).
 * @example
 * import { localDevices, devices } from 'wengert'
 * assert.deepStrictEqual(localDevices(), devices())
 * @category transforms
 * @since 0.6.0
 */
export const localDevices = (processIndex?: number, backend?: string): ReadonlyArray<Device> => {
  checkBackend('localDevices', backend)
  if (processIndex !== undefined && processIndex !== 0)
    throw new ValueError(
      `localDevices: there is one process (index 0), got processIndex ${describeValue(processIndex)}`,
    )
  return cpuDevices
}

/**
 * How many devices there are (JAX: `jax.device_count(backend=None)`).
 * @example
 * import { deviceCount } from 'wengert'
 * assert.strictEqual(deviceCount('cpu'), 1)
 * @category transforms
 * @since 0.6.0
 */
export const deviceCount = (backend?: string): number => devices(backend).length

/**
 * How many devices this process has (JAX: `jax.local_device_count(backend=None)`).
 * @example
 * import { localDeviceCount } from 'wengert'
 * assert.strictEqual(localDeviceCount(), 1)
 * @category transforms
 * @since 0.6.0
 */
export const localDeviceCount = (backend?: string): number => localDevices(undefined, backend).length

/**
 * This process's index among the processes of a computation (JAX: `jax.process_index()`): 0.
 * @example
 * import { processIndex } from 'wengert'
 * assert.strictEqual(processIndex(), 0)
 * @category transforms
 * @since 0.6.0
 */
export const processIndex = (): number => 0

/**
 * How many processes take part (JAX: `jax.process_count()`): 1.
 * @example
 * import { processCount } from 'wengert'
 * assert.strictEqual(processCount(), 1)
 * @category transforms
 * @since 0.6.0
 */
export const processCount = (): number => 1

/**
 * The platform computations run on by default (JAX: `jax.default_backend()`): `'cpu'`.
 * @example
 * import { defaultBackend } from 'wengert'
 * assert.strictEqual(defaultBackend(), 'cpu')
 * @category transforms
 * @since 0.6.0
 */
export const defaultBackend = (): string => 'cpu'

const checkDevice = (op: string, device: unknown): void => {
  if (device === undefined || device === null) return
  if (!(device instanceof Device) || cpuDevices[device.id] !== device)
    throw new ValueError(`${op}: device must be one of devices(), got ${describeValue(device)}`)
}

/**
 * Every leaf of `x` as an array (JAX: `jax.device_put(x, device=None)`): numbers and booleans
 * become 0-d arrays as `array` makes them, arrays are returned as they are (they already live
 * in host memory). `device`, if given, must be one of {@link devices}.
 *
 * @example
 * import { devicePut, devices, type NdArray } from 'wengert'
 * const t = devicePut({ a: 1.5, b: [2, 3] }, devices()[0]) as unknown as { a: NdArray; b: NdArray[] }
 * assert.strictEqual(t.a.item(), 1.5)
 * assert.strictEqual(t.b.length, 2)
 * @category transforms
 * @since 0.6.0
 */
export const devicePut = <T>(x: T, device?: Device): T => {
  checkDevice('devicePut', device)
  return map((l: unknown) => (l instanceof NdArray ? l : array(l as number)), x) as T
}

/**
 * `x` with its arrays on the host (JAX: `jax.device_get(x)`): they already are, so `x` itself.
 * @example
 * import { deviceGet, array } from 'wengert'
 * const t = { w: array([1, 2]) }
 * assert.strictEqual(deviceGet(t), t)
 * @category transforms
 * @since 0.6.0
 */
export const deviceGet = <T>(x: T): T => x

/**
 * Waits until every array in `x` is computed and returns `x` (JAX: `jax.block_until_ready`).
 * wengert computes eagerly and synchronously, so there is nothing to wait for; the function
 * exists so that timing code written for JAX runs unchanged.
 * @example
 * import { blockUntilReady, array, mul } from 'wengert'
 * const y = blockUntilReady(mul(array([1, 2]), 3))
 * assert.deepStrictEqual(y.blockUntilReady().toArray(), [3, 6])
 * @category transforms
 * @since 0.6.0
 */
export const blockUntilReady = <T>(x: T): T => x

/** The configuration names `config.update` takes. */
const OPTIONS = ['jax_num_cpu_devices', 'jax_log_compiles', 'jax_enable_x64', 'jax_platforms', 'jax_platform_name']

/**
 * Global options (JAX: `jax.config`). `update(name, value)` takes the options that mean
 * something here — `jax_num_cpu_devices` (how many CPU devices `devices()` lists and `pmap` may
 * map over), `jax_log_compiles` (as {@link setLogCompiles}), `jax_platforms`/`jax_platform_name`
 * (`'cpu'` only) and `jax_enable_x64` (false only: wengert has no global 64-bit mode; float64
 * arrays are made with `{ dtype: 'float64' }`) — and raises for every other name.
 *
 * @example
 * import { config, deviceCount } from 'wengert'
 * config.update('jax_num_cpu_devices', 4)
 * assert.strictEqual(deviceCount(), 4)
 * config.update('jax_num_cpu_devices', 1)
 * @category transforms
 * @since 0.6.0
 */
export const config = {
  /** Sets a configuration option (see {@link config}). */
  update(name: string, value: unknown): void {
    switch (name) {
      case 'jax_num_cpu_devices':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
          throw new ValueError(
            `config.update: jax_num_cpu_devices must be a positive integer, got ${describeValue(value)}`,
          )
        cpuDevices = Array.from({ length: value }, (_, i) => new Device(i))
        return
      case 'jax_log_compiles':
        setLogCompiles(value === true)
        return
      case 'jax_enable_x64':
        if (value === false || value === 0) return
        throw new ValueError(
          "config.update: jax_enable_x64 is not supported: wengert has no global 64-bit mode; create float64 arrays with { dtype: 'float64' } (array, zeros, arange, random.*) and they stay float64 through every operation",
        )
      case 'jax_platforms':
      case 'jax_platform_name':
        if (value === 'cpu' || value === '' || value === null || value === undefined) return
        throw new ValueError(`config.update: ${name} must be 'cpu' (the only platform), got ${describeValue(value)}`)
      default:
        throw new ValueError(
          `config.update: Unrecognized config option: ${describeValue(name)} (the options wengert has: ${OPTIONS.join(', ')})`,
        )
    }
  },
  /** The current value of `jax_num_cpu_devices`. */
  get jax_num_cpu_devices(): number {
    return cpuDevices.length
  },
  /** Always false (see {@link config}). */
  get jax_enable_x64(): boolean {
    return false
  },
}

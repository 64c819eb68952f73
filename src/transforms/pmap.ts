/**
 * `pmap(f)`: `f` compiled and mapped over a leading axis with one replica per device, as JAX's
 * `jax.pmap`. wengert's devices are the host's CPU (./devices): the replicas run as one batched
 * program (`jit(vmap(f))` with the axis name bound for collectives), so results equal JAX's on
 * as many devices; the mapped size is checked against the device count as JAX checks it, so a
 * program that runs here runs on a machine with that many devices.
 *
 * @category transforms
 * @since 0.6.0
 */
import { ValueError } from '../ndarray/errors'
import { checkOptions, describeValue } from '../internal/options'
import { checkFn, normalizeArgnums, type Argnums } from './common'
import { jit } from './jit'
import { refuseUnsupported } from './jitStatic'
import { mappedSize, vmap, type AxisSpec } from './vmap'
import { Device, devices as allDevices, deviceCount } from './devices'

/** Options of `pmap`. JAX: axis_name, in_axes, out_axes, static_broadcasted_argnums, devices, backend, axis_size. */
export interface PmapOptions {
  /** The name collectives inside `f` reduce over (`lax.psum(x, name)`, …). JAX: axis_name. */
  readonly axisName?: string
  /** The mapped axis of each argument (as vmap's; default 0). JAX: in_axes. */
  readonly inAxes?: AxisSpec
  /** Where the mapped axis goes in the outputs (default 0). JAX: out_axes. */
  readonly outAxes?: AxisSpec
  /** Arguments passed whole to every replica and not traced (as jit's staticArgnums). JAX: static_broadcasted_argnums. */
  readonly staticBroadcastedArgnums?: Argnums
  /** The devices to map over, in order: the mapped size must equal their number. JAX: devices. */
  readonly devices?: ReadonlyArray<Device>
  /** The backend: only `'cpu'`. JAX: backend. */
  readonly backend?: string
  /** The mapped size when no argument is mapped. JAX: axis_size. */
  readonly axisSize?: number
}

const KEYS: ReadonlyArray<keyof PmapOptions> = [
  'axisName',
  'inAxes',
  'outAxes',
  'staticBroadcastedArgnums',
  'devices',
  'backend',
  'axisSize',
]

/** Replicas of the pmaps being traced around the current call (nested pmaps multiply). */
let enclosingReplicas = 1

/** The per-argument axis spec with the static arguments unmapped. */
const effectiveInAxes = (inAxes: AxisSpec | undefined, statics: ReadonlyArray<number>, nargs: number): AxisSpec[] => {
  if (Array.isArray(inAxes) && inAxes.length !== nargs)
    throw new ValueError(
      `pmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments passed to the function, but got len(in_axes)=${inAxes.length}, len(args)=${nargs}`,
    )
  return Array.from({ length: nargs }, (_, i) =>
    statics.includes(i) ? null : Array.isArray(inAxes) ? ((inAxes as AxisSpec[])[i] ?? null) : (inAxes ?? 0),
  )
}

/** Raises unless `n` replicas (inside the enclosing ones) fit the devices. */
const checkReplicas = (n: number, given: ReadonlyArray<Device> | undefined): void => {
  if (given !== undefined) {
    if (n !== given.length)
      throw new ValueError(
        `pmap: Leading axis size of input to pmapped function must equal the number of local devices passed to pmap. Got axis_size=${n}, num_local_devices=${given.length}.`,
      )
    return
  }
  const total = enclosingReplicas * n
  const count = deviceCount()
  if (total > count)
    throw new ValueError(
      `pmap: compiling computation that requires ${total} logical devices, but only ${count} XLA devices are available (num_replicas=${total}); config.update('jax_num_cpu_devices', n) sets how many CPU devices there are`,
    )
}

const checkPmapOptions = (options: PmapOptions): void => {
  refuseUnsupported(options)
  checkOptions('pmap', options, KEYS)
  const { backend, devices, axisName } = options
  if (axisName !== undefined && typeof axisName !== 'string')
    throw new ValueError(`pmap: axisName must be a string, got ${describeValue(axisName)}`)
  if (backend !== undefined && backend !== 'cpu')
    throw new ValueError(
      `pmap: Unknown backend: '${String(backend)}' requested, but no platforms that are instances of ${String(backend)} are present. Platforms present are: cpu`,
    )
  if (devices !== undefined) {
    const known = allDevices()
    if (
      !Array.isArray(devices) ||
      devices.length === 0 ||
      devices.some((d) => !(d instanceof Device) || known[d.id] !== d)
    )
      throw new ValueError(
        `pmap: devices must be a non-empty array of devices from devices(), got ${describeValue(devices)}`,
      )
  }
}

/**
 * Maps `f` over a leading axis with one replica per device, compiled (JAX's `pmap`): like
 * `jit(vmap(f, { axisName, inAxes, outAxes }))`, and collectives over `axisName` (`lax.psum`,
 * `lax.pmean`, …) reduce across the replicas. The mapped size must not exceed
 * {@link deviceCount} (one CPU device unless `config.update('jax_num_cpu_devices', n)`), and must
 * equal `devices.length` when `devices` is given; nested pmaps multiply their sizes. Static
 * arguments (`staticBroadcastedArgnums`) reach every replica whole. `donateArgnums` is refused,
 * as by {@link jit}.
 *
 * @example
 * import { pmap, lax, localDeviceCount, arange, reshape, div, type NdArray } from 'wengert'
 * const n = localDeviceCount()
 * const normalize = pmap((x: NdArray) => div(x, lax.psum(x, 'i')), { axisName: 'i' })
 * const out = normalize(reshape(arange(1, n + 1), [n]))
 * assert.strictEqual(out.shape[0], n)
 * @category transforms
 * @since 0.6.0
 */
export const pmap = <A extends readonly unknown[], R>(
  f: (...args: A) => R,
  options: PmapOptions = {},
): ((...args: A) => R) => {
  checkFn('pmap', f)
  checkPmapOptions(options)
  const byArity = new Map<number, { statics: number[]; run: (...args: unknown[]) => unknown }>()
  const compiled = (nargs: number): { statics: number[]; run: (...args: unknown[]) => unknown } => {
    const hit = byArity.get(nargs)
    if (hit !== undefined) return hit
    const sb = options.staticBroadcastedArgnums
    const statics = sb === undefined ? [] : normalizeArgnums('pmap', sb, nargs)
    const mapped = vmap(f as unknown as (...args: unknown[]) => unknown, {
      inAxes: effectiveInAxes(options.inAxes, statics, nargs),
      ...(options.outAxes === undefined ? {} : { outAxes: options.outAxes }),
      ...(options.axisSize === undefined ? {} : { axisSize: options.axisSize }),
      ...(options.axisName === undefined ? {} : { axisName: options.axisName }),
    })
    const entry = { statics, run: jit(mapped, statics.length === 0 ? {} : { staticArgnums: statics }) }
    byArity.set(nargs, entry)
    return entry
  }
  return (...args: A): R => {
    const { statics, run } = compiled(args.length)
    const n = mappedSize('pmap', args, effectiveInAxes(options.inAxes, statics, args.length), options.axisSize)
    checkReplicas(n, options.devices)
    const prev = enclosingReplicas
    enclosingReplicas = options.devices === undefined ? prev * n : prev
    try {
      return run(...args) as R
    } finally {
      enclosingReplicas = prev
    }
  }
}

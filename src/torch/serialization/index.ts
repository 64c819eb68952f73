/**
 * `torch.save` and `torch.load`. `torch.save(obj, path)` writes PyTorch's own zip checkpoint
 * (so Python's `torch.load` reads it), or safetensors when the path ends in `.safetensors`;
 * without a path it returns the bytes. `torch.load` reads either format from a path or bytes,
 * as `torch.load(weights_only=True)` does: tensors, dicts, lists and plain values only — nothing
 * in the file is ever executed, and anything else is refused with an error naming it.
 * JavaScript has one number type: integral numbers are written as Python ints, others as
 * floats; dict keys that are canonical integers ("0") are written as Python ints (optimizer
 * state is keyed by ints) and read back as strings.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const model = torch.nn.Linear(2, 1)
 * const bytes = torch.save(model.state_dict())
 * const copy = torch.nn.Linear(2, 1)
 * copy.load_state_dict(torch.load(bytes) as Record<string, torch.Tensor>)
 * assert.deepStrictEqual(copy.weight.tolist(), model.weight.tolist())
 * @category torch
 * @since 0.2.0
 */
import { checkDevice, type device } from '../device'
import { RuntimeError, TorchTypeError } from '../errors'
import { isKwargs } from '../kwargs'
import { readFile, writeFileAtomic } from './fsio'
import { loadPt, savePt } from './pt'
import { isSafetensors, load as loadSafetensors, save as saveSafetensors } from './safetensors'
import { isZip } from './zip'

export { UnpicklingError } from './pickle'

/** Keyword arguments of `torch.save`. @category torch @since 0.2.0 */
export interface SaveKw {
  /** Only protocol 2 (PyTorch's default) is written. */
  readonly pickle_protocol?: number
  /** Only the zip format (PyTorch's default since 1.6) is written. */
  readonly _use_new_zipfile_serialization?: boolean
  /** `'pt'` (PyTorch's zip format) or `'safetensors'`; default from the path's extension. */
  readonly format?: 'pt' | 'safetensors'
}

/** Keyword arguments of `torch.load`. @category torch @since 0.2.0 */
export interface LoadKw {
  /** Where tensors go: only the CPU (`'cpu'`, a CPU device, or null). */
  readonly map_location?: string | device | null
  /** Accepted either way: loading is always restricted to weights (see the module note). */
  readonly weights_only?: boolean | null
  /** Memory-mapping is not supported (only false/null). */
  readonly mmap?: boolean | null
}

const SAVE_KW = ['pickle_protocol', '_use_new_zipfile_serialization', 'format']
const LOAD_KW = ['map_location', 'weights_only', 'mmap']

const checkKw = (fn: string, kw: unknown, names: ReadonlyArray<string>): Record<string, unknown> => {
  if (kw === undefined) return {}
  if (!isKwargs(kw)) throw new TorchTypeError(`${fn}() expects keyword arguments as an object`)
  for (const k of Object.keys(kw))
    if (!names.includes(k)) throw new TorchTypeError(`${fn}() got an unexpected keyword argument '${k}'`)
  return kw
}

const stem = (path: string): string => {
  const base = path.split(/[\\/]/).pop() ?? 'archive'
  const s = base.replace(/\.[^.]*$/, '')
  return /^[A-Za-z0-9_.-]+$/.test(s) && s !== '' ? s : 'archive'
}

/**
 * Saves `obj` (tensors, state dicts, nested arrays/objects of tensors, numbers, strings,
 * booleans, null) to `f`, or returns the bytes when `f` is omitted.
 * @example
 * import * as torch from 'wengert/torch'
 * const bytes = torch.save({ step: 3, w: torch.tensor([1.5, 2]) })
 * const back = torch.load(bytes) as { step: number; w: torch.Tensor }
 * assert.strictEqual(back.step, 3)
 * assert.deepStrictEqual(back.w.tolist(), [1.5, 2])
 * @category torch @since 0.2.0
 */
export function save(obj: unknown): Uint8Array
export function save(obj: unknown, f: string, kw?: SaveKw): void
export function save(obj: unknown, f: null | undefined, kw?: SaveKw): Uint8Array
export function save(obj: unknown, f?: string | null, kw?: SaveKw): Uint8Array | void {
  const o = checkKw('save', kw, SAVE_KW) as SaveKw
  if (o.pickle_protocol !== undefined && o.pickle_protocol !== 2)
    throw new RuntimeError(
      `torch.save: only pickle_protocol=2 (PyTorch's default) is written, got ${o.pickle_protocol}`,
    )
  if (o._use_new_zipfile_serialization === false)
    throw new RuntimeError('torch.save: the legacy (pre-1.6) format is not written; only the zip format is')
  const format = o.format ?? (typeof f === 'string' && f.endsWith('.safetensors') ? 'safetensors' : 'pt')
  const bytes =
    format === 'safetensors' ? saveSafetensors(obj) : savePt(obj, typeof f === 'string' ? stem(f) : 'archive')
  if (typeof f !== 'string') return bytes
  writeFileAtomic('torch.save', f, bytes)
}

/**
 * Loads what {@link save} (or PyTorch's `torch.save`, or safetensors) wrote, from a path or bytes.
 * @example
 * import * as torch from 'wengert/torch'
 * const sd = torch.load(torch.save({ w: torch.ones(2) }), { map_location: 'cpu' }) as Record<string, torch.Tensor>
 * assert.deepStrictEqual(sd.w!.tolist(), [1, 1])
 * assert.throws(() => torch.load(new Uint8Array([1, 2, 3])), /not a zip checkpoint/)
 * @category torch @since 0.2.0
 */
export const load = (f: string | Uint8Array | ArrayBuffer, kw?: LoadKw): unknown => {
  const o = checkKw('load', kw, LOAD_KW) as LoadKw
  if (o.map_location !== undefined && o.map_location !== null) {
    if (typeof o.map_location === 'function' || (typeof o.map_location === 'object' && !('type' in o.map_location)))
      throw new RuntimeError(
        'torch.load: map_location must be a device (only the CPU); functions and dicts are not supported',
      )
    checkDevice(o.map_location)
  }
  if (o.mmap === true) throw new RuntimeError('torch.load: mmap=True is not supported')
  const bytes = typeof f === 'string' ? readFile('torch.load', f) : f instanceof Uint8Array ? f : new Uint8Array(f)
  if (!isZip(bytes) && isSafetensors(bytes)) return loadSafetensors(bytes)
  return loadPt(bytes)
}

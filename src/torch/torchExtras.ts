/**
 * `torch.*` utilities ported code calls: dtype algebra (`result_type`, `promote_types`,
 * `can_cast`), `broadcast_shapes`, `scalar_tensor`, the deprecated `range` (end included),
 * `row_stack`, `chain_matmul`, `typename`, `is_storage`, print options, the determinism and
 * matmul-precision switches (recorded; wengert's CPU kernels are deterministic and compute in the
 * tensor's dtype), `set_default_tensor_type`, anomaly mode (the functions PyTorch removed are
 * in ./linalgLegacy.ts).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * assert.strictEqual(torch.promote_types(torch.int32, torch.float32), torch.float32)
 * assert.strictEqual(torch.can_cast(torch.float64, torch.int32), false)
 * assert.deepStrictEqual([...torch.broadcast_shapes([2, 1], [3])], [2, 3])
 * assert.deepStrictEqual(torch.range(0, 1, 0.5).tolist(), [0, 0.5, 1])
 * assert.strictEqual(torch.typename(torch.zeros(1)), 'torch.FloatTensor')
 * @category torch
 * @since 0.2.0
 */
import { bool, float32, float64, get_default_dtype, promote, set_default_dtype, TorchDType } from './dtype'
import { argTypeName, missingArgs, requireTensor, requireTensorElements, requireTensorList } from './pyTypeName'
import { NotImplementedError, RuntimeError, TorchTypeError } from './errors'
import { PRINT_OPTS } from './format'
import { parseArgs, type PyArgs } from './kwargs'
import { multi_dot } from './linalgMultiDot'
import { broadcastShape, resultType, type TensorOrScalar } from './ops/convert'
import { arange, tensor, type FactoryKw } from './creation'
import { vstack } from './ops/functions'
import { makeSize, type Size, Tensor } from './tensor'
import { warn } from './warnings'
import { set_detect_anomaly } from './autograd/index'

export { is_anomaly_enabled } from './autograd/index'
/** `torch.row_stack`: `vstack`. @category torch @since 0.2.0 */
export const row_stack = (tensors: ReadonlyArray<Tensor>): Tensor =>
  vstack(requireTensorList('row_stack', 'tensors', tensors))

/** Two `torch.dtype` parameters, or PyTorch's TypeError for the first missing or not a dtype. */
const requireDTypes = (fn: string, names: readonly [string, string], values: readonly [unknown, unknown]): void =>
  values.forEach((u, i) => {
    if (u === undefined) throw missingArgs(fn, names.slice(i))
    if (!(u instanceof TorchDType))
      throw new TorchTypeError(
        `${fn}(): argument '${names[i] ?? ''}' (position ${i + 1}) must be torch.dtype, not ${argTypeName(u)}`,
      )
  })

/** `torch.result_type(tensor1, tensor2)`: the dtype an arithmetic op on them gives. @category torch @since 0.2.0 */
export const result_type = (tensor1: TensorOrScalar, tensor2: TensorOrScalar): TorchDType =>
  resultType([tensor1, tensor2])
/** `torch.promote_types(type1, type2)`: the smallest dtype both convert to. @category torch @since 0.2.0 */
export const promote_types = (type1: TorchDType, type2: TorchDType): TorchDType => {
  requireDTypes('promote_types', ['type1', 'type2'], [type1, type2])
  return promote(type1, type2)
}

const kind = (d: TorchDType): number => (d === bool ? 0 : d.is_floating_point ? 2 : 1)
/** `torch.can_cast(from_, to)`: whether PyTorch's casting rules allow it (no float → int, no number → bool). @category torch @since 0.2.0 */
export const can_cast = (from_: TorchDType, to: TorchDType): boolean => {
  requireDTypes('can_cast', ['from', 'to'], [from_, to])
  return kind(from_) <= kind(to)
}

/** Python's repr of a value, as a RuntimeError's tuple argument prints it. */
const pyRepr = (u: unknown): string =>
  typeof u === 'string'
    ? `'${u}'`
    : u === null || u === undefined
      ? 'None'
      : u instanceof Tensor
        ? u.toString()
        : Array.isArray(u)
          ? `[${u.map(pyRepr).join(', ')}]`
          : String(u)

/** `torch.broadcast_shapes(*shapes)`: the shape the shapes broadcast to. @category torch @since 0.2.0 */
export const broadcast_shapes = (...shapes: Array<number | ReadonlyArray<number>>): Size => {
  let out: number[] = []
  for (const s of shapes) {
    const ok = typeof s === 'number' || (Array.isArray(s) && s.every((d) => typeof d === 'number'))
    if (!ok)
      throw new RuntimeError(
        `('Input shapes should be of type ints, a tuple of ints, or a list of ints, got ', ${pyRepr(s)})`,
      )
    const sh = typeof s === 'number' ? [s] : [...s]
    const n = Math.max(out.length, sh.length)
    const a = [...Array<number>(n - out.length).fill(1), ...out]
    const b = [...Array<number>(n - sh.length).fill(1), ...sh]
    if (a.some((d, i) => d !== b[i] && d !== 1 && b[i] !== 1))
      throw new RuntimeError('Shape mismatch: objects cannot be broadcast to a single shape')
    out = broadcastShape(a, b)
  }
  return makeSize(out)
}

/** `torch.scalar_tensor(s, *, dtype=default float)`: a 0-d tensor. @category torch @since 0.2.0 */
export const scalar_tensor = (s: number | boolean, kw: FactoryKw = {}): Tensor =>
  tensor(Number(s), { ...kw, dtype: kw.dtype ?? get_default_dtype() })

/**
 * `torch.range(start, end, step=1)` (deprecated in PyTorch, with its warning): `end` included,
 * default float dtype.
 * @category torch @since 0.2.0
 */
export const range = (start: number, end: number, step = 1, kw: FactoryKw = {}): Tensor => {
  warn(
    "torch.range is deprecated and will be removed in a future release because its behavior is inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in [start, end).",
  )
  if (step === 0) throw new RuntimeError('step must be nonzero')
  const n = Math.floor((end - start) / step) + 1
  if (n < 0) throw new RuntimeError('upper bound and larger bound inconsistent with step sign')
  return arange(n, { ...kw, dtype: kw.dtype ?? get_default_dtype() })
    .mul(step)
    .add(start)
}

/** `torch.chain_matmul(*matrices)` (deprecated in PyTorch): `linalg.multi_dot`. @category torch @since 0.2.0 */
export const chain_matmul = (...matrices: Tensor[]): Tensor => {
  requireTensorElements(matrices)
  if (matrices.length === 0) throw new RuntimeError('chain_matmul(): Expected one or more matrices')
  return matrices.length === 1 ? (matrices[0] as Tensor).clone() : multi_dot(matrices)
}

/** `torch.typename(obj)`: a tensor's type string (`torch.FloatTensor`), else the Python type's name. @category torch @since 0.2.0 */
export const typename = (obj: unknown): string => {
  if (obj instanceof Tensor) return obj.type()
  if (typeof obj === 'boolean') return 'bool'
  if (typeof obj === 'string') return 'str'
  if (typeof obj === 'number') return Number.isInteger(obj) ? 'int' : 'float'
  if (obj === null || obj === undefined) return 'NoneType'
  return (obj as object).constructor.name
}
/** `torch.is_storage(obj)`: always false (wengert exposes no storages). @category torch @since 0.2.0 */
export const is_storage = (_obj: unknown): boolean => false

/** The named print-option presets. */
export type PrintProfile = 'default' | 'short' | 'full'
const PROFILES: Readonly<Record<PrintProfile, typeof PRINT_OPTS>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
}
/** The keywords of `set_printoptions`. */
export type PrintOptionsKw = {
  readonly precision?: number | null
  readonly threshold?: number | null
  readonly edgeitems?: number | null
  readonly linewidth?: number | null
  readonly profile?: PrintProfile | null
  readonly sci_mode?: boolean | null
}
/** `torch.set_printoptions(precision, threshold, edgeitems, linewidth, profile, sci_mode)`. @category torch @since 0.2.0 */
export const set_printoptions = (
  ...args: PyArgs<
    [
      precision: number | null,
      threshold: number | null,
      edgeitems: number | null,
      linewidth: number | null,
      profile: PrintProfile | null,
      sci_mode: boolean | null,
    ],
    PrintOptionsKw
  >
): void => {
  const a = parseArgs('set_printoptions', args, [
    'precision',
    'threshold',
    'edgeitems',
    'linewidth',
    'profile',
    'sci_mode',
  ])
  if (a.sci_mode !== undefined && a.sci_mode !== null)
    throw new NotImplementedError(
      'set_printoptions: sci_mode is not supported by wengert (it chooses as PyTorch by default)',
    )
  if (a.profile !== undefined && a.profile !== null) Object.assign(PRINT_OPTS, PROFILES[a.profile as PrintProfile])
  for (const k of ['precision', 'threshold', 'edgeitems', 'linewidth'] as const) {
    const v = a[k]
    if (v !== undefined && v !== null) PRINT_OPTS[k] = v as number
  }
}

const determinism = { mode: false, warnOnly: false }
/** `torch.use_deterministic_algorithms(mode, *, warn_only=False)` (wengert's kernels are deterministic already). @category torch @since 0.2.0 */
export const use_deterministic_algorithms = (mode: boolean, kw: { readonly warn_only?: boolean } = {}): void => {
  if (typeof mode !== 'boolean')
    throw new TorchTypeError(
      `_set_deterministic_algorithms(): argument 'mode' (position 1) must be bool, not ${typeof mode}`,
    )
  determinism.mode = mode
  determinism.warnOnly = kw.warn_only ?? false
}
/** Whether `use_deterministic_algorithms(true)` is in force. @category torch @since 0.2.0 */
export const are_deterministic_algorithms_enabled = (): boolean => determinism.mode
/** Whether determinism was asked with `warn_only`. @category torch @since 0.2.0 */
export const is_deterministic_algorithms_warn_only_enabled = (): boolean => determinism.warnOnly
/** `torch.set_deterministic_debug_mode('default' | 'warn' | 'error' | 0 | 1 | 2)`. @category torch @since 0.2.0 */
export const set_deterministic_debug_mode = (debug_mode: 'default' | 'warn' | 'error' | 0 | 1 | 2): void => {
  const names = ['default', 'warn', 'error']
  const i = typeof debug_mode === 'number' ? debug_mode : names.indexOf(debug_mode)
  if (!(i >= 0 && i <= 2))
    throw new RuntimeError(
      typeof debug_mode === 'number'
        ? `invalid value of debug_mode, expected 0, 1, or 2, but got ${debug_mode}`
        : `invalid value of debug_mode, expected one of \`default\`, \`warn\`, \`error\`, but got ${debug_mode}`,
    )
  use_deterministic_algorithms(i > 0, { warn_only: i === 1 })
}
/** 0, 1 or 2 after `set_deterministic_debug_mode`. @category torch @since 0.2.0 */
export const get_deterministic_debug_mode = (): number => (!determinism.mode ? 0 : determinism.warnOnly ? 1 : 2)

let matmulPrecision = 'highest'
/** `torch.get_float32_matmul_precision()`: `'highest'` unless set. @category torch @since 0.2.0 */
export const get_float32_matmul_precision = (): string => matmulPrecision
/** `torch.set_float32_matmul_precision(precision)`: recorded (float32 products are always computed in full precision). @category torch @since 0.2.0 */
export const set_float32_matmul_precision = (precision: string): void => {
  if (precision === 'highest' || precision === 'high' || precision === 'medium') matmulPrecision = precision
  else
    warn(
      `${precision} is not one of 'highest', 'high', or 'medium'; the current setFloat32MatmulPrecision call has no effect.`,
    )
}

/** `torch.set_default_tensor_type(t)` for `'torch.FloatTensor'`/`'torch.DoubleTensor'` (CUDA types raise). @category torch @since 0.2.0 */
export const set_default_tensor_type = (t: string | TorchDType): void => {
  if (typeof t !== 'string')
    throw new TorchTypeError('invalid type object: only floating-point types are supported as the default type')
  if (t.startsWith('torch.cuda.'))
    throw new TorchTypeError(`type ${t} not available. Torch not compiled with CUDA enabled.`)
  const d = { 'torch.FloatTensor': float32, 'torch.DoubleTensor': float64 }[t]
  if (d !== undefined) return set_default_dtype(d)
  if (/^torch\.(Long|Int|Short|Char|Byte|Bool)Tensor$/.test(t))
    throw new TorchTypeError('only floating-point types are supported as the default type')
  throw new TorchTypeError(`invalid type: '${t}'`)
}

/** `torch.set_anomaly_enabled(enabled)` (see `autograd.set_detect_anomaly`). @category torch @since 0.2.0 */
export const set_anomaly_enabled = (enabled: boolean): void => set_detect_anomaly(enabled)

/** The real part of `input` (`input.real`): the tensor itself for real tensors. */
export const real = (input: Tensor): Tensor => requireTensor('real', 'input', input).real

/** The imaginary part of `input` (`input.imag`): real tensors have none, so this raises as PyTorch does. */
export const imag = (input: Tensor): Tensor => requireTensor('imag', 'input', input).imag

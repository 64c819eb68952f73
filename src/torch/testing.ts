/**
 * `torch.testing`: `assert_close`, PyTorch's comparison of tensors, numbers, booleans, `None` and
 * nested lists/objects of them, with its per-dtype default tolerances and its mismatch messages.
 *
 * JavaScript has one number type: every JS number compares as a Python `float` (tolerances
 * `rtol = atol = 1e-7`, messages "Scalars are not close!"), never as a Python `int`.
 *
 * @category torch
 * @since 0.2.0
 */
import { float32, float64, get_default_dtype, promote, type TorchDType } from './dtype'
import { AssertionError, TorchTypeError, TorchValueError } from './errors'
import { pyFloatRepr, pyTuple } from './format'
import { parseArgs } from './kwargs'
import { pyStr } from './print'
import { Tensor } from './tensor'

/** The keyword arguments of {@link assert_close} (all optional, PyTorch's defaults). @category torch @since 0.2.0 */
export interface AssertCloseKw {
  /** Accepted for compatibility (the facade has one tensor class). */
  readonly allow_subclasses?: boolean
  /** Relative tolerance; with `atol`, or neither (then the loosest default of both dtypes). */
  readonly rtol?: number | null
  readonly atol?: number | null
  /** NaNs in the same places compare equal (default false). */
  readonly equal_nan?: boolean
  readonly check_device?: boolean
  readonly check_dtype?: boolean
  /** Accepted for compatibility (every facade tensor is strided). */
  readonly check_layout?: boolean
  readonly check_stride?: boolean
  /** Replaces the message, or maps the generated message to the one raised. */
  readonly msg?: string | ((generated: string) => string) | null
}

const KW = [
  'allow_subclasses',
  'rtol',
  'atol',
  'equal_nan',
  'check_device',
  'check_dtype',
  'check_layout',
  'check_stride',
  'msg',
]

/** PyTorch's default `(rtol, atol)` of a dtype (zero for integers and bool). */
const PRECISION = (d: TorchDType): [number, number] =>
  d === float32 ? [1.3e-6, 1e-5] : d === float64 ? [1e-7, 1e-7] : [0, 0]

type Opts = {
  rtol: number | undefined
  atol: number | undefined
  equal_nan: boolean
  check_device: boolean
  check_dtype: boolean
  check_stride: boolean
  msg: string | ((generated: string) => string) | undefined
}

/** A failure at a place in the nested inputs (`path` as Python's `[0]['k']`). */
class Mismatch {
  constructor(
    readonly kind: 'assert' | 'type' | 'value',
    readonly message: string,
  ) {}
}

const pyClass = (u: unknown): string => {
  if (u instanceof Tensor) return "<class 'torch.Tensor'>"
  if (u === null || u === undefined) return "<class 'NoneType'>"
  if (typeof u === 'number') return "<class 'float'>"
  if (typeof u === 'boolean') return "<class 'bool'>"
  if (typeof u === 'string') return "<class 'str'>"
  if (Array.isArray(u)) return "<class 'list'>"
  return typeof u === 'object' ? "<class 'dict'>" : `<class '${typeof u}'>`
}

const isMapping = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u) && !(u instanceof Tensor)

/** The tolerances of a comparison: the given pair, or the loosest default of the dtypes. */
const tolerances = (dtypes: ReadonlyArray<TorchDType>, o: Opts): [number, number] => {
  if ((o.rtol === undefined) !== (o.atol === undefined))
    throw new Mismatch(
      'value',
      `Both 'rtol' and 'atol' must be either specified or omitted, but got no ${o.rtol === undefined ? 'rtol' : 'atol'}.`,
    )
  if (o.rtol !== undefined && o.atol !== undefined) return [o.rtol, o.atol]
  const ps = dtypes.map(PRECISION)
  return [Math.max(...ps.map((p) => p[0])), Math.max(...ps.map((p) => p[1]))]
}

/** Whether `a` is close to `b` (PyTorch's isclose: `|a − b| ≤ atol + rtol·|b|`, equal infinities, NaN rule). */
const close = (a: number, b: number, rtol: number, atol: number, equalNan: boolean): boolean =>
  a === b ||
  (equalNan && Number.isNaN(a) && Number.isNaN(b)) ||
  (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= atol + rtol * Math.abs(b))

/** Index of the greatest value (the first NaN wins, as torch.max). */
const argmaxNan = (xs: ReadonlyArray<number>): number => {
  let best = 0
  for (let i = 1; i < xs.length; i++) {
    const v = xs[i]!
    const b = xs[best]!
    if (!Number.isNaN(b) && (Number.isNaN(v) || v > b)) best = i
  }
  return best
}

/** Python's `f'{x:.1%}'` (round half to even on exact ties). */
const percent = (x: number): string => {
  const p = x * 1000
  const r = Math.floor(p)
  const tenths = p - r === 0.5 ? (r % 2 === 0 ? r : r + 1) : Math.round(p)
  return `${(tenths / 10).toFixed(1)}%`
}

/** The body of PyTorch's numeric mismatch message. */
const diffMessage = (
  what: string,
  extra: string | null,
  abs: [string, string | null],
  rel: [string, string | null],
  tol: [number, number],
): string => {
  const equality = tol[0] === 0 && tol[1] === 0
  const line = (type: string, [d, idx]: [string, string | null], t: number): string =>
    (idx === null
      ? `${type[0]!.toUpperCase()}${type.slice(1)} difference: ${d}`
      : `Greatest ${type} difference: ${d} at index ${idx}`) + (equality ? '' : ` (up to ${pyFloatRepr(t)} allowed)`)
  const head = `${what} are not ${equality ? 'equal' : 'close'}!\n\n${extra === null ? '' : `${extra}\n`}`
  return `${head}${line('absolute', abs, tol[1])}\n${line('relative', rel, tol[0])}`
}

const compareNumbers = (a: number, b: number, o: Opts): void => {
  const tol = tolerances([float64], o)
  if (close(a, b, tol[0], tol[1], o.equal_nan)) return
  const abs = Math.abs(a - b)
  const rel = b === 0 ? Infinity : abs / Math.abs(b)
  throw new Mismatch('assert', diffMessage('Scalars', null, [pyFloatRepr(abs), null], [pyFloatRepr(rel), null], tol))
}

const checkAttributes = (a: Tensor, b: Tensor, o: Opts): void => {
  const fail = (name: string, x: unknown, y: unknown): never => {
    throw new Mismatch('assert', `The values for attribute '${name}' do not match: ${String(x)} != ${String(y)}.`)
  }
  if (String(a.shape) !== String(b.shape)) fail('shape', a.shape, b.shape)
  if (o.check_stride && String(a.stride()) !== String(b.stride()))
    fail('stride()', pyTuple(a.stride()), pyTuple(b.stride()))
  if (o.check_device && String(a.device) !== String(b.device)) fail('device', a.device, b.device)
  if (o.check_dtype && a.dtype !== b.dtype) fail('dtype', a.dtype, b.dtype)
}

const flatValues = (t: Tensor): number[] => [t.detach().tolist()].flat(Infinity as 1) as unknown as number[]

/** The index tuple of flat position `i` in `shape`. */
const unravel = (i: number, shape: ReadonlyArray<number>): string => {
  const idx: number[] = []
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(i % shape[d]!)
    i = Math.floor(i / shape[d]!)
  }
  return pyTuple(idx)
}

const compareTensors = (a: Tensor, b: Tensor, o: Opts): void => {
  checkAttributes(a, b, o)
  const tol = tolerances([a.dtype, b.dtype], o)
  const dtype = promote(a.dtype, b.dtype)
  const floating = dtype.is_floating_point
  const xs = flatValues(a).map(Number)
  const ys = flatValues(b).map(Number)
  const bad = xs.map((x, i) => !close(x, ys[i]!, tol[0], tol[1], o.equal_nan))
  const count = bad.filter(Boolean).length
  if (count === 0) return
  // integers (and bool) compare as int64: the difference prints as an int, the ratio in the default dtype
  const num = (v: number): string => (floating ? pyFloatRepr(v) : String(v))
  const ratio = (v: number): number => (floating || get_default_dtype() !== float32 ? v : Math.fround(v))
  if (a.dim() === 0) {
    const abs = Math.abs(xs[0]! - ys[0]!)
    const rel = ys[0] === 0 ? Infinity : abs / Math.abs(ys[0]!)
    throw new Mismatch('assert', diffMessage('Scalars', null, [num(abs), null], [pyFloatRepr(rel), null], tol))
  }
  const abs = xs.map((x, i) => (bad[i] ? Math.abs(x - ys[i]!) : 0))
  const rel = abs.map((d, i) => (bad[i] ? ratio(d / Math.abs(ys[i]!)) : 0))
  const ia = argmaxNan(abs)
  const ir = argmaxNan(rel)
  const shape = [...a.shape]
  const extra = `Mismatched elements: ${count} / ${xs.length} (${percent(count / xs.length)})`
  const absPart: [string, string] = [num(abs[ia]!), unravel(ia, shape)]
  throw new Mismatch(
    'assert',
    diffMessage('Tensor-likes', extra, absPart, [pyFloatRepr(rel[ir]!), unravel(ir, shape)], tol),
  )
}

type Leaf = readonly [actual: unknown, expected: unknown, path: string]

const none = (u: unknown): boolean => u === null || u === undefined

/** The kind of a leaf pair (PyTorch's None, boolean, number and tensor pairs), or a TypeError. */
const pairKind = (a: unknown, b: unknown): 'none' | 'bool' | 'number' | 'tensor' => {
  if (none(a) || none(b)) return 'none'
  if (typeof a === 'boolean' && typeof b === 'boolean') return 'bool'
  if (typeof a === 'number' && typeof b === 'number') return 'number'
  if (a instanceof Tensor && b instanceof Tensor) return 'tensor'
  throw new Mismatch('type', `No comparison pair was able to handle inputs of type ${pyClass(a)} and ${pyClass(b)}.`)
}

const suffix = (path: string): string => (path === '' ? '' : `\n\nThe failure occurred for item ${path}`)

/** Walks both inputs together into leaf pairs; structure and type errors raise here (PyTorch's pairing stage). */
const leaves = (a: unknown, b: unknown, path: string, out: Leaf[]): Leaf[] => {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length)
      throw new Mismatch('assert', `The length of the sequences mismatch: ${a.length} != ${b.length}${suffix(path)}`)
    a.forEach((x, i) => leaves(x, b[i], `${path}[${i}]`, out))
    return out
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    const missing = kb.filter((k) => !ka.includes(k))
    const additional = ka.filter((k) => !kb.includes(k))
    if (missing.length > 0 || additional.length > 0) {
      const list = (ks: string[]): string => `[${ks.map((k) => `'${k}'`).join(', ')}]`
      const text = `The keys of the mappings do not match:\nMissing keys in the actual mapping: ${list(missing)}\nAdditional keys in the actual mapping: ${list(additional)}`
      throw new Mismatch('assert', text + suffix(path))
    }
    ka.forEach((k) => leaves(a[k], b[k], `${path}['${k}']`, out))
    return out
  }
  try {
    pairKind(a, b)
  } catch (e) {
    throw e instanceof Mismatch ? new Mismatch(e.kind, e.message + suffix(path)) : e
  }
  out.push([a, b, path])
  return out
}

/** Compares one leaf pair; a failure is the generated message (without the item suffix). */
const compareLeaf = (a: unknown, b: unknown, o: Opts): void => {
  const kind = pairKind(a, b)
  if (kind === 'none') {
    if (!(none(a) && none(b))) throw new Mismatch('assert', `None mismatch: ${pyStr(a)} is not ${pyStr(b)}`)
  } else if (kind === 'bool') {
    if (a !== b) throw new Mismatch('assert', `Booleans mismatch: ${pyStr(a)} is not ${pyStr(b)}`)
  } else if (kind === 'number') compareNumbers(a as number, b as number, o)
  else compareTensors(a as Tensor, b as Tensor, o)
}

const options = (kw: AssertCloseKw): Opts => {
  const a = parseArgs('assert_close', [kw], KW)
  const msg = a.msg as Opts['msg'] | null | undefined
  return {
    rtol: (a.rtol as number | null | undefined) ?? undefined,
    atol: (a.atol as number | null | undefined) ?? undefined,
    equal_nan: (a.equal_nan as boolean | undefined) ?? false,
    check_device: (a.check_device as boolean | undefined) ?? true,
    check_dtype: (a.check_dtype as boolean | undefined) ?? true,
    check_stride: (a.check_stride as boolean | undefined) ?? false,
    msg: msg ?? undefined,
  }
}

/**
 * Asserts that `actual` and `expected` are close: tensors (same shape, device and — unless
 * `check_dtype: false` — dtype, then `|a − e| ≤ atol + rtol·|e|` element-wise), numbers, booleans,
 * `null`, and arrays/objects of them compared item by item. Without `rtol`/`atol` the tolerances
 * are PyTorch's defaults of the dtypes (float32: 1.3e-6 and 1e-5, float64: 1e-7 and 1e-7,
 * integers and bool: exact). Raises PyTorch's `AssertionError` messages ("Tensor-likes are not
 * close!", mismatched elements, greatest differences and their indices, the failing item).
 * @example
 * import * as torch from 'wengert/torch'
 * const a = torch.tensor([1, 2, 3])
 * torch.testing.assert_close(a, a.add(1e-6))
 * assert.throws(
 *   () => torch.testing.assert_close(a, torch.tensor([1, 2.5, 3])),
 *   /Mismatched elements: 1 \/ 3 \(33\.3%\)\nGreatest absolute difference: 0\.5 at index \(1,\)/,
 * )
 * torch.testing.assert_close([a, { b: 1.0 }], [a, { b: 1.00000001 }])
 * @category torch @since 0.2.0
 */
export const assert_close = (actual: unknown, expected: unknown, kw: AssertCloseKw = {}): void => {
  const o = options(kw)
  let pending: Leaf[]
  try {
    pending = leaves(actual, expected, '', [])
    if (pending.some(([a]) => typeof a === 'number' || a instanceof Tensor)) tolerances([float64], o)
  } catch (e) {
    throw e instanceof Mismatch ? raised(e.kind, e.message) : e
  }
  for (const [a, b, path] of pending) {
    try {
      compareLeaf(a, b, o)
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e
      const generated = e.message + suffix(path)
      throw raised(e.kind, o.msg === undefined ? generated : typeof o.msg === 'string' ? o.msg : o.msg(generated))
    }
  }
}

const raised = (kind: Mismatch['kind'], text: string): Error =>
  kind === 'type' ? new TorchTypeError(text) : kind === 'value' ? new TorchValueError(text) : new AssertionError(text)

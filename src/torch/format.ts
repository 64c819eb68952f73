/**
 * PyTorch's printing (`torch._tensor_str`): the same float modes (integer-valued `2.`, fixed with
 * 4 decimals, scientific `2.0000e-01`), one width per tensor, line wrapping at 80 columns,
 * summarisation above 1000 elements, and the `requires_grad=True` / `grad_fn=<…>` / `dtype=…`
 * suffixes. Rounding is Python's (exact binary value, ties to even).
 *
 * @category torch
 * @since 0.1.0
 */
import type { NdArray } from '../ndarray/NdArray'
import { isInteger } from '../ndarray/dtype'

/** PyTorch's print options (defaults of `torch.set_printoptions`). */
export const PRINT_OPTS = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 }

// -------------------------------------------------------------------------------------
// Python float formatting
// -------------------------------------------------------------------------------------

/** The exact value of a finite double as N / 10^scale (N ≥ 0). */
const exactDecimal = (v: number): [bigint, number] => {
  const buf = new DataView(new ArrayBuffer(8))
  buf.setFloat64(0, Math.abs(v))
  const hi = buf.getUint32(0)
  const lo = buf.getUint32(4)
  const expBits = (hi >>> 20) & 0x7ff
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  let e: number
  if (expBits === 0) e = -1074
  else {
    m |= 1n << 52n
    e = expBits - 1075
  }
  if (e >= 0) return [m << BigInt(e), 0]
  return [m * 5n ** BigInt(-e), -e]
}

/** Integer division of n by 10^k rounding half to even. */
const roundDiv = (n: bigint, k: number): bigint => {
  if (k <= 0) return n * 10n ** BigInt(-k)
  const d = 10n ** BigInt(k)
  const q = n / d
  const r2 = (n % d) * 2n
  if (r2 > d || (r2 === d && q % 2n === 1n)) return q + 1n
  return q
}

const signOf = (v: number): string => (v < 0 || Object.is(v, -0) ? '-' : '')

/** Python's `f'{v:.{p}f}'`. */
export const pyFixed = (v: number, p: number): string => {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf'
  const [n, scale] = exactDecimal(v)
  const q = roundDiv(n, scale - p)
    .toString()
    .padStart(p + 1, '0')
  const int = q.slice(0, q.length - p)
  return `${signOf(v)}${int}${p > 0 ? `.${q.slice(q.length - p)}` : ''}`
}

/** Python's `f'{v:.{p}e}'`. */
export const pyExp = (v: number, p: number): string => {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf'
  let mant: string
  let e: number
  if (v === 0) {
    mant = '0'.repeat(p + 1)
    e = 0
  } else {
    const [n, scale] = exactDecimal(v)
    const len = n.toString().length
    e = len - 1 - scale
    let q = roundDiv(n, len - p - 1)
    if (q.toString().length > p + 1) {
      q = roundDiv(q, 1)
      e += 1
    }
    mant = q.toString()
  }
  const es = `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`
  return `${signOf(v)}${mant[0]}${p > 0 ? `.${mant.slice(1)}` : ''}e${es}`
}

/** Python's `repr` of a float (shortest round trip, `1.0`, `1e-05`, `inf`). */
export const pyFloatRepr = (v: number): string => {
  if (Number.isNaN(v)) return 'nan'
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf'
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${signOf(v)}${Math.abs(v).toFixed(0)}.0`
  const abs = Math.abs(v)
  if (abs >= 1e16 || abs < 1e-4) {
    const [m, e] = abs.toExponential().split('e') as [string, string]
    const ex = Number(e)
    return `${signOf(v)}${m}e${ex < 0 ? '-' : '+'}${String(Math.abs(ex)).padStart(2, '0')}`
  }
  return String(v)
}

// -------------------------------------------------------------------------------------
// the formatter
// -------------------------------------------------------------------------------------

/** One tensor's element formatter: its column width and each value's text. */
export interface Formatter {
  readonly width: number
  readonly format: (v: number) => string
}

/** PyTorch's `_Formatter` over the (summarised) values of one tensor. */
export const makeFormatter = (values: ReadonlyArray<number>, kind: 'float' | 'int' | 'bool'): Formatter => {
  const p = PRINT_OPTS.precision
  if (kind !== 'float') {
    const str = kind === 'bool' ? (v: number) => (v !== 0 ? 'True' : 'False') : (v: number) => String(v)
    const width = Math.max(1, ...values.map((v) => str(v).length))
    return { width, format: (v) => str(v).padStart(width) }
  }
  const nz = values.filter((v) => Number.isFinite(v) && v !== 0)
  let width = 1
  let intMode = true
  let sciMode = false
  if (nz.length > 0) {
    const abs = nz.map(Math.abs)
    const max = Math.max(...abs)
    const min = Math.min(...abs)
    intMode = nz.every((v) => Number.isInteger(v))
    if (intMode) {
      if (max / min > 1000 || max > 1e8) {
        sciMode = true
        for (const v of nz) width = Math.max(width, pyExp(v, p).length)
      } else for (const v of nz) width = Math.max(width, pyFixed(v, 0).length + 1)
    } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
      sciMode = true
      for (const v of nz) width = Math.max(width, pyExp(v, p).length)
    } else for (const v of nz) width = Math.max(width, pyFixed(v, p).length)
  }
  const fmt = (v: number): string => {
    if (sciMode) return pyExp(v, p)
    if (intMode) return Number.isFinite(v) ? `${pyFixed(v, 0)}.` : pyFixed(v, 0)
    return pyFixed(v, p)
  }
  return { width, format: (v) => fmt(v).padStart(width) }
}

const kindOf = (a: NdArray): 'float' | 'int' | 'bool' =>
  a.dtype === 'bool' ? 'bool' : isInteger(a.dtype) ? 'int' : 'float'

/** Row-major strides. */
const stridesOf = (shape: ReadonlyArray<number>): number[] => {
  const s = new Array<number>(shape.length).fill(1)
  for (let i = shape.length - 2; i >= 0; i--) s[i] = (s[i + 1] as number) * (shape[i + 1] as number)
  return s
}

/** The values PyTorch's formatter sees: all, or the edge items of every axis when summarising. */
export const summarisedValues = (
  data: ArrayLike<number>,
  shape: ReadonlyArray<number>,
  summarise: boolean,
): number[] => {
  const out: number[] = []
  const strides = stridesOf(shape)
  const e = PRINT_OPTS.edgeitems
  const rec = (axis: number, off: number): void => {
    if (axis === shape.length) {
      out.push(data[off] as number)
      return
    }
    const n = shape[axis] as number
    const idx =
      summarise && n > 2 * e
        ? [...Array(e).keys(), ...Array.from({ length: e }, (_, i) => n - e + i)]
        : [...Array(n).keys()]
    for (const i of idx) rec(axis + 1, off + i * (strides[axis] as number))
  }
  rec(0, 0)
  return out
}

/** The bracketed body of a tensor's repr (PyTorch's `_tensor_str`), with continuation indent. */
export const tensorBody = (a: NdArray, indent: number): string => {
  if (a.size === 0) return '[]'
  const data = a._data
  const shape = a.shape
  const summarise = a.size > PRINT_OPTS.threshold
  const f = makeFormatter(summarisedValues(data, shape, summarise), kindOf(a))
  const e = PRINT_OPTS.edgeitems
  const strides = stridesOf(shape)
  if (shape.length === 0) return f.format(data[0] as number)
  const rec = (axis: number, off: number, ind: number): string => {
    const n = shape[axis] as number
    const st = strides[axis] as number
    const cut = summarise && n > 2 * e
    if (axis === shape.length - 1) {
      const perLine = Math.max(1, Math.floor((PRINT_OPTS.linewidth - ind) / (f.width + 2)))
      const items: string[] = []
      if (cut) {
        for (let i = 0; i < e; i++) items.push(f.format(data[off + i * st] as number))
        items.push(' ...')
        for (let i = n - e; i < n; i++) items.push(f.format(data[off + i * st] as number))
      } else for (let i = 0; i < n; i++) items.push(f.format(data[off + i * st] as number))
      const lines: string[] = []
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '))
      return `[${lines.join(`,\n${' '.repeat(ind + 1)}`)}]`
    }
    const parts: string[] = []
    const idx = cut ? [...Array(e).keys(), -1, ...Array.from({ length: e }, (_, i) => n - e + i)] : [...Array(n).keys()]
    for (const i of idx) parts.push(i < 0 ? '...' : rec(axis + 1, off + i * st, ind + 1))
    return `[${parts.join(`,${'\n'.repeat(shape.length - axis - 1)}${' '.repeat(ind + 1)}`)}]`
  }
  return rec(0, 0, indent)
}

/** Appends suffixes as PyTorch's `_add_suffixes` does (wrapping past the line width). */
export const addSuffixes = (body: string, suffixes: ReadonlyArray<string>, indent: number): string => {
  const parts = [body]
  let lastLen = body.length - body.lastIndexOf('\n') + 1
  for (const s of suffixes) {
    if (lastLen + s.length + 2 > PRINT_OPTS.linewidth) {
      parts.push(`,\n${' '.repeat(indent)}${s}`)
      lastLen = indent + s.length
    } else {
      parts.push(`, ${s}`)
      lastLen += s.length + 2
    }
  }
  parts.push(')')
  return parts.join('')
}

/** Python's tuple repr of a shape: `(2, 3)`, `(3,)`, `()`. */
export const pyTuple = (xs: ReadonlyArray<number>): string => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`)

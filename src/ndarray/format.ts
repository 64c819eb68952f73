/**
 * NumPy-like printing of array data, shared by `NdArray.toString` and the PyTorch facade.
 *
 * The NumPy style follows `numpy/_core/arrayprint.py` (NumPy ≥ 2.2, default print options):
 * floats print the shortest digits that identify the value in its own dtype, at most
 * `precision` after the point, with trailing zeros removed but the point kept (`2.`); one
 * array uses one notation and pads every value to a common width (integer parts on the left,
 * fractional parts on the right, so `[1.5, 2. ]`); scientific notation is used when the
 * largest non-zero magnitude is ≥ 1e8, the smallest is < 1e-4, or their ratio exceeds 1000.
 * Above `threshold` elements only `edgeItems` at each end of every axis are shown (and
 * formatted) with `...` between. Lines wrap at `lineWidth`.
 *
 * @category ndarray
 * @since 0.1.0
 */
import { isSmallInt, type DType, type TypedArray } from './dtype'
import type { Shape } from './shape'
import { at } from '../internal/at'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Options of {@link formatData}. */
export interface FormatOptions {
  /** Text before the data, e.g. `array(` or `tensor(`; continuation lines are indented past it. */
  readonly prefix: string
  /** Digits after the point for floats (NumPy: 8, PyTorch: 4). */
  readonly precision: number
  /**
   * `'numpy'`: shortest digits, trailing zeros trimmed, fractional parts right-padded (NumPy);
   * `'torch'`: fixed `precision` digits unless all values are integers (PyTorch).
   */
  readonly floatStyle: 'numpy' | 'torch'
  /** Summarise arrays with more elements than this (NumPy: 1000). */
  readonly threshold: number
  /** Elements shown at each end of a summarised axis. */
  readonly edgeItems: number
  /**
   * Maximum line length, counting the closing `)` after the data (NumPy: 75, PyTorch: 80).
   * Default: lines are never wrapped.
   */
  readonly lineWidth?: number
  /** Between the elements of a row (NumPy's repr: `', '`, its str: `' '`). @defaultValue `', '` */
  readonly separator?: string
}

/** Formats one element value; the results for one array share a width. */
type ElementFormat = (v: number) => string

// -------------------------------------------------------------------------------------
// digits
// -------------------------------------------------------------------------------------

/** A finite non-zero magnitude as significant digits `d₁d₂…` (no trailing zeros) and exponent e: d₁.d₂… × 10^e. */
interface Digits {
  readonly digits: string
  readonly exp: number
}

/** Parses a JS number string (`123.45`, `1.5e-7`, `0.00012`) of a positive value into digits and exponent. */
const parseDigits = (s: string): Digits => {
  const [mant, e] = s.split('e') as [string, string | undefined]
  const dot = mant.indexOf('.')
  const intLen = dot < 0 ? mant.length : dot
  let digits = mant.replace('.', '')
  let exp = (e === undefined ? 0 : Number(e)) + intLen - 1
  const lead = digits.length - digits.replace(/^0+/, '').length
  digits = digits.slice(lead)
  exp -= lead
  digits = digits.replace(/0+$/, '')
  return { digits: digits === '' ? '0' : digits, exp }
}

/**
 * The shortest decimal that reads back as `a` in its dtype (a > 0, finite). JS's own number
 * printing is shortest for float64; float32 values try 1…9 significant digits (9 always
 * suffice) and keep the first that rounds back under `Math.fround`.
 */
const shortestDigits = (a: number, f32: boolean): Digits => {
  if (!f32) return parseDigits(String(a))
  for (let p = 1; p < 9; p++) {
    const s = a.toPrecision(p)
    if (Math.fround(Number(s)) === a) return parseDigits(String(Number(s)))
  }
  return parseDigits(String(Number(a.toPrecision(9))))
}

/** Positional digits of |v| (finite, non-zero) with at most `precision` after the point: [int part, fraction]. */
const positionalParts = (a: number, f32: boolean, precision: number): [string, string] => {
  const { digits, exp } = shortestDigits(a, f32)
  if (digits.length - 1 - exp > precision) {
    // NOTE: more digits than `precision` are needed: round the exact value (toFixed rounds the
    // exact binary value, as Dragon4's cutoff does), then trim trailing zeros.
    const [i, f] = a.toFixed(precision).split('.') as [string, string | undefined]
    return [i, (f ?? '').replace(/0+$/, '')]
  }
  if (exp < 0) return ['0', '0'.repeat(-exp - 1) + digits]
  return [digits.slice(0, exp + 1).padEnd(exp + 1, '0'), digits.slice(exp + 1)]
}

/** Scientific digits of |v| (finite) with at most `precision` after the point: [first digit, fraction, exponent]. */
const scientificParts = (a: number, f32: boolean, precision: number): [string, string, number] => {
  if (a === 0) return ['0', '', 0]
  let d = shortestDigits(a, f32)
  if (d.digits.length - 1 > precision) d = parseDigits(a.toExponential(precision))
  return [d.digits.slice(0, 1), d.digits.slice(1), d.exp]
}

// -------------------------------------------------------------------------------------
// element formats
// -------------------------------------------------------------------------------------

const special = (v: number): string | undefined =>
  Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : undefined

const isNeg = (v: number): boolean => v < 0 || Object.is(v, -0)

/**
 * NumPy's `FloatingFormat` under the default options (floatmode 'maxprec', no sign padding,
 * suppress off): one notation for the array, common `padLeft` integer width and `padRight`
 * fraction width; nan/inf right-aligned in the full width.
 */
const numpyFloatFormat = (values: ReadonlyArray<number>, f32: boolean, precision: number): ElementFormat => {
  const finite = values.filter((v) => Number.isFinite(v))
  const absNonZero = finite.map(Math.abs).filter((v) => v !== 0)
  let expFormat = false
  if (absNonZero.length > 0) {
    const maxVal = Math.max(...absNonZero)
    const minVal = Math.min(...absNonZero)
    // NumPy compares in the array's dtype (NEP 50: the Python constants become float32).
    const r = f32 ? Math.fround : (x: number): number => x
    expFormat = maxVal >= 1e8 || minVal < r(1e-4) || r(maxVal / minVal) > 1000
  }
  let padLeft = 0
  let padRight = 0
  let body: (v: number) => string
  if (finite.length === 0) {
    body = () => ''
  } else if (expFormat) {
    const parts = finite.map((v) => scientificParts(Math.abs(v), f32, precision))
    const prec = Math.max(...parts.map(([, f]) => f.length))
    const expSize = Math.max(...parts.map(([, , e]) => String(Math.abs(e)).length), 2)
    padLeft = Math.max(...finite.map((v) => (isNeg(v) ? 2 : 1)))
    padRight = expSize + 2 + prec
    body = (v) => {
      const [i, f, e] = scientificParts(Math.abs(v), f32, precision)
      const mant = `${isNeg(v) ? '-' : ''}${i}`.padStart(padLeft)
      return `${mant}.${f.padEnd(prec, '0')}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(expSize, '0')}`
    }
  } else {
    const parts = (v: number): [string, string] => {
      const [i, f] = v === 0 ? ['0', ''] : positionalParts(Math.abs(v), f32, precision)
      return [`${isNeg(v) ? '-' : ''}${i}`, f]
    }
    const all = finite.map(parts)
    padLeft = Math.max(...all.map(([i]) => i.length))
    padRight = Math.max(...all.map(([, f]) => f.length))
    body = (v) => {
      const [i, f] = parts(v)
      return `${i.padStart(padLeft)}.${f.padEnd(padRight)}`
    }
  }
  if (finite.length !== values.length) {
    // room for nan / inf / -inf, right-aligned in padLeft + '.' + padRight
    const negInf = values.some((v) => v === -Infinity) ? 1 : 0
    const offset = padRight + 1
    padLeft = Math.max(padLeft, 3 - offset, 3 + negInf - offset)
  }
  const width = padLeft + padRight + 1
  return (v) => {
    const s = special(v)
    return s === undefined ? body(v) : s.padStart(width)
  }
}

/**
 * PyTorch's float style: integer-valued arrays print as `2.`, others with `precision` fixed
 * digits; scientific when magnitudes reach 1e8, fall under 1e-4 or span more than 1000.
 */
const torchFloatFormat = (values: ReadonlyArray<number>, precision: number): ElementFormat => {
  const finite = values.filter((v) => Number.isFinite(v))
  if (finite.length === 0) return (v) => special(v) ?? String(v)
  const allInt = finite.every((v) => Number.isInteger(v))
  const abs = finite.map(Math.abs).filter((v) => v !== 0)
  const maxAbs = abs.length ? Math.max(...abs) : 0
  const minAbs = abs.length ? Math.min(...abs) : 0
  const sci = maxAbs >= 1e8 || (minAbs > 0 && minAbs < 1e-4) || (minAbs > 0 && maxAbs / minAbs > 1000 && !allInt)
  if (allInt && !sci) return (v) => special(v) ?? `${v.toFixed(0)}.`
  if (sci) {
    return (v) => {
      const s = special(v)
      if (s !== undefined) return s
      const [m, e] = v.toExponential(precision).split('e') as [string, string]
      const exp = Number(e)
      return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
    }
  }
  return (v) => special(v) ?? v.toFixed(precision)
}

/** Pads every string of a format to the widest one (right-aligned). */
const commonWidth = (values: ReadonlyArray<number>, f: ElementFormat): ElementFormat => {
  const width = Math.max(0, ...values.map((v) => f(v).length))
  return (v) => f(v).padStart(width)
}

const elementFormat = (
  dtype: DType,
  shown: ReadonlyArray<number>,
  zeroD: boolean,
  opts: FormatOptions,
): ElementFormat => {
  const numpy = opts.floatStyle === 'numpy'
  switch (dtype) {
    case 'bool': {
      const b: ElementFormat = (v) => (v !== 0 ? 'True' : 'False')
      // NumPy's BoolFormat pads True to False's width in any array that is not 0-d.
      if (numpy) return zeroD ? b : (v) => b(v).padStart(5)
      return commonWidth(shown, b)
    }
    case 'int32':
    case 'int64':
    case 'int16':
    case 'int8':
    case 'uint8':
      return commonWidth(shown, (v) => String(v))
    case 'float32':
    case 'float64':
      return numpy
        ? numpyFloatFormat(dtype === 'float32' ? shown.map(Math.fround) : shown, dtype === 'float32', opts.precision)
        : commonWidth(shown, torchFloatFormat(shown, opts.precision))
  }
}

// -------------------------------------------------------------------------------------
// layout
// -------------------------------------------------------------------------------------

/** Row-major offsets of the elements that are shown (all, or edge items of each axis). */
const shownOffsets = (shape: Shape, summarise: boolean, edge: number): number[] => {
  const out: number[] = []
  const rec = (axis: number, offset: number, step: number): void => {
    if (axis === shape.length) {
      out.push(offset)
      return
    }
    const n = at(shape, axis)
    const inner = step / n
    for (const i of axisIndices(n, summarise, edge)) if (i !== '...') rec(axis + 1, offset + i * inner, inner)
  }
  rec(
    0,
    0,
    shape.reduce((p, d) => p * d, 1),
  )
  return out
}

const axisIndices = (n: number, summarise: boolean, edge: number): Array<number | '...'> => {
  const idx: Array<number | '...'> = []
  if (summarise && n > 2 * edge) {
    for (let i = 0; i < edge; i++) idx.push(i)
    idx.push('...')
    for (let i = n - edge; i < n; i++) idx.push(i)
  } else for (let i = 0; i < n; i++) idx.push(i)
  return idx
}

/**
 * Formats array data as nested brackets, NumPy style (`_formatArray`): rows separated by `,`
 * and one newline per remaining axis, continuation lines indented past `prefix` and `[`, long
 * rows wrapped at `lineWidth`. Empty arrays print `[]`.
 */
export const formatData = (shape: Shape, dtype: DType, data: TypedArray, opts: FormatOptions): string => {
  const size = data.length
  if (size === 0) return '[]'
  const summarise = size > opts.threshold
  const offsets = shape.length === 0 ? [0] : shownOffsets(shape, summarise, opts.edgeItems)
  const fmt = elementFormat(
    dtype,
    offsets.map((o) => data[o] as number),
    shape.length === 0,
    opts,
  )
  const cellAt = (o: number): string => fmt(data[o] as number)
  if (shape.length === 0) return cellAt(0)
  const nd = shape.length
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1))
  // the line width left for the data: minus the `)` that follows it
  const lineWidth = opts.lineWidth === undefined ? Infinity : opts.lineWidth - 1
  const extendLine = (s: string, line: string, word: string, width: number, indent: string): [string, string] => {
    // never wrap a line that holds only its indent: that would not help
    if (line.length + word.length > width && line.length > indent.length)
      return [`${s}${line.trimEnd()}\n`, indent + word]
    return [s, line + word]
  }
  const rec = (axis: number, offset: number, indent: string, width: number): string => {
    const n = at(shape, axis)
    const step = at(strides, axis)
    const idx = axisIndices(n, summarise, opts.edgeItems)
    let s = ''
    if (axis === nd - 1) {
      const elemWidth = width - 1 // room for the `,` or `]` after each element
      let line = indent
      idx.forEach((i, k) => {
        ;[s, line] = extendLine(s, line, i === '...' ? '...' : cellAt(offset + i * step), elemWidth, indent)
        if (k < idx.length - 1) line += opts.separator ?? ', '
      })
      s += line
    } else {
      const sep = `${(opts.separator ?? ', ').trimEnd()}${'\n'.repeat(nd - axis - 1)}`
      s = idx
        .map((i) => indent + (i === '...' ? '...' : rec(axis + 1, offset + i * step, `${indent} `, width - 1)))
        .join(sep)
    }
    return `[${s.slice(indent.length)}]`
  }
  return rec(0, 0, ' '.repeat(opts.prefix.length + 1), lineWidth)
}

// -------------------------------------------------------------------------------------
// repr
// -------------------------------------------------------------------------------------

/** NumPy's default print options. */
const NUMPY: FormatOptions = {
  prefix: 'array(',
  precision: 8,
  floatStyle: 'numpy',
  threshold: 1000,
  edgeItems: 3,
  lineWidth: 75,
}

/** The print options NumPy lets a program change (`np.set_printoptions`), as wengert keeps them. */
export interface NumpyPrintOptions {
  readonly precision: number
  readonly threshold: number
  readonly edgeItems: number
  readonly lineWidth: number
}

/** The options every array's repr uses now (changed by `setPrintoptions`). */
let current: FormatOptions = NUMPY

/** The current print options. */
export const getNumpyPrintOptions = (): NumpyPrintOptions => ({
  precision: current.precision,
  threshold: current.threshold,
  edgeItems: current.edgeItems,
  lineWidth: current.lineWidth as number,
})

/** Replaces the print options (the caller has checked the values); returns the previous ones. */
export const setNumpyPrintOptions = (o: NumpyPrintOptions): NumpyPrintOptions => {
  const before = getNumpyPrintOptions()
  current = { ...NUMPY, ...o }
  return before
}

/** A shape as a Python tuple: `(3,)`, `(2, 0)`. */
const pyTuple = (shape: Shape): string => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`)

/**
 * NumPy's repr of an array (`array_repr`): `array([1., 2.], dtype=float32)`. The dtype is
 * shown unless NumPy would imply it (float64, bool) and the array is not empty; the shape is
 * shown for summarised arrays and for empty arrays that are not 1-D (NumPy ≥ 2.2). The extras
 * move to their own line when they would pass the line width.
 */
export const formatArray = (
  shape: Shape,
  dtype: DType,
  data: TypedArray,
  overrides: Partial<NumpyPrintOptions> = {},
): string => {
  const opts = { ...current, ...overrides }
  const body = formatData(shape, dtype, data, opts)
  const size = data.length
  const extras: string[] = []
  if ((size === 0 && !(shape.length === 1 && shape[0] === 0)) || size > opts.threshold)
    extras.push(`shape=${pyTuple(shape)}`)
  if (dtype === 'float32' || dtype === 'int32' || isSmallInt(dtype) || size === 0) extras.push(`dtype=${dtype}`)
  if (extras.length === 0) return `${opts.prefix}${body})`
  const head = `${opts.prefix}${body},`
  const tail = `${extras.join(', ')})`
  const lastLine = head.length - (head.lastIndexOf('\n') + 1)
  const spacer = lastLine + tail.length + 1 > (opts.lineWidth as number) ? `\n${' '.repeat(opts.prefix.length)}` : ' '
  return head + spacer + tail
}

/** NumPy's str of an array (`array_str`): the data alone, elements separated by spaces: `[1. 2.]`. */
export const formatArrayStr = (
  shape: Shape,
  dtype: DType,
  data: TypedArray,
  overrides: Partial<NumpyPrintOptions> = {},
): string => {
  const opts = { ...current, ...overrides, prefix: '', separator: ' ' }
  // NumPy's str has no closing `)`: the whole line width is the data's
  return formatData(shape, dtype, data, { ...opts, lineWidth: (opts.lineWidth as number) + 1 })
}

/**
 * NumPy-like printing of array data, shared by `NdArray.toString` and the PyTorch facade.
 *
 * @category ndarray
 * @since 0.1.0
 */
import type { DType, TypedArray } from './dtype'
import type { Shape } from './shape'

/** Options of {@link formatData}. */
export interface FormatOptions {
  /** Text before the data, e.g. `array(` or `tensor(`. */
  readonly prefix: string
  /** Digits after the point for floats (NumPy: 8, PyTorch: 4). */
  readonly precision: number
  /** Whether floats that are all integers print as `1.` (both NumPy and PyTorch do). */
  readonly floatStyle: 'numpy' | 'torch'
  /** Summarise arrays with more elements than this (NumPy: 1000). */
  readonly threshold: number
  /** Elements shown at each end of a summarised axis. */
  readonly edgeItems: number
}

const fmtBool = (v: number, style: FormatOptions['floatStyle']): string =>
  style === 'torch' ? (v !== 0 ? 'True' : 'False') : v !== 0 ? 'True' : 'False'

/**
 * Formats the float values of one array consistently (one width, one notation), following the
 * common rules of NumPy and PyTorch: integers-valued floats print as `2.`, otherwise fixed
 * notation with trailing zeros removed (NumPy) or kept to `precision` (PyTorch); scientific
 * notation when the magnitudes span more than 1e8 or fall under 1e-4.
 */
const floatFormatter = (values: ReadonlyArray<number>, opts: FormatOptions): ((v: number) => string) => {
  const finite = values.filter((v) => Number.isFinite(v))
  const special = (v: number): string | undefined =>
    Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : undefined
  if (finite.length === 0) return (v) => special(v) ?? String(v)
  const allInt = finite.every((v) => Number.isInteger(v))
  const abs = finite.map(Math.abs).filter((v) => v !== 0)
  const maxAbs = abs.length ? Math.max(...abs) : 0
  const minAbs = abs.length ? Math.min(...abs) : 0
  const sci = opts.floatStyle === 'torch'
    ? maxAbs >= 1e8 || (minAbs > 0 && minAbs < 1e-4) || (minAbs > 0 && maxAbs / minAbs > 1000 && !allInt)
    : maxAbs >= 1e16 || (minAbs > 0 && (minAbs < 1e-4 || maxAbs / minAbs > 1e3) && !allInt)
  if (allInt && !sci) {
    return (v) => special(v) ?? `${v.toFixed(0)}.`
  }
  if (sci) {
    const digits = opts.precision
    return (v) => {
      const s = special(v)
      if (s !== undefined) return s
      const [m, e] = v.toExponential(digits).split('e') as [string, string]
      const exp = Number(e)
      const expStr = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
      return `${m}e${expStr}`
    }
  }
  if (opts.floatStyle === 'torch') {
    return (v) => special(v) ?? v.toFixed(opts.precision)
  }
  // NumPy: shortest round-trip digits up to `precision`, trailing zeros removed, padded to a
  // common number of decimals.
  const decimals = Math.max(
    ...finite.map((v) => {
      const s = v.toFixed(opts.precision).replace(/0+$/, '')
      const dot = s.indexOf('.')
      return dot < 0 ? 0 : s.length - dot - 1
    }),
  )
  return (v) => {
    const s = special(v)
    if (s !== undefined) return s
    const f = v.toFixed(decimals)
    return decimals === 0 ? `${f}.` : f
  }
}

/**
 * Formats array data as nested brackets, NumPy style, with the given prefix used for the
 * continuation indent.
 */
export const formatData = (shape: Shape, dtype: DType, data: TypedArray, opts: FormatOptions): string => {
  const size = data.length
  const summarise = size > opts.threshold
  const values: number[] = []
  for (let i = 0; i < size; i++) values.push(data[i] as number)
  const isFloat = dtype === 'float32' || dtype === 'float64'
  const fmt = dtype === 'bool'
    ? (v: number) => fmtBool(v, opts.floatStyle)
    : isFloat
      ? floatFormatter(
          dtype === 'float32' ? values.map((v) => Math.fround(v)) : values,
          opts,
        )
      : (v: number) => String(v)
  const strs = values.map(fmt)
  const width = Math.max(0, ...strs.map((s) => s.length))
  const pad = (s: string): string => s.padStart(width)
  if (shape.length === 0) return strs[0] ?? ''
  const indent = ' '.repeat(opts.prefix.length)
  const rec = (axis: number, offset: number, depth: number): string => {
    const n = shape[axis] as number
    let step = 1
    for (let i = axis + 1; i < shape.length; i++) step *= shape[i] as number
    const idx: Array<number | '...'> = []
    if (summarise && n > 2 * opts.edgeItems) {
      for (let i = 0; i < opts.edgeItems; i++) idx.push(i)
      idx.push('...')
      for (let i = n - opts.edgeItems; i < n; i++) idx.push(i)
    } else for (let i = 0; i < n; i++) idx.push(i)
    if (axis === shape.length - 1) {
      return `[${idx.map((i) => (i === '...' ? '...' : pad(strs[offset + i] ?? ''))).join(', ')}]`
    }
    const sep = `,${'\n'.repeat(shape.length - axis - 1)}${indent}${' '.repeat(depth + 1)}`
    return `[${idx.map((i) => (i === '...' ? '...' : rec(axis + 1, offset + i * step, depth + 1))).join(sep)}]`
  }
  return rec(0, 0, 0)
}

/** NumPy's repr of an array: `array([1., 2.], dtype=float32)`. */
export const formatArray = (shape: Shape, dtype: DType, data: TypedArray): string => {
  const body = formatData(shape, dtype, data, {
    prefix: 'array(',
    precision: 8,
    floatStyle: 'numpy',
    threshold: 1000,
    edgeItems: 3,
  })
  // NumPy omits the dtype for its defaults (float64, bool) and shows it otherwise.
  const dt = dtype === 'float32' || dtype === 'int32' ? `, dtype=${dtype}` : ''
  return `array(${body}${dt})`
}

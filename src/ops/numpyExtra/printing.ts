/**
 * NumPy's printing controls (JAX: `jnp.printoptions`, `get_printoptions`, `set_printoptions`,
 * `array_repr`, `array_str`): the options change how every array prints (`String(x)`,
 * `console.log(x)`, `arrayRepr`), as NumPy's do for JAX arrays.
 *
 * @category ops
 * @since 0.7.0
 */
import { ValueError } from '../../ndarray/errors'
import {
  formatArray,
  formatArrayStr,
  getNumpyPrintOptions,
  setNumpyPrintOptions,
  type NumpyPrintOptions,
} from '../../ndarray/format'
import type { NdArray } from '../../ndarray/NdArray'
import { checkOptions, describeValue } from '../../internal/options'
import { asArray, type ArrayLike } from '../convert'

/**
 * NumPy's print options, by NumPy's names. `precision`, `threshold`, `edgeitems` and `linewidth`
 * are kept; `suppress`, `nanstr`, `infstr`, `sign`, `floatmode`, `formatter` and `legacy` are
 * accepted at NumPy's defaults only (others raise: not supported). @category ops @since 0.7.0
 */
export interface PrintOptions {
  /** Digits after the point for floats (at most; shortest digits that round-trip). @defaultValue 8 */
  readonly precision?: number | null
  /** Summarise arrays with more elements than this. @defaultValue 1000 */
  readonly threshold?: number | null
  /** Elements shown at each end of a summarised axis. @defaultValue 3 */
  readonly edgeitems?: number | null
  /** Line width. @defaultValue 75 */
  readonly linewidth?: number | null
  /** Only the default (false) is supported. */
  readonly suppress?: boolean | null
  /** Only the default ('nan') is supported. */
  readonly nanstr?: string | null
  /** Only the default ('inf') is supported. */
  readonly infstr?: string | null
  /** Only the default ('-') is supported. */
  readonly sign?: string | null
  /** Only the default ('maxprec') is supported. */
  readonly floatmode?: string | null
  /** Not supported (only null). */
  readonly formatter?: null
  /** Only the default (false) is supported. */
  readonly legacy?: false | null
}

/** What {@link getPrintoptions} returns: NumPy's dict, by NumPy's names. @category ops @since 0.7.0 */
export interface PrintOptionsDict {
  readonly precision: number
  readonly threshold: number
  readonly edgeitems: number
  readonly linewidth: number
  readonly suppress: false
  readonly nanstr: 'nan'
  readonly infstr: 'inf'
  readonly sign: '-'
  readonly floatmode: 'maxprec'
  readonly formatter: null
  readonly legacy: false
}

const DEFAULTS = {
  suppress: false,
  nanstr: 'nan',
  infstr: 'inf',
  sign: '-',
  floatmode: 'maxprec',
  formatter: null,
  legacy: false,
}
const KEYS: ReadonlyArray<keyof PrintOptions> = [
  'precision',
  'threshold',
  'edgeitems',
  'linewidth',
  'suppress',
  'nanstr',
  'infstr',
  'sign',
  'floatmode',
  'formatter',
  'legacy',
]

const count = (api: string, name: string, v: unknown, min: number): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new ValueError(`${api}: ${name} must be an integer >= ${min}, got ${String(v)}`)
  return v
}

/** The options after applying `o` to the current ones (checked; nothing is changed here). */
const merged = (api: string, o: PrintOptions): NumpyPrintOptions => {
  checkOptions(api, o, KEYS)
  for (const [k, d] of Object.entries(DEFAULTS)) {
    const v = (o as Record<string, unknown>)[k]
    if (v !== undefined && v !== null && v !== d)
      throw new ValueError(`${api}: ${k}=${String(v)} is not supported (only NumPy's default, ${String(d)})`)
  }
  const cur = getNumpyPrintOptions()
  const pick = (v: number | null | undefined, name: string, fallback: number, min: number): number =>
    v === undefined || v === null ? fallback : count(api, name, v, min)
  return {
    precision: pick(o.precision, 'precision', cur.precision, 0),
    threshold: pick(o.threshold, 'threshold', cur.threshold, 0),
    edgeItems: pick(o.edgeitems, 'edgeitems', cur.edgeItems, 0),
    lineWidth: pick(o.linewidth, 'linewidth', cur.lineWidth, 1),
  }
}

/**
 * The current print options (JAX: `jnp.get_printoptions()`, NumPy's dict).
 * @example
 * import { getPrintoptions } from 'wengert'
 * assert.strictEqual(getPrintoptions().precision, 8)
 * @category ops
 * @since 0.7.0
 */
export const getPrintoptions = (): PrintOptionsDict => {
  const c = getNumpyPrintOptions()
  return {
    precision: c.precision,
    threshold: c.threshold,
    edgeitems: c.edgeItems,
    linewidth: c.lineWidth,
    ...DEFAULTS,
  } as PrintOptionsDict
}

/**
 * Sets the print options for every later print (JAX: `jnp.set_printoptions(...)`); options
 * left out keep their values. Bad values raise before anything changes.
 * @example
 * import { setPrintoptions, getPrintoptions, array } from 'wengert'
 * const before = getPrintoptions()
 * setPrintoptions({ precision: 3 })
 * assert.strictEqual(String(array([Math.PI], { dtype: 'float64' })), 'array([3.142])')
 * setPrintoptions(before)
 * @category ops
 * @since 0.7.0
 */
export const setPrintoptions = (options: PrintOptions = {}): void => {
  setNumpyPrintOptions(merged('set_printoptions', options))
}

/**
 * Runs `fn` with the print options changed, then restores them, also when `fn` throws (JAX:
 * `with jnp.printoptions(...)`); returns `fn`'s result.
 * @example
 * import { printoptions, array } from 'wengert'
 * const x = array([1 / 3], { dtype: 'float64' })
 * const s = printoptions({ precision: 2 }, () => String(x))
 * assert.strictEqual(s, 'array([0.33])')
 * assert.strictEqual(String(x), 'array([0.33333333])')
 * @category ops
 * @since 0.7.0
 */
export const printoptions = <T>(options: PrintOptions, fn: () => T): T => {
  if (typeof fn !== 'function')
    throw new ValueError(
      `printoptions: expected the function to run with the options as the second argument (a JavaScript form of 'with jnp.printoptions(...)'), got ${describeValue(fn)}`,
    )
  const before = setNumpyPrintOptions(merged('printoptions', options))
  try {
    return fn()
  } finally {
    setNumpyPrintOptions(before)
  }
}

const overrides = (
  api: string,
  maxLineWidth?: number | null,
  precision?: number | null,
  suppressSmall?: boolean | null,
): Partial<NumpyPrintOptions> => {
  if (suppressSmall === true) throw new ValueError(`${api}: suppress_small=True is not supported`)
  return {
    ...(maxLineWidth === undefined || maxLineWidth === null
      ? {}
      : { lineWidth: count(api, 'max_line_width', maxLineWidth, 1) }),
    ...(precision === undefined || precision === null ? {} : { precision: count(api, 'precision', precision, 0) }),
  }
}

const concrete = (api: string, a: ArrayLike): NdArray => asArray(api, a)

/**
 * The repr of an array, as it prints (JAX: `jnp.array_repr(arr, max_line_width=None,
 * precision=None, suppress_small=None)`): `array([1., 2.], dtype=float32)`.
 * @example
 * import { arrayRepr, array } from 'wengert'
 * assert.strictEqual(arrayRepr(array([1, 2], { dtype: 'float32' })), 'array([1., 2.], dtype=float32)')
 * assert.strictEqual(arrayRepr(array([Math.PI], { dtype: 'float64' }), null, 2), 'array([3.14])')
 * @category ops
 * @since 0.7.0
 */
export const arrayRepr = (
  arr: ArrayLike,
  maxLineWidth?: number | null,
  precision?: number | null,
  suppressSmall?: boolean | null,
): string => {
  const x = concrete('array_repr', arr)
  return formatArray(
    x.shape,
    x.dtype,
    x._values('array_repr'),
    overrides('array_repr', maxLineWidth, precision, suppressSmall),
  )
}

/**
 * The str of an array (JAX: `jnp.array_str(a, max_line_width=None, precision=None,
 * suppress_small=None)`): the data alone, elements separated by spaces: `[1. 2.]`.
 * @example
 * import { arrayStr, array } from 'wengert'
 * assert.strictEqual(arrayStr(array([[1, 2], [3, 4]], { dtype: 'int32' })), '[[1 2]\n [3 4]]')
 * @category ops
 * @since 0.7.0
 */
export const arrayStr = (
  a: ArrayLike,
  maxLineWidth?: number | null,
  precision?: number | null,
  suppressSmall?: boolean | null,
): string => {
  const x = concrete('array_str', a)
  return formatArrayStr(
    x.shape,
    x.dtype,
    x._values('array_str'),
    overrides('array_str', maxLineWidth, precision, suppressSmall),
  )
}

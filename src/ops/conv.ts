/**
 * Convolutions with JAX's `lax` interface: `convGeneralDilated` (dimension numbers, `'SAME'` /
 * `'VALID'` or explicit padding, dilations, groups), `conv` and `convTranspose`. The op turns
 * every layout into the canonical one (lhs [N, C, sp…], rhs [O, I, sp…]) by transposes, so the
 * one primitive `conv_general_dilated` sees canonical params only.
 *
 * @category ops
 * @since 0.2.0
 */
import { checkPrecision, type PrecisionLike } from './laxPrecision'
import * as lax from '../core/lax'
import { DTypeError, ShapeError, ValueError, fmtShape } from '../ndarray/errors'
import type { NdArray } from '../ndarray/NdArray'
import { isFloat } from '../ndarray/dtype'
import { asArray, type ArrayLike } from './convert'

/** Padding: a JAX padding type or one (low, high) pair per spatial axis. @category ops @since 0.2.0 */
export type Padding = 'SAME' | 'SAME_LOWER' | 'VALID' | ReadonlyArray<readonly [number, number]>

/**
 * Dimension numbers: three layout strings (`['NCHW', 'OIHW', 'NCHW']`: `N` batch, `C` features,
 * `O`/`I` kernel out/in features, other letters spatial, matched by letter) or the axis
 * permutations to the canonical layout. @category ops @since 0.2.0
 */
export type DimensionNumbers =
  | readonly [string, string, string]
  | {
      readonly lhsSpec: ReadonlyArray<number>
      readonly rhsSpec: ReadonlyArray<number>
      readonly outSpec: ReadonlyArray<number>
    }

/** Options of {@link convGeneralDilated}. @category ops @since 0.2.0 */
export interface ConvGeneralOptions {
  /** Input dilation per spatial axis (transposed convolution). @defaultValue all 1 */
  readonly lhsDilation?: ReadonlyArray<number>
  /** Kernel (atrous) dilation per spatial axis. @defaultValue all 1 */
  readonly rhsDilation?: ReadonlyArray<number>
  /** @defaultValue `['NC…', 'OI…', 'NC…']` (canonical) */
  readonly dimensionNumbers?: DimensionNumbers
  /** @defaultValue 1 */
  readonly featureGroupCount?: number
  /** @defaultValue 1 */
  readonly batchGroupCount?: number
  /** JAX's `precision` (see {@link PrecisionLike}): accepted, no effect (products in the result dtype, as JAX on CPU). */
  readonly precision?: PrecisionLike
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/** Canonical permutations of lhs, rhs and out (JAX: `conv_general_permutations`). */
export const permutations = (
  op: string,
  dn: DimensionNumbers | undefined,
  ndim: number,
): [number[], number[], number[]] => {
  if (dn === undefined) return [range(ndim), range(ndim), range(ndim)]
  if (!Array.isArray(dn)) {
    const d = dn as Exclude<DimensionNumbers, readonly [string, string, string]>
    return [d.lhsSpec.slice(), d.rhsSpec.slice(), d.outSpec.slice()]
  }
  const [lhs, rhs, out] = dn as readonly [string, string, string]
  const bad = (why: string): never => {
    throw new ValueError(`${op}: invalid dimension_numbers ('${lhs}', '${rhs}', '${out}'): ${why}`)
  }
  if (lhs.length !== ndim || rhs.length !== ndim || out.length !== ndim) bad(`each spec needs ${ndim} letters`)
  for (const [s, a, b] of [
    [lhs, 'N', 'C'],
    [rhs, 'O', 'I'],
    [out, 'N', 'C'],
  ] as const) {
    if (!s.includes(a) || !s.includes(b) || new Set(s).size !== s.length)
      bad(`'${s}' needs ${a}, ${b} and distinct letters`)
  }
  const spatial = [...rhs].filter((c) => c !== 'O' && c !== 'I')
  const perm = (s: string, a: string, b: string): number[] => {
    const sp = spatial.map((c) => s.indexOf(c))
    if (sp.some((i) => i < 0)) bad(`'${s}' must have the spatial letters of '${rhs}'`)
    return [s.indexOf(a), s.indexOf(b), ...sp]
  }
  return [perm(lhs, 'N', 'C'), perm(rhs, 'O', 'I'), perm(out, 'N', 'C')]
}

/** The inverse permutation. */
const inverse = (p: ReadonlyArray<number>): number[] => {
  const inv = new Array<number>(p.length)
  p.forEach((a, i) => (inv[a] = i))
  return inv
}

/** (low, high) pads for a padding type (JAX: `padtype_to_pads`). */
export const padtypeToPads = (
  op: string,
  inShape: ReadonlyArray<number>,
  window: ReadonlyArray<number>,
  strides: ReadonlyArray<number>,
  padding: Padding,
): Array<[number, number]> => {
  if (typeof padding !== 'string') {
    if (padding.length !== inShape.length || !padding.every((p) => p.length === 2 && p.every(Number.isInteger))) {
      throw new ValueError(
        `${op}: expected ${inShape.length} (low, high) integer padding pairs, got ${JSON.stringify(padding)}`,
      )
    }
    return padding.map(([lo, hi]) => [lo, hi])
  }
  if (padding === 'VALID') return inShape.map(() => [0, 0])
  if (padding !== 'SAME' && padding !== 'SAME_LOWER') {
    throw new ValueError(`${op}: unknown padding '${String(padding)}': expected 'SAME', 'SAME_LOWER', 'VALID' or pairs`)
  }
  return inShape.map((n, k) => {
    const s = strides[k] as number
    const total = Math.max(0, (Math.ceil(n / s) - 1) * s + (window[k] as number) - n)
    const small = Math.floor(total / 2)
    return padding === 'SAME' ? [small, total - small] : [total - small, small]
  })
}

/** Checks a per-spatial-axis list of positive integers (default all 1). */
const spatialList = (op: string, name: string, xs: ReadonlyArray<number> | undefined, n: number): number[] => {
  const v = xs === undefined ? new Array<number>(n).fill(1) : xs.slice()
  if (v.length !== n || !v.every((x) => Number.isInteger(x) && x >= 1)) {
    throw new ValueError(`${op}: ${name} must be ${n} positive integers (one per spatial axis), got ${fmtShape(v)}`)
  }
  return v
}

/**
 * General dilated convolution (JAX `lax.conv_general_dilated`): strides, padding, input and
 * kernel dilation, feature and batch groups, any layout by dimension numbers; 1-, 2- and 3-D.
 * Differentiable to any order; batches under `vmap`.
 * @example
 * import { lax, array } from 'wengert'
 * const x = array([[[1, 2, 3, 4]]]) // [N=1, C=1, W=4]
 * const w = array([[[1, 1]]]) // [O=1, I=1, K=2]
 * assert.deepStrictEqual(lax.convGeneralDilated(x, w, [1], 'VALID').toArray(), [[[3, 5, 7]]])
 * assert.deepStrictEqual(lax.convGeneralDilated(x, w, [2], [[0, 1]]).toArray(), [[[3, 7]]])
 * @category ops @since 0.2.0
 */
export const convGeneralDilated = (
  lhs: ArrayLike,
  rhs: ArrayLike,
  windowStrides: ReadonlyArray<number>,
  padding: Padding,
  options: ConvGeneralOptions = {},
): NdArray => {
  const op = 'conv_general_dilated'
  const l = asArray(op, lhs)
  const r = asArray(op, rhs)
  if (!isFloat(l.dtype) || l.dtype !== r.dtype) {
    throw new DTypeError(`${op}: expected lhs and rhs of one float dtype, got ${l.dtype} and ${r.dtype}`)
  }
  if (l.ndim < 2 || l.ndim !== r.ndim) {
    throw new ShapeError(
      `${op}: lhs and rhs must have one rank of at least 2, got ${fmtShape(l.shape)} and ${fmtShape(r.shape)}`,
    )
  }
  const nsp = l.ndim - 2
  checkPrecision(op, options.precision)
  const [lp, rp, op2] = permutations(op, options.dimensionNumbers, l.ndim)
  const lc = lax.transpose(l, lp)
  const rc = lax.transpose(r, rp)
  const strides = spatialList(op, 'window_strides', windowStrides, nsp)
  const lhsDilation = spatialList(op, 'lhs_dilation', options.lhsDilation, nsp)
  const rhsDilation = spatialList(op, 'rhs_dilation', options.rhsDilation, nsp)
  const g = options.featureGroupCount ?? 1
  const b = options.batchGroupCount ?? 1
  checkGroups(op, lc.shape, rc.shape, g, b)
  const window = rc.shape.slice(2).map((k, i) => (k === 0 ? 0 : 1 + (rhsDilation[i] as number) * (k - 1)))
  const pads = padtypeToPads(op, lc.shape.slice(2), window, strides, padding)
  const out = lax.convGeneralDilated(lc, rc, {
    windowStrides: strides,
    padding: pads,
    lhsDilation,
    rhsDilation,
    featureGroupCount: g,
    batchGroupCount: b,
  })
  return lax.transpose(out, inverse(op2))
}

/** Checks the feature/batch group counts against canonical shapes. */
const checkGroups = (op: string, ls: ReadonlyArray<number>, rs: ReadonlyArray<number>, g: number, b: number): void => {
  const [n = 0, c = 0] = ls
  const [o = 0, i = 0] = rs
  if (!Number.isInteger(g) || !Number.isInteger(b) || g < 1 || b < 1 || (g > 1 && b > 1)) {
    throw new ValueError(`${op}: feature_group_count ${g} and batch_group_count ${b} must be positive, one of them 1`)
  }
  if (c !== i * g) {
    throw new ShapeError(
      `${op}: lhs feature dimension (${c}) must equal the rhs input feature dimension (${i}) times feature_group_count (${g})`,
    )
  }
  if (o % (g * b) !== 0 || n % b !== 0) {
    throw new ShapeError(
      `${op}: the rhs output feature dimension (${o}) must be a multiple of the group count ${g * b}, and the batch (${n}) of batch_group_count (${b})`,
    )
  }
}

/**
 * Convolution in the canonical layout without dilation (JAX `lax.conv`).
 * @example
 * import { lax, array } from 'wengert'
 * const y = lax.conv(array([[[[1, 2], [3, 4]]]]), array([[[[1, 0], [0, 1]]]]), [1, 1], 'VALID')
 * assert.deepStrictEqual(y.toArray(), [[[[5]]]])
 * @category ops @since 0.2.0
 */
export const conv = (lhs: ArrayLike, rhs: ArrayLike, windowStrides: ReadonlyArray<number>, padding: Padding): NdArray =>
  convGeneralDilated(lhs, rhs, windowStrides, padding)

/**
 * Dimension numbers in canonical form (JAX `lax.conv_dimension_numbers`): the permutations
 * `{ lhsSpec, rhsSpec, outSpec }` that take each operand to its canonical layout. `undefined`
 * gives the canonical layout; an object is returned as given.
 * @example
 * import { lax } from 'wengert'
 * const dn = lax.convDimensionNumbers([1, 200, 198, 3], [3, 3, 3, 3], ['NHWC', 'HWIO', 'NHWC'])
 * assert.deepStrictEqual(dn, { lhsSpec: [0, 3, 1, 2], rhsSpec: [3, 2, 0, 1], outSpec: [0, 3, 1, 2] })
 * @category ops @since 0.2.0
 */
export const convDimensionNumbers = (
  lhsShape: ReadonlyArray<number>,
  rhsShape: ReadonlyArray<number>,
  dimensionNumbers?: DimensionNumbers,
): { readonly lhsSpec: number[]; readonly rhsSpec: number[]; readonly outSpec: number[] } => {
  const op = 'conv_dimension_numbers'
  if (lhsShape.length !== rhsShape.length) {
    throw new ShapeError(
      `${op}: convolution requires lhs and rhs ndim to be equal, got ${lhsShape.length} and ${rhsShape.length}`,
    )
  }
  const [lhsSpec, rhsSpec, outSpec] = permutations(op, dimensionNumbers, lhsShape.length)
  return { lhsSpec, rhsSpec, outSpec }
}

/**
 * Convolution in the canonical layout with explicit padding and both dilations (JAX
 * `lax.conv_with_general_padding`).
 * @example
 * import { lax, array } from 'wengert'
 * const y = lax.convWithGeneralPadding(array([[[1, 2, 3]]]), array([[[1, 1]]]), [1], [[1, 0]], [1], [1])
 * assert.deepStrictEqual(y.toArray(), [[[1, 3, 5]]])
 * @category ops @since 0.2.0
 */
export const convWithGeneralPadding = (
  lhs: ArrayLike,
  rhs: ArrayLike,
  windowStrides: ReadonlyArray<number>,
  padding: Padding,
  lhsDilation?: ReadonlyArray<number>,
  rhsDilation?: ReadonlyArray<number>,
): NdArray =>
  convGeneralDilated(lhs, rhs, windowStrides, padding, {
    ...(lhsDilation === undefined ? {} : { lhsDilation }),
    ...(rhsDilation === undefined ? {} : { rhsDilation }),
  })

/** Options of {@link convTranspose}. @category ops @since 0.2.0 */
export interface ConvTransposeOptions {
  readonly rhsDilation?: ReadonlyArray<number>
  /** @defaultValue channels last: `['NHWC', 'HWIO', 'NHWC']` and its 1-D/3-D analogues, as JAX */
  readonly dimensionNumbers?: DimensionNumbers
  /** Flip the kernel spatially and swap its in/out features (the gradient of a conv). @defaultValue false */
  readonly transposeKernel?: boolean
}

/** JAX's `_conv_transpose_padding` for one axis. */
export const transposePadding = (k: number, s: number, padding: 'SAME' | 'VALID'): [number, number] => {
  const len = padding === 'SAME' ? k + s - 2 : k + s - 2 + Math.max(k - s, 0)
  const a = padding === 'SAME' && s <= k - 1 ? Math.ceil(len / 2) : k - 1
  return [a, len - a]
}

const defaultTransposeSpecs: Record<number, readonly [string, string, string]> = {
  2: ['NC', 'IO', 'NC'],
  3: ['NHC', 'HIO', 'NHC'],
  4: ['NHWC', 'HWIO', 'NHWC'],
  5: ['NHWDC', 'HWDIO', 'NHWDC'],
}

/**
 * Transposed convolution (JAX `lax.conv_transpose`): the input dilated by the strides, padded
 * for `'SAME'`/`'VALID'` output sizes. Layout defaults to channels last, as JAX.
 * @example
 * import { lax, array } from 'wengert'
 * const x = array([[[1], [2]]]) // [N=1, W=2, C=1]
 * const w = array([[[1]], [[1]]]) // [K=2, I=1, O=1]
 * assert.deepStrictEqual(lax.convTranspose(x, w, [2], 'VALID').toArray(), [[[1], [1], [2], [2]]])
 * @category ops @since 0.2.0
 */
export const convTranspose = (
  lhs: ArrayLike,
  rhs: ArrayLike,
  strides: ReadonlyArray<number>,
  padding: 'SAME' | 'VALID' | ReadonlyArray<readonly [number, number]>,
  options: ConvTransposeOptions = {},
): NdArray => {
  const op = 'conv_transpose'
  let r = asArray(op, rhs)
  const ndim = r.ndim
  const dn = options.dimensionNumbers ?? defaultTransposeSpecs[ndim]
  if (dn === undefined) throw new ShapeError(`${op}: expected a kernel of rank 2 to 5, got ${fmtShape(r.shape)}`)
  const [, rp] = permutations(op, dn, ndim)
  const nsp = ndim - 2
  const rhsDilation = spatialList(op, 'rhs_dilation', options.rhsDilation, nsp)
  const s = spatialList(op, 'strides', strides, nsp)
  const ks = rp.slice(2).map((a, i) => {
    const k = r.shape[a] as number
    return k === 0 ? 0 : 1 + (rhsDilation[i] as number) * (k - 1)
  })
  const pads =
    typeof padding === 'string'
      ? padding === 'SAME' || padding === 'VALID'
        ? ks.map((k, i) => transposePadding(k, s[i] as number, padding))
        : (() => {
            throw new ValueError(`${op}: padding mode must be 'SAME' or 'VALID', got '${String(padding)}'`)
          })()
      : padding
  if (options.transposeKernel === true) {
    r = lax.flip(r, rp.slice(2))
    const swap = range(ndim)
    swap[rp[0] as number] = rp[1] as number
    swap[rp[1] as number] = rp[0] as number
    r = lax.transpose(r, swap)
  }
  return convGeneralDilated(lhs, r, new Array<number>(nsp).fill(1), pads, {
    lhsDilation: s,
    rhsDilation,
    dimensionNumbers: dn,
  })
}

/**
 * ONNX export rules of the convolution family. `conv_general_dilated` is ONNX `Conv` (dilated or
 * cropped inputs padded first, as `pad` exports); the windowed reductions move the axes they
 * reduce over behind the others, flatten those into ONNX's batch axis with one channel, and pool:
 * `reduce_window_max` is `MaxPool`, `reduce_window_min` `−MaxPool(−x)`, `reduce_window_sum` a
 * `Conv` with a kernel of ones. The max pool's adjoint pair (`select_and_scatter_add`,
 * `select_and_gather_add`) follows the kernel's own selection: `./onnxPoolSelect`.
 *
 * @category primitives
 * @since 0.2.0
 */
import type { ConvParams } from '../../ndarray/kernels/conv/convGeneral'
import type { ReduceWindowParams } from '../../ndarray/kernels/conv/reduceWindow'
import type { DType } from '../../ndarray/dtype'
import { ValueError } from '../../ndarray/errors'
import { sizeOf } from '../../ndarray/shape'
import type { Aval } from '../equation'
import type { OnnxEmitter, OnnxRule } from '../onnxRule'
import { padOnnx } from './movement'

/** Pads (interior `dilation − 1`, negative edges crop) as `pad` exports them; positive edges are left to the op. */
const prePad = (
  emit: OnnxEmitter,
  x: string,
  a: Aval,
  padding: ReadonlyArray<readonly [number, number]>,
  dilation: ReadonlyArray<number>,
  fill: number,
): string => {
  if (dilation.every((d) => d === 1) && padding.every(([l, h]) => l >= 0 && h >= 0)) return x
  return padOnnx({
    inputs: [x],
    avals: [a],
    out: a,
    params: {
      lo: padding.map(([l]) => Math.min(l, 0)),
      hi: padding.map(([, h]) => Math.min(h, 0)),
      interior: dilation.map((d) => d - 1),
      value: fill,
    },
    emit,
  })
}

const positive = (padding: ReadonlyArray<readonly [number, number]>): number[] => [
  ...padding.map(([l]) => Math.max(l, 0)),
  ...padding.map(([, h]) => Math.max(h, 0)),
]

/**
 * `conv_general_dilated` (canonical layout, NC… and OI…) as ONNX `Conv`. Batch groups (the
 * kernel gradient of a grouped convolution) become feature groups: the lhs batch split into
 * `g` groups is laid side by side along the channels, `[N, C, …] → [N/g, g·C, …]`.
 */
export const convOnnx: OnnxRule<ConvParams> = ({ inputs: [lhs, rhs], avals: [la], params: p, emit }) => {
  const b = p.batchGroupCount
  if (b !== 1 && p.featureGroupCount !== 1)
    throw new ValueError(
      `exportOnnx: conv_general_dilated with both feature_group_count ${p.featureGroupCount} and ` +
        `batch_group_count ${b} has no ONNX Conv equivalent`,
    )
  const shape = (la as Aval).shape
  const spatial = shape.length - 2
  let x = prePad(emit, lhs as string, la as Aval, [[0, 0], [0, 0], ...p.padding], [1, 1, ...p.lhsDilation], 0)
  if (b !== 1) {
    const [n, c] = shape as [number, number]
    const sizes = shape.slice(2).map((d, k) => {
      const [lo, hi] = p.padding[k] as readonly [number, number]
      return d + (d - 1) * ((p.lhsDilation[k] as number) - 1) + Math.min(lo, 0) + Math.min(hi, 0)
    })
    x = emit.op('Reshape', [x, emit.ints([b, n / b, c, ...sizes])])
    x = emit.op('Transpose', [x], { perm: { ints: [1, 0, ...Array.from({ length: spatial + 1 }, (_, i) => i + 2)] } })
    x = emit.op('Reshape', [x, emit.ints([n / b, b * c, ...sizes])])
  }
  return emit.op('Conv', [x, rhs as string], {
    strides: { ints: p.windowStrides.slice(0, spatial) },
    pads: { ints: positive(p.padding) },
    dilations: { ints: p.rhsDilation.slice(0, spatial) },
    group: { int: b !== 1 ? b : p.featureGroupCount },
  })
}

/** How a windowed reduction's operand is laid out for ONNX pooling: [∏ other axes, 1, reduced axes…]. */
interface PoolLayout {
  readonly perm: number[]
  readonly inverse: number[]
  readonly kept: number[]
  readonly pooled: number[]
}

const layoutOf = (p: ReduceWindowParams): PoolLayout => {
  const trivial = (k: number): boolean =>
    p.windowDimensions[k] === 1 &&
    p.strides[k] === 1 &&
    p.windowDilation[k] === 1 &&
    p.baseDilation[k] === 1 &&
    (p.padding[k] as readonly [number, number]).every((v) => v === 0)
  const axes = p.windowDimensions.map((_, k) => k)
  const kept = axes.filter(trivial)
  const pooled = axes.filter((k) => !trivial(k))
  const perm = [...kept, ...pooled]
  const inverse = perm.map((_, i) => perm.indexOf(i))
  return { perm, inverse, kept, pooled }
}

/** `x` (of shape `shape`) transposed and reshaped to the pooling layout. */
const toPool = (emit: OnnxEmitter, x: string, shape: ReadonlyArray<number>, l: PoolLayout): string => {
  const t = l.perm.every((v, i) => v === i) ? x : emit.op('Transpose', [x], { perm: { ints: l.perm } })
  const n = sizeOf(l.kept.map((k) => shape[k] as number))
  return emit.op('Reshape', [t, emit.ints([n, 1, ...l.pooled.map((k) => shape[k] as number)])])
}

/** A pooled result (pooling layout) back to the operand's axis order, of shape `out`. */
const fromPool = (emit: OnnxEmitter, y: string, out: ReadonlyArray<number>, l: PoolLayout): string => {
  const r = emit.op('Reshape', [y, emit.ints(l.perm.map((k) => out[k] as number))])
  return l.perm.every((v, i) => v === i) ? r : emit.op('Transpose', [r], { perm: { ints: l.inverse } })
}

/** Attributes of the pooling node over the reduced axes. */
const poolAttrs = (p: ReduceWindowParams, l: PoolLayout) => ({
  kernel_shape: { ints: l.pooled.map((k) => p.windowDimensions[k] as number) },
  strides: { ints: l.pooled.map((k) => p.strides[k] as number) },
  pads: { ints: positive(l.pooled.map((k) => p.padding[k] as readonly [number, number])) },
  dilations: { ints: l.pooled.map((k) => p.windowDilation[k] as number) },
})

/** The operand pre-padded (base dilation, cropping) and its parameters without them. */
const prepared = (
  emit: OnnxEmitter,
  x: string,
  a: Aval,
  p: ReduceWindowParams,
  fill: number,
): readonly [string, ReadonlyArray<number>, ReduceWindowParams] => {
  const y = prePad(emit, x, a, p.padding, p.baseDilation, fill)
  const shape = a.shape.map((d, k) => {
    const [lo, hi] = p.padding[k] as readonly [number, number]
    const b = p.baseDilation[k] as number
    return d === 0 ? 0 : d + (d - 1) * (b - 1) + Math.min(lo, 0) + Math.min(hi, 0)
  })
  const padding = p.padding.map(([lo, hi]) => [Math.max(lo, 0), Math.max(hi, 0)] as const)
  return [y, shape, { ...p, padding, baseDilation: p.baseDilation.map(() => 1) }]
}

/** `reduce_window_max` as `MaxPool`; `reduce_window_min` as `−MaxPool(−x)`. */
export const poolOnnx =
  (sign: 1 | -1): OnnxRule<ReduceWindowParams> =>
  ({ inputs: [x], avals: [a], out, params, emit }) => {
    const neg = (v: string): string => (sign > 0 ? v : emit.op('Neg', [v]))
    const [y, shape, p] = prepared(emit, neg(x as string), a as Aval, params, -Infinity)
    const l = layoutOf(p)
    if (l.pooled.length === 0) return emit.op('Identity', [neg(y)])
    const input = toPool(emit, y, shape, l)
    const pooled = nanPropagating(emit, input, emit.op('MaxPool', [input], poolAttrs(p, l)), p, l, out.dtype)
    return neg(fromPool(emit, pooled, out.shape, l))
  }

/**
 * ONNX `MaxPool` never picks a NaN, wengert's windowed max propagates it: the windows holding one
 * (a `MaxPool` of the NaN mask) are set back to NaN. Integer pools have no NaN.
 */
const nanPropagating = (
  emit: OnnxEmitter,
  input: string,
  pooled: string,
  p: ReduceWindowParams,
  l: PoolLayout,
  dtype: DType,
): string => {
  if (dtype !== 'float32' && dtype !== 'float64') return pooled
  const mask = emit.op('MaxPool', [emit.cast(emit.op('IsNaN', [input]), dtype)], poolAttrs(p, l))
  const hasNaN = emit.op('Greater', [mask, emit.scalar(0, dtype)])
  return emit.op('Where', [hasNaN, emit.scalar(NaN, dtype), pooled])
}

/** `reduce_window_sum` as a `Conv` with a kernel of ones. */
export const sumPoolOnnx: OnnxRule<ReduceWindowParams> = ({ inputs: [x], avals: [a], out, params, emit }) => {
  const [y, shape, p] = prepared(emit, x as string, a as Aval, params, 0)
  const l = layoutOf(p)
  if (l.pooled.length === 0) return emit.op('Identity', [y])
  const window = [1, 1, ...l.pooled.map((k) => p.windowDimensions[k] as number)]
  const ones = emit.op('Expand', [emit.scalar(1, out.dtype), emit.ints(window)])
  const pooled = emit.op('Conv', [toPool(emit, y, shape, l), ones], {
    strides: poolAttrs(p, l).strides,
    pads: poolAttrs(p, l).pads,
    dilations: poolAttrs(p, l).dilations,
  })
  return fromPool(emit, pooled, out.shape, l)
}

/**
 * ONNX export rules of `sort`, `top_k` and the running products and extrema, exact: ONNX `TopK` orders equal values by index (the
 * lower first; the operator's specification since opset 11), so a `TopK` over a whole axis is a
 * stable sort, and stable sorts compose as a least-significant-key-first radix sort. Each float
 * key is two passes, NaN-ness then the value with NaN read as 0, which puts NaN where wengert
 * does (last in `sort`, largest in `top_k`) and keeps ties (−0 = +0) in index order.
 *
 * @category primitives
 * @since 0.2.0
 */
import { isFloat, type DType } from '../../ndarray/dtype'
import type { Aval } from '../equation'
import { ValueError } from '../../ndarray/errors'
import type { OnnxEmitter, OnnxMultiRule, OnnxRule } from '../onnxRule'
import { reverse0 } from './onnxControl'
import { OnnxMath } from './onnxMath'
import type { CumsumParams } from './reduce'
import type { SortParams, TopKParams } from './sorting'

type ScanOnnxOp = 'prod' | 'max' | 'min' | 'logsumexp'

/** Key types ONNX Runtime's TopK takes as they are; the others are cast to int32 (exactly). */
const TOPK_TYPES: ReadonlyArray<DType> = ['float32', 'float64', 'int32', 'int64']

/** The passes of one key, most significant first: [isnan, value with NaN as 0] for floats. */
const passes = (emit: OnnxEmitter, key: string, dtype: DType): string[] => {
  if (!isFloat(dtype)) return [TOPK_TYPES.includes(dtype) ? key : emit.cast(key, 'int32')]
  const nan = emit.op('IsNaN', [key])
  const value = emit.op('Where', [nan, emit.scalar(0, dtype), key])
  return [emit.cast(nan, 'int32'), value]
}

/**
 * The int64 permutation that stably sorts along `axis` by `keys` in lexicographic order
 * (ascending, or descending with `largest`): one whole-axis `TopK` per pass, least significant
 * pass first, each applied to the order the later passes left.
 */
const permutation = (
  emit: OnnxEmitter,
  keys: ReadonlyArray<string>,
  avals: ReadonlyArray<Aval>,
  axis: number,
  largest: boolean,
): string => {
  const n = (avals[0] as Aval).shape[axis] as number
  const all = keys.flatMap((k, i) => passes(emit, k, (avals[i] as Aval).dtype))
  let perm: string | undefined
  for (const key of all.reverse()) {
    const ordered = perm === undefined ? key : emit.op('GatherElements', [key, perm], { axis: { int: axis } })
    const attrs = { axis: { int: axis }, largest: { int: largest ? 1 : 0 }, sorted: { int: 1 } }
    const step = emit.node('TopK', [ordered, emit.ints([n])], attrs, 2)[1] as string
    perm = perm === undefined ? step : emit.op('GatherElements', [perm, step], { axis: { int: axis } })
  }
  return perm as string
}

/** `sort`: every operand gathered by the stable permutation of the first `numKeys` (ascending, NaN last). */
export const sortOnnx: OnnxMultiRule<SortParams> = ({ inputs, avals, params: p, emit }) => {
  const n = (avals[0] as Aval).shape[p.dimension] as number
  if (n <= 1) return inputs.map((x) => emit.op('Identity', [x]))
  const perm = permutation(emit, inputs.slice(0, p.numKeys), avals, p.dimension, false)
  return inputs.map((x) => emit.op('GatherElements', [x, perm], { axis: { int: p.dimension } }))
}

/** `top_k`: the first `k` of the stable descending permutation along the last axis (NaN largest). */
export const topKOnnx: OnnxMultiRule<TopKParams> = ({ inputs: [x], avals: [a], params: { k }, emit }) => {
  const axis = (a as Aval).shape.length - 1
  const perm = permutation(emit, [x as string], [a as Aval], axis, true)
  const first = emit.op('Slice', [perm, emit.ints([0]), emit.ints([k]), emit.ints([axis])])
  return [emit.op('GatherElements', [x as string, first], { axis: { int: axis } }), emit.cast(first, 'int32')]
}

/**
 * log(eᵃ + eᵇ) as the kernel's `logaddexp`, in float64 (float32 partial results rounded as the
 * kernel stores them): m + log1p(e^(−|a − b|)) with m the larger, −∞ (NaN if either is NaN) when m is −∞.
 */
const logAddExp = (emit: OnnxEmitter, a: string, b: string, dtype: DType): string => {
  const m = new OnnxMath(emit, [])
  const [x, y] = dtype === 'float64' ? [a, b] : [emit.cast(a, 'float64'), emit.cast(b, 'float64')]
  const hi = m.where(m.gt(x, y), x, y)
  const r = m.add(hi, m.log1p(m.f('Exp', m.f('Neg', m.f('Abs', m.sub(x, y))))))
  const nan = m.or(m.f('IsNaN', x), m.f('IsNaN', y))
  const out = m.where(m.eq(hi, -Infinity), m.where(nan, NaN, -Infinity), r)
  return dtype === 'float64' ? out : emit.cast(out, dtype)
}

/** The binary step of a running scan, as wengert's kernel computes it (NaN-propagating max/min). */
const combine = (emit: OnnxEmitter, op: ScanOnnxOp, a: string, b: string, dtype: DType): string => {
  if (op === 'prod') return emit.op('Mul', [a, b])
  if (op === 'logsumexp') return logAddExp(emit, a, b, dtype)
  const wins = emit.op(op === 'max' ? 'Greater' : 'Less', [a, b])
  const keep = isFloat(dtype) ? emit.op('Or', [wins, emit.op('IsNaN', [a])]) : wins
  return emit.op('Where', [keep, a, b])
}

/**
 * `cumprod`/`cummax`/`cummin`/`cumlogsumexp` as a `Loop` along the axis (moved to the front) that combines each
 * row with the previous result, in wengert's order: the same products and comparisons, so the
 * same values (ONNX has only `CumSum`; `exp(cumsum(log x))` would not be the product).
 */
export const cumulativeOnnx =
  (op: ScanOnnxOp): OnnxRule<CumsumParams> =>
  ({ inputs: [x], avals: [a], params: { axis, reverse }, emit }) => {
    const { shape, dtype } = a as Aval
    const n = shape[axis] as number
    if (op === 'prod' && dtype === 'int64')
      throw new ValueError('exportOnnx: cumprod of int64 (wengert checks overflow; ONNX Mul wraps)')
    if (n <= 1) return emit.op('Identity', [x as string])
    const perm = [axis, ...shape.map((_, i) => i).filter((i) => i !== axis)]
    const front = emit.op('Transpose', [x as string], { perm: { ints: perm } })
    const row: Aval = { shape: perm.slice(1).map((i) => shape[i] as number), dtype }
    const at = (t: number): string => emit.op('Gather', [front, emit.scalar(t, 'int64')], { axis: { int: 0 } })
    const first = at(reverse ? n - 1 : 0)
    const index: Aval = { shape: [], dtype: 'int64' }
    const flag: Aval = { shape: [], dtype: 'bool' }
    const body = emit.graph([index, flag, row], [flag, row, row], (sub, [i, c, prev]) => {
      const t = reverse
        ? sub.op('Sub', [sub.scalar(n - 2, 'int64'), i as string])
        : sub.op('Add', [i as string, sub.scalar(1, 'int64')])
      const next = combine(sub, op, prev as string, sub.op('Gather', [front, t], { axis: { int: 0 } }), dtype)
      return [sub.op('Identity', [c as string]), next, next]
    })
    const [, ys] = emit.node('Loop', [emit.scalar(n - 1, 'int64'), '', first], { body: { graph: body } }, 2)
    const head = emit.op('Unsqueeze', [first, emit.ints([0])])
    const parts = reverse ? [reverse0(emit, ys as string, n - 1), head] : [head, ys as string]
    const all = emit.op('Concat', parts, { axis: { int: 0 } })
    return emit.op('Transpose', [all], { perm: { ints: perm.map((_, i) => perm.indexOf(i)) } })
  }

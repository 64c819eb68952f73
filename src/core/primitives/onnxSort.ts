/**
 * ONNX export rules of `sort` and `top_k`, exact: ONNX `TopK` orders equal values by index (the
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
import type { OnnxEmitter, OnnxMultiRule } from '../onnxRule'
import type { SortParams, TopKParams } from './sorting'

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

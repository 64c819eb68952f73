/**
 * ONNX export rules of the max pool's adjoint pair, `select_and_scatter_add` and
 * `select_and_gather_add`, written as the kernel's own selection (`windowArgmax` in
 * `src/ndarray/kernels/conv/reduceWindow.ts`) rather than `MaxPool`'s indices: one pass per
 * windowed axis, last axis first, each folding the window's taps in order and replacing the
 * current choice unless it is `≥` the candidate. So a NaN is chosen when met and replaced by the
 * next tap, ties keep the first, padding and dilation holes are skipped, exactly as wengert
 * selects (MaxPool never picks a NaN and has no notion of the per-axis passes).
 *
 * The taps of each axis are the kernel's (`axisTaps`), constants of the graph: a tap on padding
 * reads an extra slot appended to the axis (`Pad`) whose flat index is −1, which the fold skips.
 *
 * @category primitives
 * @since 0.2.0
 */
import type { DType } from '../../ndarray/dtype'
import type { ReduceWindowParams } from '../../ndarray/kernels/conv/reduceWindow'
import { axisTaps, windowOutSize } from '../../ndarray/kernels/conv/window'
import type { Aval } from '../equation'
import type { OnnxEmitter, OnnxRule } from '../onnxRule'

/** The windowed axes in the kernel's pass order (last first), with their taps. */
const passes = (shape: ReadonlyArray<number>, p: ReduceWindowParams): Array<{ axis: number; taps: number[][] }> => {
  const out: Array<{ axis: number; taps: number[][] }> = []
  shape.forEach((n, d) => {
    const [lo, hi] = p.padding[d] as readonly [number, number]
    const [s, bd, wd, k] = [p.strides[d], p.baseDilation[d], p.windowDilation[d], p.windowDimensions[d]] as number[]
    if (k === 1 && s === 1 && lo === 0 && hi === 0 && bd === 1) return
    const outN = windowOutSize(n, k as number, s as number, lo, hi, bd as number, wd as number)
    const flat = axisTaps(n, k as number, outN, s as number, lo, bd as number, wd as number)
    const taps = Array.from({ length: k as number }, (_, t) =>
      Array.from(flat.subarray(t * outN, (t + 1) * outN), (i) => (i < 0 ? n : i)),
    )
    out.unshift({ axis: d, taps })
  })
  return out
}

/**
 * Each window's selected element of `operand` as a flat index into it (int64, reduce_window's
 * output shape), −1 for a window of padding only.
 */
const selection = (emit: OnnxEmitter, operand: string, a: Aval, p: ReduceWindowParams): string => {
  const rank = a.shape.length
  const size = emit.op('Size', [operand])
  const range = emit.op('Range', [emit.scalar(0, 'int64'), size, emit.scalar(1, 'int64')])
  let arg = emit.op('Reshape', [range, emit.op('Shape', [operand])])
  let val = operand
  for (const { axis, taps } of passes(a.shape, p)) {
    const pads = emit.ints(Array.from({ length: 2 * rank }, (_, i) => (i === rank + axis ? 1 : 0)))
    const valP = emit.op('Pad', [val, pads, emit.scalar(0, a.dtype)])
    const argP = emit.op('Pad', [arg, pads, emit.scalar(-1, 'int64')])
    const at = (x: string, t: number): string =>
      emit.op('Gather', [x, emit.ints(taps[t] as number[])], { axis: { int: axis } })
    let bestArg = at(argP, 0)
    let bestVal = at(valP, 0)
    for (let t = 1; t < taps.length; t++) {
      const cand = at(argP, t)
      const v = at(valP, t)
      const replace = emit.op('Or', [
        emit.op('Less', [bestArg, emit.scalar(0, 'int64')]),
        emit.op('Not', [emit.op('GreaterOrEqual', [bestVal, v])]),
      ])
      const take = emit.op('And', [emit.op('GreaterOrEqual', [cand, emit.scalar(0, 'int64')]), replace])
      bestArg = emit.op('Where', [take, cand, bestArg])
      bestVal = emit.op('Where', [take, v, bestVal])
    }
    arg = bestArg
    val = bestVal
  }
  return arg
}

const flatten = (emit: OnnxEmitter, x: string): string => emit.op('Reshape', [x, emit.ints([-1])])

/** The selection flattened, with −1 (no element) as 0, and the mask of those windows. */
const flatSelection = (
  emit: OnnxEmitter,
  operand: string,
  a: Aval,
  p: ReduceWindowParams,
): readonly [string, string] => {
  const sel = selection(emit, operand, a, p)
  const none = emit.op('Less', [sel, emit.scalar(0, 'int64')])
  return [none, emit.op('Where', [none, emit.scalar(0, 'int64'), sel])]
}

/** `select_and_scatter_add`: each source value added at its window's selected element, into zeros. */
export const scatterPoolOnnx: OnnxRule<ReduceWindowParams> = ({
  inputs: [source, operand],
  avals: [, oa],
  out,
  params: p,
  emit,
}) => {
  const [none, idx] = flatSelection(emit, operand as string, oa as Aval, p)
  const dtype = out.dtype as DType
  const src = emit.op('Where', [none, emit.scalar(0, dtype), source as string])
  const shape = emit.op('Shape', [operand as string])
  const zeros = flatten(emit, emit.cast(emit.op('ConstantOfShape', [shape]), dtype))
  const added = emit.op('ScatterElements', [zeros, flatten(emit, idx), flatten(emit, src)], {
    axis: { int: 0 },
    reduction: { string: 'add' },
  })
  return emit.op('Reshape', [added, shape])
}

/** `select_and_gather_add`: each window's tangent at its selected element of the operand (0 for padding only). */
export const gatherPoolOnnx: OnnxRule<ReduceWindowParams> = ({
  inputs: [tangents, operand],
  avals: [, oa],
  out,
  params: p,
  emit,
}) => {
  const [none, idx] = flatSelection(emit, operand as string, oa as Aval, p)
  const picked = emit.op('Gather', [flatten(emit, tangents as string), idx])
  return emit.op('Where', [none, emit.scalar(0, out.dtype as DType), picked])
}

/**
 * `torch.segment_reduce(data, reduce, *, lengths=None, indices=None, offsets=None, axis=0,
 * unsafe=False, initial=None)`: reductions (`sum`, `mean`, `max`, `min`, `prod`) over consecutive
 * segments of `data` along `axis`, the segments given by their `lengths` (or by `offsets`, whose
 * differences are the lengths). Lengths of rank > 1 give each leading index its own segments; `axis`
 * must be the last axis of `lengths`. One facade op with PyTorch's node `SegmentReduceBackward0`.
 * Empty segments give `initial`, else sum 0, mean NaN, max −∞, min +∞, prod 1; with `initial` the
 * reductions start from it (`mean` = `(initial + Σ) / n`). The gradient of max and min is shared
 * equally among tied maxima, as PyTorch's `_segment_reduce_backward`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const d = torch.tensor([1, 2, 3, 3, 5, 6])
 * const lengths = torch.tensor([2, 0, 3, 1], { dtype: torch.int64 })
 * assert.deepStrictEqual(torch.segment_reduce(d, 'sum', { lengths }).tolist(), [3, 0, 11, 6])
 * assert.deepStrictEqual(torch.segment_reduce(d, 'max', { lengths, initial: 4 }).tolist(), [4, 4, 5, 6])
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../core/lax'
import { isInteger } from '../ndarray/dtype'
import type { NdArray } from '../ndarray/NdArray'
import { op } from './autograd/op'
import { RuntimeError } from './errors'
import { parseArgs, type PyArgs } from './kwargs'
import { requireTensorArgs } from './pyTypeName'
import type { Tensor } from './tensor'

type T = Tensor

/** The reductions of `segment_reduce`. */
export type SegmentReduction = 'sum' | 'mean' | 'max' | 'min' | 'prod'

/** Keyword options of {@link segment_reduce}. */
export interface SegmentReduceKw {
  /** Segment lengths along `axis` (integer tensor; `axis` is its last axis). */
  readonly lengths?: T | null
  /** Not supported by PyTorch (it raises); accepted for the signature. */
  readonly indices?: T | null
  /** Segment boundaries (integer tensor, one more entry than segments along its last axis). */
  readonly offsets?: T | null
  /** The segmented axis of `data` (default 0). */
  readonly axis?: number
  /** Skips the check that the lengths cover the axis (default false). */
  readonly unsafe?: boolean
  /** The start value of each reduction and the value of empty segments. */
  readonly initial?: number | null
}

/** PyTorch's scalar type names of the dtypes lengths may not have. */
const SCALAR_NAMES: Readonly<Record<string, string>> = { float32: 'Float', float64: 'Double', bool: 'Bool' }

const EMPTY: Readonly<Record<SegmentReduction, number>> = { sum: 0, mean: NaN, max: -Infinity, min: Infinity, prod: 1 }

/** Per leading row, the segment lengths (from lengths or offsets), with PyTorch's checks. */
const segmentLengths = (kw: SegmentReduceKw, data: T, axis: number): { lead: number[]; rows: number[][] } => {
  const src = kw.lengths ?? kw.offsets ?? null
  if (src === null || src === undefined) {
    if (kw.indices !== null && kw.indices !== undefined)
      throw new RuntimeError('segment_reduce(): indices based reduction is not supported yet.')
    throw new RuntimeError('segment_reduce(): Either lengths or offsets must be defined.')
  }
  const dt = src._value().dtype
  if (!isInteger(dt) || dt === 'bool')
    throw new RuntimeError(`"_segment_reduce_lengths_cpu_kernel1" not implemented for '${SCALAR_NAMES[dt] ?? dt}'`)
  if (axis !== src.dim() - 1)
    throw new RuntimeError(`segment_reduce(): Expected axis to be the last dimension of lengths but got ${axis}.`)
  const lead = src.shape.slice(0, -1)
  const width = src.shape[src.dim() - 1] as number
  const flat = (src.reshape(-1).tolist() as number[]).map(Number)
  const rows = Array.from({ length: flat.length / Math.max(width, 1) }, (_, r) =>
    flat.slice(r * width, (r + 1) * width),
  )
  const lens =
    kw.lengths !== null && kw.lengths !== undefined
      ? rows
      : rows.map((o) => o.slice(1).map((v, i) => v - (o[i] as number)))
  if (lens.some((r) => r.some((v) => v < 0))) throw new RuntimeError('lengths contains negative value!')
  const n = data.shape[axis] as number
  if (kw.unsafe !== true && lens.some((r) => r.reduce((p, v) => p + v, 0) !== n))
    throw new RuntimeError(
      'segment_reduce(): Expected all rows of lengths along axis to sum to data.size(lengths.dim()-1) when !unsafe.',
    )
  return { lead, rows: lens }
}

/** One segment `[len, trail]` reduced over its first axis to `[trail]`. */
const reduceSegment = (seg: NdArray, r: SegmentReduction, initial: number | null): NdArray => {
  const len = seg.shape[0] as number
  const trail = seg.shape.slice(1)
  const fill = (v: number): NdArray => lax.broadcastTo(lax.scalarLike(v, seg), trail)
  if (len === 0) return fill(initial ?? EMPTY[r])
  const sum = (x: NdArray): NdArray => lax.reduceSum(x, [0])
  if (r === 'sum' || r === 'mean') {
    const s = initial === null ? sum(seg) : lax.addScalar(sum(seg), initial)
    return r === 'sum' ? s : lax.mulScalar(s, 1 / len)
  }
  if (r === 'prod') {
    let p = lax.reshape(lax.slice(seg, [0, ...trail.map(() => 0)], [1, ...trail], [1, ...trail.map(() => 1)]), trail)
    for (let i = 1; i < len; i++)
      p = lax.mul(
        p,
        lax.reshape(lax.slice(seg, [i, ...trail.map(() => 0)], [i + 1, ...trail], [1, ...trail.map(() => 1)]), trail),
      )
    return initial === null ? p : lax.mulScalar(p, initial)
  }
  // max/min: the extreme (a constant) plus the tie-weighted deviations (0 in value), so the
  // gradient is split equally among the tied extremes (and is 0 where `initial` wins)
  const sgn = r === 'max' ? 1 : -1
  const signed = sgn === 1 ? seg : lax.neg(seg)
  let m = lax.reduceMax(signed, [0])
  if (initial !== null) m = lax.max(m, fill(sgn * initial))
  const mc = lax.stopGradient(m)
  const mB = lax.broadcastTo(lax.reshape(mc, [1, ...trail]), seg.shape)
  const tie = lax.cast(lax.eq(lax.stopGradient(signed), mB), seg.dtype)
  const count = lax.max(sum(tie), fill(1))
  const w = lax.div(tie, lax.broadcastTo(lax.reshape(count, [1, ...trail]), seg.shape))
  const v = lax.add(mc, sum(lax.mul(w, lax.sub(signed, mB))))
  return sgn === 1 ? v : lax.neg(v)
}

/**
 * Reduces consecutive segments of `data` along `axis` (see the module comment). Returns `data`'s
 * shape with `axis` replaced by the number of segments.
 * @category torch @since 0.2.0
 */
export const segment_reduce = (
  data: T,
  ...rest: PyArgs<[reduce: SegmentReduction], SegmentReduceKw & { readonly reduce?: SegmentReduction }>
): T => {
  const a = parseArgs(
    'segment_reduce',
    rest,
    ['reduce', 'lengths', 'indices', 'offsets', 'axis', 'unsafe', 'initial'],
    1,
  ) as SegmentReduceKw & { reduce?: SegmentReduction }
  requireTensorArgs('segment_reduce', ['data'], [data])
  const r = a.reduce as SegmentReduction
  if (!(r in EMPTY)) throw new RuntimeError(`unsupported reduction given! ${String(r)}`)
  const axis = a.axis ?? 0
  const { lead, rows } = segmentLengths(a, data, axis)
  const shape = data.shape
  const n = shape[axis] as number
  const trail = shape.slice(axis + 1)
  const tw = trail.reduce((p, d) => p * d, 1)
  const nSeg = rows[0]?.length ?? 0
  const initial = a.initial ?? null
  return op(
    'SegmentReduceBackward0',
    [data],
    (x: NdArray) => {
      const x3 = lax.reshape(x, [rows.length, n, tw])
      const out: NdArray[] = []
      rows.forEach((lens, i) => {
        let start = 0
        for (const len of lens) {
          const seg = lax.reshape(lax.slice(x3, [i, start, 0], [i + 1, start + len, tw], [1, 1, 1]), [len, tw])
          out.push(reduceSegment(seg, r, initial))
          start += len
        }
      })
      const flat =
        out.length === 0
          ? lax.zerosLike({ shape: [0, tw], dtype: x.dtype })
          : lax.concatenate(
              out.map((o) => lax.reshape(o, [1, tw])),
              0,
            )
      return lax.reshape(flat, [...lead, nSeg, ...trail])
    },
    { saves: [0] },
  )
}

/**
 * `F.embedding_bag` and `nn.EmbeddingBag`: sums, means or maxima of bags of embedding rows without
 * materialising the per-index rows' graph beyond one gather. Bags come from a 2-D input (one bag
 * per row) or a 1-D input cut at `offsets` (`include_last_offset` for CSR-style offsets);
 * `padding_idx` entries are left out of their bag; `per_sample_weights` scale rows (`'sum'` only).
 * `scale_grad_by_freq` divides each row's gradient by its count in `input` (as `F.embedding` does;
 * PyTorch 1.13's CPU kernel miscounts some rows there).
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import { NdArray } from '../../ndarray/NdArray'
import { segmentSum } from '../../ops/scatterOps'
import { op } from '../autograd/op'
import { NotImplementedError, RuntimeError, TorchValueError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import { Tensor } from '../tensor'
import { embedding, refuseSparse } from './embedding'
import { checkedEntry } from './functionalArgs'

type T = Tensor
/** The reduction of a bag. */
export type Mode = 'sum' | 'mean' | 'max'

/** Keyword arguments of embedding_bag. */
export type BagKw = {
  readonly offsets?: T | null
  readonly max_norm?: number | null
  readonly norm_type?: number
  readonly scale_grad_by_freq?: boolean
  readonly mode?: Mode
  readonly sparse?: boolean
  readonly per_sample_weights?: T | null
  readonly include_last_offset?: boolean
  readonly padding_idx?: number | null
}
const BAG_NAMES = [
  'offsets',
  'max_norm',
  'norm_type',
  'scale_grad_by_freq',
  'mode',
  'sparse',
  'per_sample_weights',
  'include_last_offset',
  'padding_idx',
] as const

const sizeStr = (t: T): string => `torch.Size([${t.shape.join(', ')}])`
export const ints = (t: T): number[] => Array.from(t._value()._values('embedding_bag') as ArrayLike<number>)

/** The [start, end) of each bag in the flattened input. */
const bagBounds = (input: T, offsets: T | null, includeLast: boolean): Array<readonly [number, number]> => {
  const x = input._value()
  if (x.ndim === 2) {
    if (offsets !== null)
      throw new TorchValueError(
        "if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of type <class 'torch.Tensor'>",
      )
    const [B, N] = x.shape as [number, number]
    return Array.from({ length: B }, (_, b) => [b * N, (b + 1) * N] as const)
  }
  if (x.ndim !== 1) throw new TorchValueError(`input has to be 1D or 2D Tensor, but got Tensor of dimension ${x.ndim}`)
  if (offsets === null || offsets.dim() !== 1) throw new TorchValueError('offsets has to be a 1D Tensor but got None')
  const o = ints(offsets)
  if (o.length > 0 && o[0] !== 0)
    throw new RuntimeError(
      `offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got ${o[0]}`,
    )
  const ends = includeLast ? o.slice(1) : [...o.slice(1), x.size]
  const starts = includeLast ? o.slice(0, -1) : o
  return starts.map((s, b) => [s, Math.min(ends[b] as number, x.size)] as const)
}

/** The [B, M] membership of each flattened entry in each bag (padding entries belong to none). */
const membership = (bounds: ReadonlyArray<readonly [number, number]>, idx: number[], pad: number | null): number[][] =>
  bounds.map(([s, e]) => idx.map((v, j) => (j >= s && j < e && v !== pad ? 1 : 0)))

/**
 * Sum/mean of the rows `g` [M, D] in each bag: each entry is added to its own bag only (a segment
 * sum), so a NaN or infinite row reaches no other bag, as PyTorch's kernel skips entries outside a
 * bag (a [B, M] × [M, D] membership product spread 0·NaN = NaN over every bag).
 */
const bagLinear = (g: NdArray, member: number[][], mode: Mode): NdArray => {
  const B = member.length
  const M = g.shape[0] as number
  const ids = new Int32Array(M).fill(B) // B: outside [0, B), dropped (padding entries)
  const scale = g.dtype === 'float64' ? new Float64Array(M).fill(1) : new Float32Array(M).fill(1)
  member.forEach((row, b) => {
    const n = row.reduce((p, v) => p + v, 0)
    row.forEach((v, j) => {
      if (v === 0) return
      ids[j] = b
      if (mode === 'mean') scale[j] = 1 / n
    })
  })
  const scaled = mode === 'mean' ? lax.mul(g, lax.broadcastInDim(new NdArray([M], g.dtype, scale), g.shape, [0])) : g
  return segmentSum(scaled, new NdArray([M], 'int32', ids), { numSegments: B })
}

/** Element-wise maximum of the rows `g` [M, D] in each bag (0 for an empty bag). */
const bagMax = (g: NdArray, member: number[][]): NdArray => {
  const [M, D] = g.shape as [number, number]
  const B = member.length
  const mask = new NdArray([B, M, 1], 'bool', Uint8Array.from(member.flat()))
  const m3 = lax.broadcastTo(mask, [B, M, D])
  const neg = lax.broadcastTo(lax.scalar(-Infinity, g.dtype), [B, M, D])
  const mx = lax.reduceMax(lax.select(m3, lax.broadcastInDim(g, [B, M, D], [1, 2]), neg), [1])
  const nonEmpty = new NdArray([B, 1], 'bool', Uint8Array.from(member.map((r) => (r.some((v) => v > 0) ? 1 : 0))))
  return lax.select(lax.broadcastTo(nonEmpty, [B, D]), mx, lax.broadcastTo(lax.scalar(0, g.dtype), [B, D]))
}

/** PyTorch's argument checks of embedding_bag; returns the mode. */
const checkBagArgs = (input: T, a: Record<string, unknown>): Mode => {
  const mode = (a.mode as Mode | undefined) ?? 'mean'
  if (mode !== 'sum' && mode !== 'mean' && mode !== 'max')
    throw new TorchValueError('mode has to be one of sum, mean or max')
  if (mode === 'max' && a.scale_grad_by_freq === true)
    throw new TorchValueError('max mode does not support scaling the gradient by the frequency')
  if (input.dtype.name !== 'int64')
    throw new RuntimeError(
      `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${input.dtype.typeName} instead (while checking arguments for embedding_bag)`,
    )
  const psw = (a.per_sample_weights as T | null | undefined) ?? null
  if (psw !== null && mode !== 'sum')
    throw new NotImplementedError(
      `embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${mode}'). Please open a feature request on GitHub.`,
    )
  if (psw !== null && psw.shape.join() !== input.shape.join())
    throw new TorchValueError(
      `embedding_bag: If per_sample_weights (${sizeStr(psw)}) is not None, then it must have the same shape as the input (${sizeStr(input)})`,
    )
  return mode
}

/** The options of {@link bagReduce}: the reduction, padding row (negative counts from the end), weights and row options. */
export interface BagOptions {
  readonly mode: Mode
  readonly pad: number | null
  readonly psw: T | null
  readonly max_norm: number | null
  readonly norm_type: number
  readonly scale_grad_by_freq: boolean
}

/**
 * The one kernel of `F.embedding_bag`, `nn.EmbeddingBag` and `torch.embedding_bag`: the bags
 * `bounds` of the 1-D indices `flatIdx` reduced over rows of `weight` (`EmbeddingBagBackward0`).
 */
export const bagReduce = (
  flatIdx: T,
  weight: T,
  bounds: ReadonlyArray<readonly [number, number]>,
  o: BagOptions,
): T => {
  const n = weight.shape[0] as number
  const pad = o.pad !== null && o.pad < 0 ? o.pad + n : o.pad
  const rows = embedding(flatIdx, weight, {
    max_norm: o.max_norm,
    norm_type: o.norm_type,
    scale_grad_by_freq: o.scale_grad_by_freq,
  })
  const member = membership(bounds, ints(flatIdx), pad)
  const inputs = o.psw === null ? [rows] : [rows, o.psw.reshape(-1)]
  return op('EmbeddingBagBackward0', inputs, (g0, p) => {
    const g = p === undefined ? g0 : lax.mul(g0, lax.broadcastInDim(lax.cast(p, g0.dtype), g0.shape, [0]))
    return o.mode === 'max' ? bagMax(g, member) : bagLinear(g, member, o.mode)
  })
}

/**
 * Reduces bags of embedding rows: `'sum'`, `'mean'` (default) or `'max'` of `weight[input]` per
 * bag; 2-D `input` is one bag per row, 1-D `input` is cut at `offsets`.
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([[1, 2], [3, 4], [5, 6]])
 * const idx = torch.tensor([0, 1, 2], { dtype: torch.int64 })
 * const off = torch.tensor([0, 2], { dtype: torch.int64 })
 * const y = torch.nn.functional.embedding_bag(idx, w, off, { mode: 'sum' })
 * assert.deepStrictEqual(y.tolist(), [[4, 6], [5, 6]])
 * @category torch @since 0.2.0
 */
export const embedding_bag = checkedEntry(
  'embedding_bag',
  'Tensor input, Tensor weight, Tensor? offsets = None',
  keywordForms(
    'embedding_bag',
    ['input', 'weight'],
    (
      input: T,
      weight: T,
      ...rest: PyArgs<
        [
          offsets: T | null,
          max_norm: number | null,
          norm_type: number,
          scale_grad_by_freq: boolean,
          mode: Mode,
          sparse: boolean,
          per_sample_weights: T | null,
          include_last_offset: boolean,
          padding_idx: number | null,
        ],
        BagKw
      >
    ): T => {
      const a = parseArgs('embedding_bag', rest, BAG_NAMES)
      const mode = checkBagArgs(input, a)
      refuseSparse('embedding_bag', a.sparse)
      const bounds = bagBounds(input, (a.offsets as T | null | undefined) ?? null, a.include_last_offset === true)
      return bagReduce(input.reshape(-1), weight, bounds, {
        mode,
        pad: (a.padding_idx as number | null | undefined) ?? null,
        psw: (a.per_sample_weights as T | null | undefined) ?? null,
        max_norm: (a.max_norm as number | null | undefined) ?? null,
        norm_type: (a.norm_type as number | undefined) ?? 2,
        scale_grad_by_freq: a.scale_grad_by_freq === true,
      })
    },
  ),
)

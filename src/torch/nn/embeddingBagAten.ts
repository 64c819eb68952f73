/**
 * `torch.embedding_bag(weight, indices, offsets, scale_grad_by_freq=False, mode=0, sparse=False,
 * per_sample_weights=None, include_last_offset=False, padding_idx=None)`: the ATen form, weight
 * first and `mode` an integer (0 sum, 1 mean, 2 max), returning PyTorch's four tensors
 * `(output, offset2bag, bag_size, max_indices)`. The output comes from the same kernel as
 * `F.embedding_bag` (`EmbeddingBagBackward0`); the three integer tensors follow PyTorch's CPU
 * kernel: `offset2bag` is each index's bag (empty on the float32 `'sum'` fast path, which does not
 * compute it), `bag_size` the non-padding count per bag (zeros for `'sum'`), `max_indices` the
 * weight row of each maximum (`'max'`, 0 for an empty bag) or a copy of `bag_size` otherwise.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const w = torch.tensor([[1, 2], [3, 4], [5, 6]], { dtype: torch.float64 })
 * const idx = torch.tensor([0, 2, 1], { dtype: torch.int64 })
 * const off = torch.tensor([0, 2], { dtype: torch.int64 })
 * const [out, o2b, size, argmax] = torch.embedding_bag(w, idx, off, false, 2)
 * assert.deepStrictEqual(out.tolist(), [[5, 6], [3, 4]])
 * assert.deepStrictEqual([o2b.tolist(), size.tolist(), argmax.tolist()], [[0, 0, 1], [2, 1], [[2, 2], [1, 1]]])
 * @category torch
 * @since 0.2.0
 */
import { NdArray } from '../../ndarray/NdArray'
import { atenArgs } from '../atenArgs'
import { RuntimeError } from '../errors'
import type { PyArgs } from '../kwargs'
import { Tensor } from '../tensor'
import { refuseSparse } from './embedding'
import { bagReduce, ints, type Mode } from './embeddingBag'

type T = Tensor

const MODES: ReadonlyArray<Mode> = ['sum', 'mean', 'max']
const NAMES = [
  'indices',
  'offsets',
  'scale_grad_by_freq',
  'mode',
  'sparse',
  'per_sample_weights',
  'include_last_offset',
  'padding_idx',
] as const

const int64 = (shape: ReadonlyArray<number>, values: ReadonlyArray<number>): T =>
  Tensor._fromValue(new NdArray(shape, 'int64', Float64Array.from(values)))

/** PyTorch's checks of the ATen form (indices and offsets Long or Int, offsets starting at 0, weights per index). */
const check = (indices: T, offsets: T, mode: number, psw: T | null): Mode => {
  for (const [t, k, n] of [
    [indices, 1, 'indices'],
    [offsets, 2, 'offsets'],
  ] as const)
    if (t.dtype.name !== 'int64' && t.dtype.name !== 'int32')
      throw new RuntimeError(
        `Expected tensor for argument #${k} '${n}' to have one of the following scalar types: Long, Int; but got ${t.dtype.typeName} instead (while checking arguments for embedding_bag)`,
      )
  const m = MODES[mode]
  if (m === undefined || !Number.isInteger(mode))
    throw new RuntimeError(`embedding_bag: mode has to be 0 (sum), 1 (mean) or 2 (max), but got ${mode}`)
  if (indices.dim() !== 1 || offsets.dim() !== 1)
    throw new RuntimeError(
      `embedding_bag: indices and offsets have to be 1-D tensors, but got indices of dimension ${indices.dim()} and offsets of dimension ${offsets.dim()} (F.embedding_bag takes 2-D input)`,
    )
  if (psw !== null && m !== 'sum')
    throw new RuntimeError("embedding_bag: per_sample_weights only supported with mode='sum'")
  if (psw !== null && psw.numel() !== indices.numel())
    throw new RuntimeError(
      'Expected per_sample_weights.value().numel() == indices.numel() to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)',
    )
  return m
}

/** The bags' [start, end) in `indices` as PyTorch cuts them (the last bag runs to the end unless include_last_offset). */
const bounds = (o: number[], n: number, includeLast: boolean): Array<readonly [number, number]> => {
  if (o.length > 0 && o[0] !== 0)
    throw new RuntimeError(
      `offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got ${o[0]}`,
    )
  const B = includeLast ? Math.max(0, o.length - 1) : o.length
  return Array.from({ length: B }, (_, b) => [o[b] as number, Math.min(o[b + 1] ?? n, n)] as const)
}

/** offset2bag, bag_size and max_indices of PyTorch's CPU kernel. */
const auxiliaries = (
  idx: number[],
  o: number[],
  w: T,
  mode: Mode,
  pad: number | null,
  psw: T | null,
  includeLast: boolean,
): [T, T, T] => {
  const B = includeLast ? Math.max(0, o.length - 1) : o.length
  const starts = o.slice(0, B)
  const bagOf = idx.map((_, j) => starts.filter((s) => s <= j).length - 1)
  // NOTE: PyTorch's float32 'sum' fast path (no padding_idx) never fills offset2bag
  const fast =
    mode === 'sum' && pad === null && w.dtype.name === 'float32' && (psw === null || psw.dtype.name === 'float32')
  const offset2bag = int64([fast ? 0 : idx.length], fast ? [] : bagOf)
  if (mode === 'sum')
    return [offset2bag, int64([B], new Array<number>(B).fill(0)), int64([B], new Array<number>(B).fill(0))]
  const size = starts.map((s, b) => (b + 1 < B ? (starts[b + 1] as number) : idx.length) - s)
  idx.forEach((v, j) => {
    if (v === pad) size[bagOf[j] as number] = (size[bagOf[j] as number] as number) - 1
  })
  if (mode === 'mean') return [offset2bag, int64([B], size), int64([B], size)]
  const D = w.shape[1] as number
  const wv = Array.from(w._value()._values('embedding_bag') as ArrayLike<number>)
  const arg = new Array<number>(B * D).fill(0)
  const best = new Array<number>(B * D).fill(-Infinity)
  const seen = new Array<boolean>(B).fill(false)
  idx.forEach((v, j) => {
    const b = bagOf[j] as number
    if (v === pad || b < 0) return
    for (let d = 0; d < D; d++) {
      const x = wv[v * D + d] as number
      if (!seen[b] || x > (best[b * D + d] as number)) {
        best[b * D + d] = x
        arg[b * D + d] = v
      }
    }
    seen[b] = true
  })
  return [offset2bag, int64([B], size), int64([B, D], arg)]
}

/**
 * The ATen `embedding_bag`: `(output, offset2bag, bag_size, max_indices)` of the bags of `weight`
 * rows at `indices` cut at `offsets` (see the module comment).
 * @category torch @since 0.2.0
 */
export const embedding_bag = (
  weight: T,
  ...rest: PyArgs<
    [
      indices: T,
      offsets: T,
      scale_grad_by_freq: boolean,
      mode: number,
      sparse: boolean,
      per_sample_weights: T | null,
      include_last_offset: boolean,
      padding_idx: number | null,
    ],
    {
      readonly indices?: T
      readonly offsets?: T
      readonly scale_grad_by_freq?: boolean
      readonly mode?: number
      readonly sparse?: boolean
      readonly per_sample_weights?: T | null
      readonly include_last_offset?: boolean
      readonly padding_idx?: number | null
    }
  >
): [T, T, T, T] => {
  const a = atenArgs('embedding_bag', rest, NAMES, 2)
  const indices = a.indices as T
  const offsets = a.offsets as T
  const psw = (a.per_sample_weights as T | null | undefined) ?? null
  const mode = check(indices, offsets, (a.mode as number | undefined) ?? 0, psw)
  refuseSparse('embedding_bag', a.sparse)
  const includeLast = a.include_last_offset === true
  const n = weight.shape[0] as number
  let pad = (a.padding_idx as number | null | undefined) ?? null
  if (pad !== null && (pad < -n || pad >= n))
    throw new RuntimeError(
      `padding_idx must be within the number of embeddings, -${n} through ${n - 1}, but got ${pad}`,
    )
  if (pad !== null && pad < 0) pad += n
  const o = ints(offsets)
  const idx = ints(indices)
  const out = bagReduce(indices, weight, bounds(o, idx.length, includeLast), {
    mode,
    pad,
    psw,
    max_norm: null,
    norm_type: 2,
    scale_grad_by_freq: a.scale_grad_by_freq === true,
  })
  return [out, ...auxiliaries(idx, o, weight, mode, pad, psw, includeLast)]
}

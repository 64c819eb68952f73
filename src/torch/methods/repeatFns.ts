/**
 * `repeat_interleave` (Tensor method and `torch.repeat_interleave`, including the one-argument
 * form on a repeats tensor) and `torch.meshgrid` with `indexing`.
 * `repeat_interleave` gathers with `index_select` (IndexSelectBackward0, as PyTorch); `meshgrid`
 * views and expands (ExpandBackward0).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.tensor([1, 2]).repeat_interleave(2).tolist(), [1, 1, 2, 2])
 * const [gx, gy] = torch.meshgrid([torch.tensor([1, 2, 3]), torch.tensor([4, 5])], { indexing: 'xy' })
 * assert.deepStrictEqual(gx!.tolist(), [[1, 2, 3], [1, 2, 3]])
 * assert.deepStrictEqual(gy!.tolist(), [[4, 4, 4], [5, 5, 5]])
 * @category torch
 * @since 0.2.0
 */
import { checkOptions } from '../../internal/options'
import { bool, int64 } from '../dtype'
import { RuntimeError } from '../errors'
import { isKwargs } from '../kwargs'
import { normDim } from '../ops/convert'
import { Tensor } from '../tensor'
import { warn } from '../warnings'
import { tensor } from '../creation'
import { givenArgs, overloads, requireTensorElements } from '../pyTypeName'

type T = Tensor

/** Keyword arguments of `repeat_interleave`. */
export interface RepeatInterleaveKw {
  readonly dim?: number | null
  readonly output_size?: number | null
}

/** The int64 index `[0 × r0, 1 × r1, …]` for per-position counts `counts`. */
const repeatIndex = (counts: ReadonlyArray<number>, outputSize: number | null | undefined): T => {
  if (counts.some((c) => c < 0)) throw new RuntimeError('repeats can not be negative')
  const idx = counts.flatMap((c, i) => Array.from({ length: c }, () => i))
  if (outputSize !== null && outputSize !== undefined && outputSize !== idx.length)
    throw new RuntimeError('allocated size does not match required size')
  return tensor(idx, { dtype: int64 })
}

/** The per-position counts of `repeats` (an int, or a 1-D int tensor of length `n` or 1). */
const countsOf = (repeats: number | T, n: number): number[] => {
  if (typeof repeats === 'number') {
    if (repeats < 0) throw new RuntimeError('repeats can not be negative')
    return Array.from({ length: n }, () => repeats)
  }
  if (repeats.dtype.is_floating_point || repeats.dtype === bool)
    throw new RuntimeError(`"repeat_interleave_cpu" not implemented for '${repeats.dtype.word}'`)
  if (repeats.dim() > 1) throw new RuntimeError('repeats must be 0-dim or 1-dim tensor')
  const r = (repeats.reshape(-1).tolist() as number[]).map(Number)
  if (r.length === 1) return Array.from({ length: n }, () => r[0] as number)
  if (r.length !== n) throw new RuntimeError('repeats must have the same size as input along dim')
  return r
}

/** `repeat_interleave` installed on Tensor. */
export const repeatMethods = {
  /** Repeats each element (along `dim`, or of the flattened tensor) `repeats` times. */
  repeat_interleave(this: T, repeats: number | T, kw: RepeatInterleaveKw = {}): T {
    const { dim = null, output_size = null } = checkOptions('repeat_interleave', kw, ['dim', 'output_size'])
    const x = dim === null ? this.reshape(-1) : this
    const d = dim === null ? 0 : normDim(dim, Math.max(1, this.dim()))
    const n = x.dim() === 0 ? 1 : (x.shape[d] as number)
    return x.index_select(d, repeatIndex(countsOf(repeats, n), output_size))
  },
}

// PyTorch 2.x's signatures of torch.repeat_interleave
const REPEAT_INTERLEAVE = overloads('repeat_interleave', [
  '(Tensor input, Tensor repeats, int dim = None, *, int output_size = None)',
  '(Tensor input, int repeats, int dim = None, *, int output_size = None)',
  '(Tensor repeats, *, int output_size = None)',
])

/**
 * `torch.repeat_interleave(input, repeats, {dim, output_size})`, or with one int64 tensor
 * `repeats`: the indices `[0 × repeats[0], 1 × repeats[1], …]`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.deepStrictEqual(torch.repeat_interleave(torch.tensor([1, 2, 0, 3], { dtype: torch.int64 })).tolist(), [0, 1, 1, 3, 3, 3])
 * @category torch
 * @since 0.2.0
 */
export const repeat_interleave = (input: T, repeats?: number | T, kw: RepeatInterleaveKw = {}): T => {
  REPEAT_INTERLEAVE(givenArgs(input, repeats, kw))
  if (repeats === undefined) return repeatIndex(countsOf(input, input.numel()), kw.output_size)
  return repeatMethods.repeat_interleave.call(input, repeats, kw)
}

/** Keyword arguments of `meshgrid`. */
export interface MeshgridKw {
  readonly indexing?: 'ij' | 'xy'
}

/**
 * Coordinate grids from 0-D or 1-D tensors (given as varargs or one list, keywords last):
 * `indexing: 'ij'` (matrix, the default with a warning when omitted, as PyTorch 1.13) or `'xy'`
 * (Cartesian: the first two output dimensions swapped).
 * @example
 * import * as torch from 'wengert/torch'
 * const [a, b] = torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3, 4, 5]), { indexing: 'ij' })
 * assert.deepStrictEqual([...a!.shape], [2, 3])
 * assert.deepStrictEqual(b!.select(0, 0).tolist(), [3, 4, 5])
 * @category torch
 * @since 0.2.0
 */
export const meshgrid = (...args: ReadonlyArray<T | ReadonlyArray<T> | MeshgridKw>): T[] => {
  const last = args[args.length - 1]
  const kw = isKwargs(last) ? checkOptions('meshgrid', last as MeshgridKw, ['indexing']) : undefined
  const rest = kw === undefined ? args : args.slice(0, -1)
  const ts = requireTensorElements(rest.length === 1 && Array.isArray(rest[0]) ? rest[0] : rest)
  if (kw?.indexing === undefined)
    warn('torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.')
  const indexing = kw?.indexing ?? 'ij'
  if (indexing !== 'ij' && indexing !== 'xy')
    throw new RuntimeError(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${String(indexing)}`)
  for (const t of ts)
    if (t.dim() > 1)
      throw new RuntimeError(`torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ${String(t)}`)
  const swap = indexing === 'xy' && ts.length >= 2
  const order = swap ? [ts[1] as T, ts[0] as T, ...ts.slice(2)] : [...ts]
  const sizes = order.map((t) => t.numel())
  const grids = order.map((t, i) => t.reshape(sizes.map((s, j) => (j === i ? s : 1))).expand(sizes))
  return swap ? [grids[1] as T, grids[0] as T, ...grids.slice(2)] : grids
}

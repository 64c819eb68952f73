/**
 * More shape methods with PyTorch's names and nodes: `movedim`/`moveaxis` (a permute),
 * `swapdims`, `broadcast_to` (an expand), `fliplr`/`flipud`, `rot90`, `ravel`, `tensor_split`
 * and `hsplit`/`vsplit`/`dsplit` (slices), `argwhere`.
 *
 * @category torch
 * @since 0.2.0
 */
import * as lax from '../../core/lax'
import type { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { rot90Strides } from '../autograd/iterLayout'
import { RuntimeError } from '../errors'
import { normDim } from '../ops/convert'
import type { Tensor } from '../tensor'

type T = Tensor
/** One dimension or several (`movedim`'s source and destination). */
export type DimList = number | ReadonlyArray<number>

const listOf = (d: DimList): ReadonlyArray<number> => (typeof d === 'number' ? [d] : d)

/** x rotated by 90°·k in the plane of dims (a, b), from the first towards the second. */
const rot90Of = (x: NdArray, k: number, a: number, b: number): NdArray => {
  const perm = [...x.shape.keys()]
  perm[a] = b
  perm[b] = a
  if (k === 1) return lax.transpose(lax.flip(x, [b]), perm)
  if (k === 2) return lax.flip(x, [a, b])
  if (k === 3) return lax.transpose(lax.flip(x, [a]), perm)
  return x
}

/** The sections of `tensor_split` along a dimension of `size`: start and length of each. */
const sectionsOf = (size: number, spec: number | ReadonlyArray<number>): Array<[number, number]> => {
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec <= 0)
      throw new RuntimeError(`number of sections must be larger than 0, got ${spec}`)
    const base = Math.floor(size / spec)
    const extra = size % spec
    const out: Array<[number, number]> = []
    let start = 0
    for (let i = 0; i < spec; i++) {
      const len = base + (i < extra ? 1 : 0)
      out.push([start, len])
      start += len
    }
    return out
  }
  const bounds = [0, ...spec.map((i) => Math.min(Math.max(i < 0 ? i + size : i, 0), size)), size]
  return bounds.slice(1).map((end, i) => {
    const start = bounds[i]!
    return [start, Math.max(end - start, 0)]
  })
}

/** `tensor_split`'s sections or indices, given as a number, a list, or an int64 tensor (0-d: sections, 1-d: indices). */
const sectionsArg = (u: number | ReadonlyArray<number> | T): number | ReadonlyArray<number> => {
  if (typeof u === 'number' || Array.isArray(u)) return u as number | ReadonlyArray<number>
  const t = u as T
  if (t.dtype.name !== 'int64')
    throw new RuntimeError(
      `tensor_split expected tensor_indices_or_sections to have dtype of long, but got ${t.dtype.word}`,
    )
  if (t.dim() > 1)
    throw new RuntimeError(
      `tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, but got a tensor with ${t.dim()} dims`,
    )
  return t.dim() === 0 ? (t.item() as number) : (t.tolist() as number[])
}

/** The shape methods of this module (installed on Tensor). */
export const shapeExtraMethods = {
  /** Moves dims `source` to positions `destination`, the others keeping their order (a permute). */
  movedim(this: T, source: DimList, destination: DimList): T {
    const n = this.dim()
    const src = listOf(source).map((d) => normDim(d, n))
    const dst = listOf(destination).map((d) => normDim(d, n))
    if (src.length !== dst.length)
      throw new RuntimeError(
        `movedim: Invalid source or destination dims: source (${JSON.stringify(listOf(source))} dims) should contain the same number of dims as destination (${JSON.stringify(listOf(destination))} dims)`,
      )
    if (new Set(src).size !== src.length)
      throw new RuntimeError(`movedim: repeated dim in \`source\` (${JSON.stringify(listOf(source))})`)
    if (new Set(dst).size !== dst.length)
      throw new RuntimeError(`movedim: repeated dim in \`destination\` (${JSON.stringify(listOf(destination))})`)
    const perm = new Array<number>(n).fill(-1)
    src.forEach((s, i) => (perm[dst[i]!] = s))
    const rest = [...Array(n).keys()].filter((d) => !src.includes(d))
    let r = 0
    for (let i = 0; i < n; i++) if (perm[i] === -1) perm[i] = rest[r++]!
    return this.permute(...perm)
  },
  /** Alias of movedim. */
  moveaxis(this: T, source: DimList, destination: DimList): T {
    return shapeExtraMethods.movedim.call(this, source, destination)
  },
  /** Alias of transpose. */
  swapdims(this: T, dim0: number, dim1: number): T {
    return this.transpose(dim0, dim1)
  },
  /** The tensor broadcast to `size` (an expand: a view). */
  broadcast_to(this: T, size: ReadonlyArray<number>): T {
    return this.expand(...size)
  },
  /** Flips the columns (dim 1). */
  fliplr(this: T): T {
    if (this.dim() < 2) throw new RuntimeError('Input must be >= 2-d.')
    return this.flip(1)
  },
  /** Flips the rows (dim 0). */
  flipud(this: T): T {
    if (this.dim() < 1) throw new RuntimeError('Input must be >= 1-d.')
    return this.flip(0)
  },
  /** Rotates by 90°·k in the plane of `dims`, from the first dim towards the second. */
  rot90(this: T, k = 1, dims: ReadonlyArray<number> = [0, 1]): T {
    if (dims.length !== 2) throw new RuntimeError(`expected total rotation dims == 2, but got dims = ${dims.length}`)
    const n = this.dim()
    if (n < 2) throw new RuntimeError(`expected total dims >= 2, but got total dims = ${n}`)
    const [a, b] = [normDim(dims[0]!, n), normDim(dims[1]!, n)]
    if (a === b) throw new RuntimeError(`expected rotation dims to be different, but got dim0 = ${a} and dim1 = ${b}`)
    const turns = ((k % 4) + 4) % 4
    const out = op('Rot90Backward0', [this], (x) => rot90Of(x, turns, a, b))
    // PyTorch flips (laid out like the input) then, for odd turns, transposes in place; the
    // gradient is rot90 of the incoming one by the opposite turns (gradLayout.ts, from `_rot90`)
    const st = rot90Strides({ shape: this._value().shape, strides: this._strides }, turns, a, b)
    if (st !== null) out._strides = st
    if (out._gradFn !== null) out._gradFn._rot90 = [(4 - turns) % 4, a, b]
    return out
  },
  /** The elements as a 1-D tensor (a view when possible). */
  ravel(this: T): T {
    return this.reshape(-1)
  },
  /** Splits into `sections` nearly equal parts or at the given indices along `dim` (views). */
  tensor_split(this: T, indices_or_sections: number | ReadonlyArray<number> | T, dim = 0): T[] {
    const d = normDim(dim, this.dim())
    return sectionsOf(this.shape[d]!, sectionsArg(indices_or_sections)).map(([start, len]) =>
      this.narrow(d, start, len),
    )
  },
  /** tensor_split along dim 1 (dim 0 for 1-D tensors); a number of sections must divide the size. */
  hsplit(this: T, sections: number | ReadonlyArray<number>): T[] {
    if (this.dim() < 1)
      throw new RuntimeError(
        `torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with 0 dimensions!`,
      )
    return splitEvenly(this, 'hsplit', this.dim() === 1 ? 0 : 1, sections)
  },
  /** tensor_split along dim 0. */
  vsplit(this: T, sections: number | ReadonlyArray<number>): T[] {
    if (this.dim() < 2)
      throw new RuntimeError(
        `torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with ${this.dim()} dimensions!`,
      )
    return splitEvenly(this, 'vsplit', 0, sections)
  },
  /** tensor_split along dim 2. */
  dsplit(this: T, sections: number | ReadonlyArray<number>): T[] {
    if (this.dim() < 3)
      throw new RuntimeError(
        `torch.dsplit requires a tensor with at least 3 dimension, but got a tensor with ${this.dim()} dimensions!`,
      )
    return splitEvenly(this, 'dsplit', 2, sections)
  },
  /** The indices of the nonzero elements, one row per element (`nonzero`). */
  argwhere(this: T): T {
    return this.nonzero()
  },
}

/** hsplit/vsplit/dsplit: a number of sections must divide the dimension exactly. */
const splitEvenly = (x: T, name: string, dim: number, sections: number | ReadonlyArray<number>): T[] => {
  const size = x.shape[dim]!
  if (typeof sections === 'number' && (sections === 0 || size % sections !== 0))
    throw new RuntimeError(
      `torch.${name} attempted to split along dimension ${dim}, but the size of the dimension ${size} is not divisible by the split_size ${sections}!`,
    )
  return shapeExtraMethods.tensor_split.call(x, sections, dim)
}

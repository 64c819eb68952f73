/**
 * Shape functions, indexing, joining and products of complex tensors, each the real op on the
 * (…, 2) values with the dimensions mapped past the trailing real/imaginary one: `reshape`,
 * `view`, `flatten`, `permute`, `transpose`, `t`, `unsqueeze`, `squeeze`, `expand`, indexing and
 * index assignment, `cat`/`stack`, and `matmul`/`einsum` as sums of real products of the parts.
 *
 * @category torch
 * @since 0.7.0
 */
import { Complex } from './value'
import { Tensor } from '../tensor'
import type { IndexItem } from '../methods/index'
import { cat as catReal, stack as stackReal } from '../ops/functions'
import { einsum as einsumReal } from '../ops/einsum'
import { tensor } from '../creation'
import { ComplexTensor, fromParts, isComplex, normDim, partsOf, complexOf } from './tensor'
import { resultParts } from './ops'
import type { TorchDType } from '../dtype'
import { float64 } from '../dtype'

/** Sizes given as numbers or one array (`view(2, 3)`, `view([2, 3])`). */
export const sizesOf = (args: ReadonlyArray<unknown>): number[] =>
  args.length === 1 && typeof args[0] === 'object' && args[0] !== null
    ? [...(args[0] as Iterable<number>)]
    : (args as number[])

/** A complex operand of dtype parts `dt`: real tensors get a zero imaginary part. */
export const asComplex = (x: Tensor, dt?: TorchDType): ComplexTensor => {
  if (isComplex(x)) return dt === undefined || partsOf(x.dtype) === dt ? x : new ComplexTensor(x._ri.to(dt))
  const r = x.is_floating_point() ? x : x.to(dt ?? float64)
  const real = dt === undefined || r.dtype === dt ? r : r.to(dt)
  // +0 imaginary parts, as PyTorch's cast (real·0 would give −0 for negatives and NaN for infinities)
  return fromParts(real, real.new_zeros([...real.shape]))
}

export const reshape = (z: ComplexTensor, args: ReadonlyArray<unknown>): ComplexTensor =>
  new ComplexTensor(z._ri.reshape([...sizesOf(args), 2]))
export const view = (z: ComplexTensor, args: ReadonlyArray<unknown>): ComplexTensor =>
  new ComplexTensor(z._ri.view([...sizesOf(args), 2]))
export const flatten = (z: ComplexTensor, start = 0, end = -1): ComplexTensor => {
  if (z.dim() === 0) return new ComplexTensor(z._ri.reshape([1, 2]))
  return new ComplexTensor(z._ri.flatten(normDim(start, z.dim()), normDim(end, z.dim())))
}
export const permute = (z: ComplexTensor, args: ReadonlyArray<unknown>): ComplexTensor =>
  new ComplexTensor(z._ri.permute([...sizesOf(args).map((d) => normDim(d, z.dim())), z.dim()]))
export const transpose = (z: ComplexTensor, a: number, b: number): ComplexTensor =>
  new ComplexTensor(z._ri.transpose(normDim(a, z.dim()), normDim(b, z.dim())))
export const unsqueeze = (z: ComplexTensor, d: number): ComplexTensor =>
  new ComplexTensor(z._ri.unsqueeze(normDim(d, z.dim() + 1)))
export const squeeze = (z: ComplexTensor, d?: number | ReadonlyArray<number>): ComplexTensor => {
  const n = z.dim()
  const dims =
    d === undefined
      ? z.shape.flatMap((s, i) => (s === 1 ? [i] : []))
      : (typeof d === 'number' ? [d] : [...d]).map((k) => normDim(k, n)).filter((k) => z.shape[k] === 1)
  let ri = z._ri
  for (const k of [...dims].sort((a, b) => b - a)) ri = ri.squeeze(k)
  return new ComplexTensor(ri)
}
export const expand = (z: ComplexTensor, args: ReadonlyArray<unknown>): ComplexTensor =>
  new ComplexTensor(z._ri.expand([...sizesOf(args), 2]))

/** The number of dimensions an index item consumes (an ellipsis: null). */
const consumes = (it: IndexItem): number | null => {
  if (it === null) return 0
  if (it === '...') return null
  if (it instanceof Tensor) return it.dtype.name === 'bool' ? it.dim() : 1
  if (Array.isArray(it)) {
    let depth = 0
    let cur: unknown = it
    while (Array.isArray(cur)) {
      depth++
      cur = cur[0]
    }
    return typeof cur === 'boolean' ? depth : 1
  }
  return 1
}

/** An index of a complex tensor as an index of its values: the ellipsis spelled out, and `:` for the last dimension. */
export const realIndex = (z: ComplexTensor, items: ReadonlyArray<IndexItem>): IndexItem[] => {
  const used = items.reduce<number>((n, it) => n + (consumes(it) ?? 0), 0)
  const out: IndexItem[] = []
  let ellipsis = false
  for (const it of items) {
    if (consumes(it) === null && !ellipsis) {
      ellipsis = true
      for (let k = used; k < z.dim(); k++) out.push(':')
    } else out.push(it)
  }
  if (!ellipsis) for (let k = used; k < z.dim(); k++) out.push(':')
  out.push(':')
  return out
}

export const getitem = (z: ComplexTensor, items: ReadonlyArray<IndexItem>): ComplexTensor =>
  new ComplexTensor(z._ri.index(...realIndex(z, items)))

/** `z[idx] = value` (a complex, real or number value) written into z's values. */
export const setitem = (z: ComplexTensor, items: ReadonlyArray<IndexItem>, value: unknown): void => {
  const dt = partsOf(z.dtype)
  const v =
    value instanceof Tensor
      ? asComplex(value, dt)._ri
      : value instanceof Complex
        ? tensor([value.re, value.im], { dtype: dt })
        : tensor([Number(value), 0], { dtype: dt })
  z._ri.setitem(realIndex(z, items), v)
}

/** `torch.cat`/`torch.stack` with a complex operand. */
export const join = (kind: 'cat' | 'stack', ts: ReadonlyArray<Tensor>, dim: number): ComplexTensor => {
  const dt = ts.some((t) => (isComplex(t) ? partsOf(t.dtype) : t.dtype) === float64) ? float64 : undefined
  const cs = ts.map((t) => asComplex(t, dt ?? partsOf((ts.find(isComplex) as ComplexTensor).dtype)))
  const n = (cs[0] as ComplexTensor).dim()
  return kind === 'cat'
    ? new ComplexTensor(
        catReal(
          cs.map((c) => c._ri),
          normDim(dim, n),
        ),
      )
    : new ComplexTensor(
        stackReal(
          cs.map((c) => c._ri),
          normDim(dim, n + 1),
        ),
      )
}

/** The real and imaginary parts of a complex operand. */
const split = (c: ComplexTensor): [Tensor, Tensor] => [c._ri.select(-1, 0), c._ri.select(-1, 1)]

/**
 * A product multilinear in its operands, of complex operands: the sum over each choice of real
 * or imaginary part per operand of the real product, times i^(number of imaginary parts).
 */
const multilinear = (ops: ReadonlyArray<Tensor>, product: (parts: Tensor[]) => Tensor): ComplexTensor => {
  const dt = ops.some((t) => (isComplex(t) ? partsOf(t.dtype) : t.dtype) === float64) ? float64 : undefined
  const first = ops.find(isComplex) as ComplexTensor
  const cs = ops.map((t) =>
    isComplex(t) ? split(asComplex(t, dt ?? partsOf(first.dtype))) : [t.to(dt ?? partsOf(first.dtype)), null],
  )
  let real: Tensor | null = null
  let imag: Tensor | null = null
  for (let mask = 0; mask < 1 << cs.length; mask++) {
    const parts = cs.map((p, k) => p[(mask >> k) & 1])
    if (parts.some((p) => p === null || p === undefined)) continue
    const term = product(parts as Tensor[])
    const nIm = parts.filter((_, k) => ((mask >> k) & 1) === 1).length
    const signed = nIm % 4 >= 2 ? term.neg() : term
    if (nIm % 2 === 0) real = real === null ? signed : real.add(signed)
    else imag = imag === null ? signed : imag.add(signed)
  }
  const r = real as Tensor
  return fromParts(r, imag ?? r.mul(0))
}

/** `a @ b` with a complex operand. */
export const matmul = (a: Tensor, b: Tensor): ComplexTensor =>
  multilinear([a, b], ([x, y]) => (x as Tensor).matmul(y as Tensor))

/** `torch.einsum(equation, ...operands)` with a complex operand. */
export const einsum = (equation: string, ops: ReadonlyArray<Tensor>): ComplexTensor =>
  multilinear(ops, (parts) => einsumReal(equation, ...parts))

/** `z.to(dtype)` for a complex source: complex dtypes cast the parts, real ones keep the real part. */
export const castComplex = (z: ComplexTensor, dt: TorchDType): Tensor => {
  if (dt.is_complex) return partsOf(dt) === partsOf(z.dtype) ? z : new ComplexTensor(z._ri.to(partsOf(dt)))
  return z._ri.select(-1, 0).to(dt)
}

export { resultParts, complexOf }

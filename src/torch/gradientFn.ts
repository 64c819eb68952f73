/**
 * `torch.gradient`: central finite differences of samples along one or more dims, with first- or
 * second-order one-sided differences at the edges; samples spaced uniformly (a scalar per dim) or
 * at given coordinates (a 1-D tensor per dim). Built from differentiable facade ops.
 *
 * @category torch
 * @since 0.2.0
 */
import { get_default_dtype } from './dtype'
import { RuntimeError, TorchTypeError } from './errors'
import { parseArgs, type PyArgs } from './kwargs'
import { normDim } from './ops/convert'
import { cat } from './ops/functions'
import type { Tensor } from './tensor'
import { Tensor as TensorClass } from './tensor'
import { requireTensorArgs } from './pyTypeName'

type T = Tensor

/** The keyword arguments of {@link gradient} (all keyword-only, as in PyTorch). @category torch @since 0.2.0 */
export type GradientKw = {
  /** A scalar sample distance, one scalar per dim, or one 1-D coordinate tensor per dim (default 1). */
  readonly spacing?: number | ReadonlyArray<number> | ReadonlyArray<T>
  /** The dim or dims to differentiate along (default: all). */
  readonly dim?: number | ReadonlyArray<number> | null
  /** 1 or 2: the order of the one-sided differences at the edges (default 1). */
  readonly edge_order?: number
}

/** PyTorch's dim list of `gradient`: wrapped, in the given order, no repeats. */
const gradientDims = (dim: GradientKw['dim'], ndim: number): number[] => {
  if (dim === undefined || dim === null) return Array.from({ length: ndim }, (_, i) => i)
  const dims = (typeof dim === 'number' ? [dim] : [...dim]).map((d) => normDim(d, ndim))
  dims.forEach((d, i) => {
    if (dims.indexOf(d) !== i) throw new RuntimeError(`dim ${d} appears multiple times in the list of dims`)
  })
  return dims
}

/** The spacing of each dim: a number (uniform) or a coordinate tensor, with PyTorch's checks. */
const spacings = (spacing: GradientKw['spacing'], dims: number[]): Array<number | T> => {
  if (spacing === undefined) return dims.map(() => 1)
  if (typeof spacing === 'number') return dims.map(() => spacing)
  if (spacing instanceof TensorClass)
    throw new TorchTypeError('gradient(): spacing must be a number, a list of numbers or a list of 1-D tensors')
  const list = [...spacing]
  if (list.length !== dims.length)
    throw new RuntimeError(
      "torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim arguments to have the " +
        `same length, but got a spacing argument of length ${list.length} and a dim argument of length ${dims.length}.`,
    )
  const tensors = list.filter((s) => s instanceof TensorClass).length
  if (tensors !== 0 && tensors !== list.length) {
    const i = list.findIndex((s) => !(s instanceof TensorClass))
    throw new TorchTypeError(`expected Tensor as element ${i} in argument 1, but got ${typeof list[i]}`)
  }
  for (const s of list)
    if (s instanceof TensorClass && s.dim() !== 1)
      throw new RuntimeError(
        `torch.gradient expected each element of spacing to have one dimension, but got an element with ${s.dim()} dimensions!`,
      )
  return list
}

/** Uniform spacing `h` along `d`: (f[i+1] − f[i−1]) / 2h inside, one-sided differences at the ends. */
const uniform = (f: T, d: number, h: number, edgeOrder: number): T => {
  const n = f.shape[d] as number
  const s = (start: number, len = 1): T => f.narrow(d, start < 0 ? n + start : start, len)
  const center = s(2, n - 2)
    .sub(s(0, n - 2))
    .div(2 * h)
  if (edgeOrder === 1) return cat([s(1).sub(s(0)).div(h), center, s(-1).sub(s(-2)).div(h)], d)
  const first = s(0).mul(-1.5).add(s(1).mul(2)).sub(s(2).mul(0.5)).div(h)
  const last = s(-3).mul(0.5).sub(s(-2).mul(2)).add(s(-1).mul(1.5)).div(h)
  return cat([first, center, last], d)
}

/** Samples at coordinates `x` along `d`: the second-order three-point formula for uneven steps. */
const coordinates = (f: T, d: number, x: T, edgeOrder: number): T => {
  const n = f.shape[d] as number
  if (x.shape[0] !== n)
    throw new RuntimeError(
      `torch.gradient expected each element of spacing to have the size of input along its dim (${n}), ` +
        `but got one of size ${x.shape[0]}`,
    )
  const view = (v: T): T => v.reshape(f.shape.map((_, i) => (i === d ? -1 : 1)))
  const s = (start: number, len = 1): T => f.narrow(d, start < 0 ? n + start : start, len)
  const dx = x.diff()
  const [h1, h2] = [dx.narrow(0, 0, n - 2), dx.narrow(0, 1, n - 2)]
  const a = view(h2.neg().div(h1.mul(h1.add(h2))))
  const b = view(h2.sub(h1).div(h1.mul(h2)))
  const c = view(h1.div(h2.mul(h1.add(h2))))
  const center = a
    .mul(s(0, n - 2))
    .add(b.mul(s(1, n - 2)))
    .add(c.mul(s(2, n - 2)))
  const g = (i: number): T => dx.narrow(0, i < 0 ? n - 1 + i : i, 1).reshape([])
  if (edgeOrder === 1) return cat([s(1).sub(s(0)).div(g(0)), center, s(-1).sub(s(-2)).div(g(-1))], d)
  const [d0, d1, dl, dm] = [g(0), g(1), g(-1), g(-2)]
  const first = s(0)
    .mul(
      d0
        .mul(2)
        .add(d1)
        .neg()
        .div(d0.mul(d0.add(d1))),
    )
    .add(s(1).mul(d0.add(d1).div(d0.mul(d1))))
    .add(s(2).mul(d0.neg().div(d1.mul(d0.add(d1)))))
  const last = s(-3)
    .mul(dl.div(dm.mul(dl.add(dm))))
    .add(s(-2).mul(dl.add(dm).neg().div(dl.mul(dm))))
    .add(
      s(-1).mul(
        dl
          .mul(2)
          .add(dm)
          .div(dl.mul(dl.add(dm))),
      ),
    )
  return cat([first, center, last], d)
}

/**
 * Estimates the gradient of a function sampled in `input` along each dim (PyTorch's
 * `torch.gradient(input, *, spacing=1, dim=None, edge_order=1)`): central differences inside,
 * one-sided differences of order `edge_order` at the edges. Returns one tensor per dim.
 * `spacing` is a scalar, a list of scalars (one per dim) or a list of 1-D coordinate tensors.
 * Differentiable with respect to `input` and the coordinates.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 4, 9, 16, 25])
 * assert.deepStrictEqual(torch.gradient(x)[0].tolist(), [3, 4, 6, 8, 9])
 * assert.deepStrictEqual(torch.gradient(x, { spacing: 2, edge_order: 2 })[0].tolist(), [1, 2, 3, 4, 5])
 * const [gx] = torch.gradient(x, { spacing: [torch.tensor([0, 1, 3, 4, 5])] })
 * assert.deepStrictEqual((gx.tolist() as number[]).map((v) => Math.round(v * 1000) / 1000), [3, 2.833, 5.5, 8, 9])
 * @category torch @since 0.2.0
 */
export const gradient = (input: T, ...rest: PyArgs<[], GradientKw>): T[] => {
  requireTensorArgs('gradient', ['input'], [input])
  const a = parseArgs('gradient', rest, ['spacing', 'dim', 'edge_order'], 0, 1) as GradientKw
  const edgeOrder = a.edge_order ?? 1
  if (edgeOrder !== 1 && edgeOrder !== 2)
    throw new RuntimeError('torch.gradient only supports edge_order=1 and edge_order=2.')
  const dims = gradientDims(a.dim, input.dim())
  const sp = spacings(a.spacing, dims)
  for (const d of dims)
    if ((input.shape[d] as number) < edgeOrder + 1)
      throw new RuntimeError('torch.gradient expected each dimension size to be at least edge_order+1')
  const f = input.dtype.is_floating_point ? input : input.to(get_default_dtype())
  return dims.map((d, i) => {
    const s = sp[i] as number | T
    return typeof s === 'number' ? uniform(f, d, s, edgeOrder) : coordinates(f, d, s, edgeOrder)
  })
}

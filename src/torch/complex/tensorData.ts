/**
 * `torch.tensor(data)` with complex data: nested lists holding `torch.Complex` numbers (mixed with
 * numbers, booleans and tensors) give a complex tensor, complex64 under the default float32 and
 * complex128 under float64, as PyTorch infers it; a complex `dtype` makes complex data of real
 * numbers. A real `dtype` for complex data raises PyTorch's TypeErrors (bool keeps "nonzero").
 *
 * @category torch
 * @since 0.7.0
 */
import { Tensor, type TensorData } from '../tensor'
import { TorchTypeError } from '../errors'
import { bool, get_default_dtype, type TorchDType } from '../dtype'
import { Complex } from './value'
import { ComplexTensor, complexOf, partsOf } from './tensor'

type Nested = number | Complex | Nested[]
type Kw = { readonly dtype?: TorchDType; readonly requires_grad?: boolean } & Record<string, unknown>

/** `data` with its tensors as lists (complex elements as `Complex`), or null when it holds a typed array. */
const plain = (d: unknown): Nested | null => {
  if (d instanceof Complex || typeof d === 'number') return d
  if (typeof d === 'boolean' || typeof d === 'bigint') return Number(d)
  if (d instanceof Tensor) return d.tolist() as unknown as Nested
  if (Array.isArray(d)) {
    const out: Nested[] = []
    for (const v of d) {
      const p = plain(v)
      if (p === null) return null
      out.push(p)
    }
    return out
  }
  return null
}

const hasComplex = (d: unknown): boolean =>
  d instanceof Complex || (d instanceof ComplexTensor ? true : Array.isArray(d) && d.some(hasComplex))

/** The [re, im] pairs of a nested list (its shape with a trailing 2). */
const pairs = (d: Nested): Nested =>
  d instanceof Complex ? [d.re, d.im] : typeof d === 'number' ? [d, 0] : d.map(pairs)

/** Complex data under a real dtype: bool keeps "nonzero", the others raise as PyTorch. */
const realTarget = (d: Nested, dt: TorchDType): Nested => {
  if (Array.isArray(d)) return d.map((v) => realTarget(v, dt))
  if (!(d instanceof Complex)) return d
  if (dt === bool) return d.re !== 0 || d.im !== 0 ? 1 : 0
  throw new TorchTypeError(
    dt.is_floating_point ? 'must be real number, not complex' : "'complex' object cannot be interpreted as an integer",
  )
}

/** `torch.tensor` also making complex tensors from complex data or for a complex `dtype`. */
export const complexTensorData = <F extends (data: TensorData, kw?: never) => Tensor>(f: F): F =>
  ((data: TensorData, kw?: Kw): Tensor => {
    const dt = kw?.dtype
    const complexData = hasComplex(data)
    if (!complexData && dt?.is_complex !== true) return f(data, kw as never)
    const d = plain(data)
    if (d === null) {
      if (!complexData) return (f(data, { ...kw, dtype: partsOf(dt as TorchDType) } as never) as Tensor).to(dt!)
      throw new TorchTypeError('tensor(): typed arrays cannot be mixed with complex numbers in data')
    }
    if (dt !== undefined && dt.is_complex !== true) return f(realTarget(d, dt) as TensorData, kw as never)
    const target = dt ?? complexOf(get_default_dtype())
    const { requires_grad, ...rest } = kw ?? {}
    const ri = f(pairs(d) as TensorData, { ...rest, dtype: partsOf(target) } as never)
    const out = new ComplexTensor(ri)
    if (requires_grad === true) out.requires_grad_(true)
    return out
  }) as unknown as F

/**
 * Arithmetic and pointwise functions of complex tensors, each written with differentiable real
 * ops on the parts (so gradients follow the real chain rule on (Re, Im), PyTorch's convention):
 * `add`/`sub`/`mul`/`div` of complex, real and number operands (promoted as PyTorch promotes:
 * complex64 with a float64 tensor of one or more dimensions gives complex128), `neg`, `conj`,
 * `abs`, `angle`, `exp`, `reciprocal`, `sum` and `mean`.
 *
 * @category torch
 * @since 0.7.0
 */
import { Tensor } from '../tensor'
import { NdArray } from '../../ndarray/NdArray'
import { op } from '../autograd/op'
import { float64, type TorchDType } from '../dtype'
import { RuntimeError } from '../errors'
import { ComplexTensor, fromParts, im, isComplex, normDim, partsOf, re, unsupportedText } from './tensor'
import { NotImplementedError } from '../errors'

/** A real part or imaginary part: a tensor, a number, or nothing (zero). */
type Part = Tensor | number | null

/** An operand as parts in the float dtype `dt`. */
const partsIn = (x: unknown, dt: TorchDType, op: string): [Part, Part] => {
  if (isComplex(x)) {
    const ri = x._ri.dtype === dt ? x._ri : x._ri.to(dt)
    return [ri.select(-1, 0), ri.select(-1, 1)]
  }
  if (x instanceof Tensor) return [x.dtype === dt ? x : x.to(dt), null]
  if (typeof x === 'number') return [x, null]
  if (typeof x === 'boolean') return [Number(x), null]
  throw new NotImplementedError(unsupportedText(`${op} with an operand of type ${typeof x}`))
}

/** The float dtype of the parts of `a op b` (one operand complex), as PyTorch promotes. */
export const resultParts = (a: unknown, b: unknown): TorchDType => {
  const widest = [a, b].some(
    (x) => x instanceof Tensor && (isComplex(x) ? partsOf(x.dtype) === float64 : x.dtype === float64 && x.dim() > 0),
  )
  return widest ? float64 : partsOf((isComplex(a) ? a : (b as ComplexTensor)).dtype)
}

const plus = (x: Part, y: Part): Part =>
  x === null ? y : y === null ? x : x instanceof Tensor ? x.add(y) : y instanceof Tensor ? y.add(x) : x + y
const times = (x: Part, y: Part): Part =>
  x === null || y === null ? null : x instanceof Tensor ? x.mul(y) : y instanceof Tensor ? y.mul(x) : x * y
const negate = (x: Part): Part => (x === null ? null : x instanceof Tensor ? x.neg() : -x)

/** The complex tensor of two parts (numbers and missing parts filled to the other's shape). */
const assemble = (r: Part, i: Part, like: ComplexTensor, dt: TorchDType): ComplexTensor => {
  const t = [r, i].find((p): p is Tensor => p instanceof Tensor)
  const base = t ?? like._ri.select(-1, 0).to(dt)
  const full = (p: Part): Tensor => (p instanceof Tensor ? p : base.mul(0).add(p ?? 0))
  const [a, b] = [full(r), full(i)]
  const shape = a.dim() >= b.dim() ? a.shape : b.shape
  return fromParts(a.expand([...shape]), b.expand([...shape]))
}

/** `a + alpha·b` (or `a − alpha·b`): one operand complex. */
export const addSub = (a: unknown, b: unknown, alpha: number, minus: boolean): ComplexTensor => {
  const dt = resultParts(a, b)
  const [ar, ai] = partsIn(a, dt, 'add')
  const [br, bi] = partsIn(b, dt, 'add')
  const s = minus ? -alpha : alpha
  const like = (isComplex(a) ? a : b) as ComplexTensor
  const scaled = (p: Part): Part => (s === 1 ? p : times(p, s))
  return assemble(plus(ar, scaled(br)), plus(ai, scaled(bi)), like, dt)
}

/** `a · b`: one operand complex. */
export const mul = (a: unknown, b: unknown): ComplexTensor => {
  const dt = resultParts(a, b)
  const [ar, ai] = partsIn(a, dt, 'mul')
  const [br, bi] = partsIn(b, dt, 'mul')
  const like = (isComplex(a) ? a : b) as ComplexTensor
  return assemble(plus(times(ar, br), negate(times(ai, bi))), plus(times(ar, bi), times(ai, br)), like, dt)
}

/** `a / b`: one operand complex (`a·conj(b) / |b|²` for a complex divisor). */
export const div = (a: unknown, b: unknown): ComplexTensor => {
  const dt = resultParts(a, b)
  const [ar, ai] = partsIn(a, dt, 'div')
  const [br, bi] = partsIn(b, dt, 'div')
  const like = (isComplex(a) ? a : b) as ComplexTensor
  if (bi === null) {
    const inv = (x: Part): Part =>
      x === null
        ? null
        : x instanceof Tensor
          ? x.div(br as Tensor | number)
          : br instanceof Tensor
            ? br.reciprocal().mul(x)
            : x / (br as number)
    return assemble(inv(ar), inv(ai), like, dt)
  }
  const den = plus(times(br, br), times(bi, bi)) as Tensor
  const nr = plus(times(ar, br), times(ai, bi))
  const ni = plus(times(ai, br), negate(times(ar, bi)))
  return assemble(
    nr === null ? null : den.reciprocal().mul(nr),
    ni === null ? null : den.reciprocal().mul(ni),
    like,
    dt,
  )
}

/** `−z`. */
export const neg = (z: ComplexTensor): ComplexTensor => new ComplexTensor(z._ri.neg())
/** (…, 2) values with the imaginary parts negated. */
export const flipImag = (v: NdArray): NdArray => {
  const d = v._values('conj')
  const out = d instanceof Float32Array ? new Float32Array(d) : new Float64Array(d)
  for (let k = 1; k < out.length; k += 2) out[k] = -(out[k] as number)
  return new NdArray([...v.shape], v.dtype, out)
}

/** The conjugate of (…, 2) values as an op named `name` (its gradient is the conjugate too). */
const conjValues = (ri: Tensor, name: string): Tensor =>
  op(name, [ri], flipImag, {
    grads: (g) => [Tensor._fromValue(flipImag(g))],
    formula: (g) => [conjValues(g, name)],
  })

/** The conjugate `Re − i·Im` computed into new storage as the op `name` (`conj()` of a tensor is the lazy view, ./conjView.ts). */
export const conj = (z: ComplexTensor, name = 'ConjBackward0'): ComplexTensor =>
  new ComplexTensor(conjValues(z._ri, name))
export { abs, angle, sgn } from './sign'
/** `e^z = e^Re·(cos Im + i·sin Im)`. */
export const exp = (z: ComplexTensor): ComplexTensor => {
  const m = re(z).exp()
  return fromParts(m.mul(im(z).cos()), m.mul(im(z).sin()))
}
/** `1/z = conj(z)/|z|²`. */
export const reciprocal = (z: ComplexTensor): ComplexTensor => div(1, z)

/** The dims argument of a reduction, made non-negative for an n-dimensional complex tensor. */
const reduceDims = (dim: unknown, n: number): number[] | undefined => {
  if (dim === undefined || dim === null) return undefined
  const ds = typeof dim === 'number' ? [dim] : [...(dim as ReadonlyArray<number>)]
  return ds.map((d) => normDim(d, n))
}

interface ReduceKw {
  readonly dim?: number | ReadonlyArray<number> | null
  readonly keepdim?: boolean
  readonly dtype?: TorchDType
}

/** `sum`/`mean` over `dim` (default all). */
export const reduce = (z: ComplexTensor, kind: 'sum' | 'mean', dim?: unknown, keepdim?: unknown): ComplexTensor => {
  let d = dim
  let k = keepdim
  if (d !== null && typeof d === 'object' && !Array.isArray(d)) {
    const kw = d as ReduceKw
    if (kw.dtype !== undefined) throw new NotImplementedError(unsupportedText(`${kind}(dtype=)`))
    d = kw.dim
    k = kw.keepdim
  } else if (k !== null && typeof k === 'object') k = (k as ReduceKw).keepdim
  const dims = reduceDims(d, z.dim())
  const keep = k === true
  if (dims === undefined) {
    const flat = z._ri.reshape([-1, 2])
    return new ComplexTensor(kind === 'sum' ? flat.sum(0) : flat.mean(0))
  }
  if (dims.length === 0 && kind === 'mean') throw new RuntimeError('mean: dim must not be empty')
  return new ComplexTensor(kind === 'sum' ? z._ri.sum(dims, keep) : z._ri.mean(dims, keep))
}

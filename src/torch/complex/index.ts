/**
 * Complex tensors in the facade (./tensor.ts): `torch.complex`, `torch.polar`,
 * `torch.view_as_complex`, `torch.view_as_real`, and the factories' complex dtypes
 * (`torch.zeros(…, { dtype: torch.cfloat })`). Loading this module installs the complex tensor
 * methods (./methods.ts).
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const z = torch.complex(torch.tensor([1.0, 3.0]), torch.tensor([2.0, -1.0]))
 * assert.strictEqual(String(z), 'tensor([1.+2.j, 3.-1.j])')
 * assert.deepStrictEqual(torch.view_as_real(z.mul(z)).tolist(), [[-3, 4], [8, -6]])
 * @category torch
 * @since 0.7.0
 */
import '../install'
import { Tensor } from '../tensor'
import { RuntimeError } from '../errors'
import { missingArgs, requireInput, requireTensor } from '../pyTypeName'
import { float64, type TorchDType } from '../dtype'
import { broadcast_tensors } from '../ops/stackExtra'
import { installComplexMethods } from './methods'
import { installComplexCasts } from './casts'
import { viewOp } from '../autograd/op'
import { aliasStep } from '../ops/views'
import { ComplexTensor, fromParts, isComplex, partsOf } from './tensor'
import { zeros as zerosReal } from '../creation'
import { normal, uniform } from './samplers'
import { ConjView } from './conjView'
import { join, einsum as einsumComplex } from './shape'

installComplexMethods()
installComplexCasts()

export { ComplexTensor } from './tensor'

const requireFloatPair = (op: string, a: Tensor, b: Tensor): void => {
  const names = op === 'complex' ? ['real', 'imag'] : ['abs', 'angle']
  if (a === undefined || b === undefined)
    throw missingArgs(
      op,
      names.filter((_, i) => [a, b][i] === undefined),
    )
  requireTensor(op, names[0] as string, a)
  requireTensor(op, names[1] as string, b, 2)
  if (!a.is_floating_point() || !b.is_floating_point() || a.dtype !== b.dtype)
    throw new RuntimeError(
      `Expected both inputs to be Half, Float or Double tensors but got ${a.dtype.word} and ${b.dtype.word}`,
    )
}

/**
 * `torch.complex(real, imag)`: the complex tensor `real + i·imag` (float32 parts give complex64,
 * float64 complex128; the parts broadcast).
 * @example
 * import * as torch from 'wengert/torch'
 * const z = torch.complex(torch.tensor([1.0]), torch.tensor([2.0]))
 * assert.strictEqual(z.dtype, torch.complex64)
 * @category torch @since 0.7.0
 */
export const complex = (real: Tensor, imag: Tensor): Tensor => {
  requireFloatPair('complex', real, imag)
  const [r, i] = broadcast_tensors(real, imag) as [Tensor, Tensor]
  return fromParts(r, i)
}

/**
 * `torch.polar(abs, angle)`: `abs·(cos angle + i·sin angle)`.
 * @example
 * import * as torch from 'wengert/torch'
 * const z = torch.polar(torch.tensor([2.0]), torch.tensor([0.0]))
 * assert.deepStrictEqual(torch.view_as_real(z).tolist(), [[2, 0]])
 * @category torch @since 0.7.0
 */
export const polar = (abs: Tensor, angle: Tensor): Tensor => {
  requireFloatPair('polar', abs, angle)
  const [a, t] = broadcast_tensors(abs, angle) as [Tensor, Tensor]
  return fromParts(a.mul(t.cos()), a.mul(t.sin()))
}

/**
 * `torch.view_as_complex(input)`: a float tensor of last dimension 2 (stride 1) viewed as complex;
 * the complex tensor shares its storage (writes through either are seen by the other).
 * @example
 * import * as torch from 'wengert/torch'
 * const z = torch.view_as_complex(torch.tensor([[1.0, 2.0]]))
 * assert.deepStrictEqual([...z.shape], [1])
 * @category torch @since 0.7.0
 */
export const view_as_complex = (input: Tensor): Tensor => {
  requireInput('view_as_complex', input)
  if (isComplex(input) || !input.is_floating_point())
    throw new RuntimeError(
      `view_as_complex is only supported for float and double tensors, but got a tensor of scalar type: ${isComplex(input) ? (partsOf(input.dtype) === float64 ? 'ComplexDouble' : 'ComplexFloat') : input.dtype.word}`,
    )
  if (input.dim() === 0 || input.size(-1) !== 2) throw new RuntimeError('Tensor must have a last dimension of size 2')
  const st = input.stride() as number[]
  if (st[st.length - 1] !== 1) throw new RuntimeError('Tensor must have a last dimension with stride 1')
  if (st.slice(0, -1).some((s) => s % 2 !== 0))
    throw new RuntimeError('Tensor must have a stride divisible by 2 for all but last dimension')
  return new ComplexTensor(viewOp(input, aliasStep('ViewAsComplexBackward0'), input._strides))
}

/**
 * `torch.view_as_real(input)`: a complex tensor's values as a float tensor with a last dimension
 * of 2 (real, imaginary), sharing its storage.
 * @example
 * import * as torch from 'wengert/torch'
 * const z = torch.complex(torch.tensor([1.0]), torch.tensor([2.0]))
 * assert.deepStrictEqual(torch.view_as_real(z).tolist(), [[1, 2]])
 * @category torch @since 0.7.0
 */
export const view_as_real = (input: Tensor): Tensor => {
  requireInput('view_as_real', input)
  if (!isComplex(input)) throw new RuntimeError('view_as_real is only supported for complex tensors')
  if (input instanceof ConjView)
    throw new RuntimeError(
      "view_as_real doesn't work on unresolved conjugated tensors.  To resolve the conjugate tensor so you can view it as real, use self.resolve_conj(); however, be warned that the resulting tensor will NOT alias the original.",
    )
  return viewOp(input._ri, aliasStep('ViewAsRealBackward0'), input._ri._strides)
}

/** A factory function (`torch.zeros`, `torch.rand`, …) also making complex tensors for a complex `dtype` keyword. */
export const complexFactory = <F extends (...args: never[]) => Tensor>(
  f: F,
  kind: 'zeros' | 'ones' | 'rand' | 'randn',
): F =>
  ((...args: unknown[]): Tensor => {
    const kw = args[args.length - 1]
    const dt =
      kw !== null && typeof kw === 'object' && !Array.isArray(kw) && !(kw instanceof Tensor)
        ? (kw as { dtype?: TorchDType; requires_grad?: boolean })
        : undefined
    if (dt?.dtype?.is_complex !== true) return f(...(args as never[]))
    const { generator, ...realKw } = { ...dt, dtype: partsOf(dt.dtype), requires_grad: false } as Record<
      string,
      unknown
    >
    const sizes = args.slice(0, -1)
    const realArgs = [
      ...(Array.isArray(sizes[0]) ? [[...(sizes[0] as number[]), 2]] : [...sizes, 2]),
      realKw,
    ] as never[]
    const out = new ComplexTensor(zerosReal(...realArgs))
    const gen = generator === undefined ? {} : { generator }
    if (kind === 'rand') uniform(out, 0, 1, gen)
    else if (kind === 'randn') normal(out, 0, 1, gen)
    else if (kind === 'ones') out._ri.select(-1, 0).fill_(1)
    if (dt.requires_grad === true) out.requires_grad_(true)
    return out
  }) as unknown as F

/** `torch.cat`/`torch.stack` also joining complex tensors. */
export const complexJoin = <F extends (tensors: ReadonlyArray<Tensor>, ...rest: never[]) => Tensor>(
  f: F,
  kind: 'cat' | 'stack',
): F =>
  ((tensors: ReadonlyArray<Tensor>, ...rest: unknown[]): Tensor => {
    if (!Array.isArray(tensors) || !tensors.some(isComplex)) return f(tensors, ...(rest as never[]))
    const d = rest[0]
    const dim = typeof d === 'number' ? d : ((d as { dim?: number } | undefined)?.dim ?? 0)
    return join(kind, tensors, dim)
  }) as unknown as F

/** `torch.einsum` also contracting complex operands. */
export const complexEinsum = <F extends (...args: never[]) => Tensor>(f: F): F =>
  ((...args: unknown[]): Tensor => {
    const ops = (Array.isArray(args[1]) ? args[1] : args.slice(1)) as Tensor[]
    if (typeof args[0] !== 'string' || !ops.some(isComplex)) return f(...(args as never[]))
    return einsumComplex(args[0], ops)
  }) as unknown as F

/** `torch.zeros_like`/`torch.ones_like` also for a complex input or a complex `dtype` keyword. */
export const complexLike = <F extends (t: Tensor, ...rest: never[]) => Tensor>(f: F, one: boolean): F =>
  ((t: Tensor, ...rest: unknown[]): Tensor => {
    const kw = rest[0] as { dtype?: TorchDType } | undefined
    const dt = kw?.dtype ?? (isComplex(t) ? t.dtype : undefined)
    if (dt?.is_complex !== true) return f(t, ...(rest as never[]))
    const src = isComplex(t) ? t._ri.select(-1, 0) : t
    const r = f(src, ...([{ ...kw, dtype: partsOf(dt), requires_grad: false }] as never[]))
    const out = new ComplexTensor(fromParts(one ? r : r.mul(0), r.mul(0))._ri.detach())
    if ((kw as { requires_grad?: boolean } | undefined)?.requires_grad === true) out.requires_grad_(true)
    return out
  }) as unknown as F

/** `torch.rand_like`/`torch.randn_like` also for a complex input or a complex `dtype` keyword (PyTorch's stream of `rand`/`randn`). */
export const complexRandLike = <F extends (t: Tensor, ...rest: never[]) => Tensor>(
  f: F,
  factory: () => (...args: never[]) => Tensor,
): F =>
  ((t: Tensor, ...rest: unknown[]): Tensor => {
    const kw = (rest[0] ?? {}) as { dtype?: TorchDType; requires_grad?: boolean }
    const dt = kw.dtype ?? (isComplex(t) ? t.dtype : undefined)
    if (dt?.is_complex !== true) return f(t, ...(rest as never[]))
    return factory()(...([[...t.shape], { ...kw, dtype: dt }] as never[]))
  }) as unknown as F

/**
 * Complex tensors (dtypes `torch.complex64` and `torch.complex128`) on the real core: a
 * `ComplexTensor` keeps its values in one real tensor of its shape plus a last dimension of 2
 * (real part, imaginary part), exactly the layout PyTorch's `view_as_real` shows. That real tensor
 * carries autograd, so every complex op here is written with differentiable real ops on it and
 * gradients reach real leaves through complex intermediates; a complex leaf's `.grad` is that real
 * tensor's gradient read as complex, `∂L/∂Re + i·∂L/∂Im`, which is PyTorch's convention (the
 * conjugate Wirtinger derivative times 2). `view_as_complex`/`view_as_real`/`.real`/`.imag` are
 * views of that real tensor, so writes through either are seen by the other. Every tensor method
 * without complex support raises `NotImplementedError` naming it (./methods.ts).
 *
 * @category torch
 * @since 0.7.0
 */
import { zeros as zerosArr } from '../../ndarray/create'
import { Tensor, makeSize, type Size } from '../tensor'
import { float32, float64, type TorchDType } from '../dtype'
import { complex128, complex64 } from '../dtypeUnsupported'
import { IndexError, NotImplementedError, RuntimeError } from '../errors'
import type { Node } from '../autograd/node'
import { addSuffixes } from '../format'
import { complexBody } from './format'
import { stack } from '../ops/functions'

/** The text of the error an op without complex support raises. */
export const unsupportedText = (op: string): string =>
  `'${op}' is not supported for complex tensors in wengert (see "Complex tensors" in docs/porting.md for the ops that are)`

/** A complex tensor: see the module doc. Build one with `torch.complex`, `torch.polar` or `torch.view_as_complex`. @category torch @since 0.7.0 */
export class ComplexTensor extends Tensor {
  /** @internal The values: a float tensor of shape (...shape, 2), the autograd-carrying part. */ readonly _ri: Tensor

  /** @internal Use `torch.complex`, `torch.polar` or `torch.view_as_complex`. */
  constructor(ri: Tensor) {
    super(zerosArr([0], { dtype: ri.dtype.storage }))
    this._ri = ri
  }
  /** @internal A complex tensor has no real value: an op reading one has no complex support. */
  override _value(): never {
    throw new NotImplementedError(unsupportedText('(a real op reading complex values)'))
  }
  override get shape(): Size {
    return makeSize(this._ri.shape.slice(0, -1))
  }
  override size(): Size
  override size(dim: number): number
  override size(dim?: number): Size | number {
    if (dim === undefined) return this.shape
    return this._ri.size(normDim(dim, this.dim()))
  }
  override dim(): number {
    return this._ri.dim() - 1
  }
  override get ndim(): number {
    return this._ri.dim() - 1
  }
  override numel(): number {
    return this._ri.numel() / 2
  }
  override get dtype(): TorchDType {
    return complexOf(this._ri.dtype)
  }
  override get requires_grad(): boolean {
    return this._ri.requires_grad
  }
  override set requires_grad(v: boolean) {
    this._ri.requires_grad = v
  }
  override requires_grad_(requires_grad = true): this {
    this._ri.requires_grad_(requires_grad)
    return this
  }
  /** The node of the real op that made the values. */
  override get grad_fn(): Node | null {
    return this._ri.grad_fn
  }
  override get is_leaf(): boolean {
    return this._ri.is_leaf
  }
  /** A complex leaf's gradient `∂L/∂Re + i·∂L/∂Im` (null before backward). */
  override get grad(): Tensor | null {
    const g = this._ri.grad
    return g === null ? null : new ComplexTensor(g)
  }
  override set grad(g: Tensor | null) {
    if (g === null || g === undefined) this._ri.grad = null
    else if (g instanceof ComplexTensor) this._ri.grad = g._ri
    else throw new RuntimeError('assigned grad has data of a different type')
  }
  /** @internal The gradient as complex (module and optimizer code reads `_grad`); stored on the values. */
  override get _grad(): Tensor | null {
    return this.grad
  }
  override set _grad(g: Tensor | null) {
    this.grad = g
  }
  override retain_grad(): void {
    this._ri.retain_grad()
  }
  override get retains_grad(): boolean {
    return this._ri.retains_grad
  }
  override detach(): ComplexTensor {
    return new ComplexTensor(this._ri.detach())
  }
  /** PyTorch's repr: `tensor([1.+2.j, 3.-1.j])`. */
  override toString(): string {
    const suffixes: string[] = []
    if (this.numel() === 0) suffixes.push(`size=(${this.shape.join(', ')}${this.dim() === 1 ? ',' : ''})`)
    if (this.dtype !== complex64) suffixes.push(`dtype=${this.dtype}`)
    const fn = this.grad_fn
    if (fn !== null) suffixes.push(`grad_fn=<${fn.name()}>`)
    else if (this.requires_grad) suffixes.push('requires_grad=True')
    const body = this.numel() === 0 ? '[]' : complexBody(this._ri.detach()._value(), 'tensor('.length)
    return addSuffixes(`tensor(${body}`, suffixes, 'tensor('.length)
  }
}

/** A dimension of an n-dimensional complex tensor, made non-negative (PyTorch's IndexError when out of range). */
export const normDim = (dim: number, n: number): number => {
  const lo = Math.min(-n, -1)
  const hi = Math.max(n - 1, 0)
  if (dim < lo || dim > hi)
    throw new IndexError(`Dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dim})`)
  return dim < 0 ? dim + Math.max(n, 1) : dim
}

/** Whether `t` is a complex tensor. */
export const isComplex = (t: unknown): t is ComplexTensor => t instanceof ComplexTensor

/** The complex dtype of parts of dtype `real`. */
export const complexOf = (real: TorchDType): TorchDType => (real === float64 ? complex128 : complex64)

/** The float dtype of a complex dtype's parts. */
export const partsOf = (c: TorchDType): TorchDType => (c === complex128 ? float64 : float32)

/** The real part (a view of the values). */
export const re = (z: ComplexTensor): Tensor => z._ri.select(-1, 0)
/** The imaginary part (a view of the values). */
export const im = (z: ComplexTensor): Tensor => z._ri.select(-1, 1)

/** The complex tensor of real and imaginary parts of one shape and float dtype. */
export const fromParts = (real: Tensor, imag: Tensor): ComplexTensor => new ComplexTensor(stack([real, imag], -1))

/**
 * The tensor methods of complex tensors (./tensor.ts), the complex cases of real tensors' `add`,
 * `sub`, `mul`, `div`, `matmul`, `to`, `type` and `type_as` (a complex operand or dtype), and
 * the refusal of every other method: a complex tensor's method without complex support raises
 * `NotImplementedError` naming it, so no op reads complex values as real.
 *
 * @category torch
 * @since 0.7.0
 */
import { Tensor } from '../tensor'
import { CPU } from '../device'
import { NotImplementedError, RuntimeError } from '../errors'
import { TorchDType } from '../dtype'
import type { IndexItem } from '../methods/index'
import { defineKindMethods, refuseOtherMethods } from '../tensorKindMethods'
import { warn } from '../warnings'
import { ComplexTensor, im, isComplex, partsOf, re, unsupportedText } from './tensor'
import * as ops from './ops'
import * as shape from './shape'
import * as powers from './powers'
import * as samplers from './samplers'
import { ConjView, conjPart, conjView } from './conjView'
import { complexList } from './value'

type C = ComplexTensor

/** The dtype among `to`/`type` arguments (positional or `dtype=`), or undefined. */
export const dtypeArg = (args: ReadonlyArray<unknown>): TorchDType | undefined => {
  for (const a of args) {
    if (a instanceof TorchDType) return a
    if (a instanceof Tensor) return a.dtype
    if (a !== null && typeof a === 'object' && 'dtype' in a) {
      const d = (a as { dtype?: unknown }).dtype
      if (d instanceof TorchDType) return d
    }
  }
  return undefined
}

const toComplex = (z: C, dt: TorchDType | undefined): Tensor => {
  if (dt === undefined) return z
  if (!dt.is_complex) warn('Casting complex values to real discards the imaginary part')
  return shape.castComplex(z, dt)
}

const alphaOf = (kw: unknown): number => {
  if (kw === undefined || kw === null) return 1
  if (typeof kw === 'number') return kw
  return (kw as { alpha?: number }).alpha ?? 1
}

const complexMethods: Record<string, (this: C, ...a: never[]) => unknown> = {
  add(this: C, other: unknown, kw?: unknown) {
    return ops.addSub(this, other, alphaOf(kw), false)
  },
  sub(this: C, other: unknown, kw?: unknown) {
    return ops.addSub(this, other, alphaOf(kw), true)
  },
  mul(this: C, other: unknown) {
    return ops.mul(this, other)
  },
  div(this: C, other: unknown, kw?: { rounding_mode?: string | null }) {
    if (kw?.rounding_mode !== undefined && kw.rounding_mode !== null)
      throw new RuntimeError('div with rounding_mode is not supported for complex tensors')
    return ops.div(this, other)
  },
  neg(this: C) {
    return ops.neg(this)
  },
  conj(this: C) {
    return conjView(this)
  },
  conj_physical(this: C) {
    return ops.conj(this, 'ConjPhysicalBackward0')
  },
  resolve_conj(this: C) {
    return this instanceof ConjView ? new ComplexTensor(this._ri.clone()) : this
  },
  resolve_neg(this: C) {
    return this
  },
  is_conj(this: C) {
    return this instanceof ConjView
  },
  is_neg: () => false,
  abs(this: C) {
    return ops.abs(this)
  },
  sgn(this: C) {
    return ops.sgn(this)
  },
  item(this: C) {
    const n = this.numel()
    if (n !== 1) throw new RuntimeError(`a Tensor with ${n} elements cannot be converted to Scalar`)
    return complexList(this._ri.detach()._value())
  },
  tolist(this: C) {
    return complexList(this._ri.detach()._value())
  },
  normal_(this: C, mean?: unknown, std?: unknown, kw?: unknown) {
    samplers.normal(this, mean, std, kw)
    return this
  },
  uniform_(this: C, from?: unknown, to?: unknown, kw?: unknown) {
    samplers.uniform(this, from, to, kw)
    return this
  },
  angle(this: C) {
    return ops.angle(this)
  },
  exp(this: C) {
    return ops.exp(this)
  },
  square(this: C) {
    return powers.square(this)
  },
  sqrt(this: C) {
    return powers.sqrt(this)
  },
  log(this: C) {
    return powers.log(this)
  },
  pow(this: C, exponent: unknown) {
    return powers.pow(this, exponent)
  },
  reciprocal(this: C) {
    return ops.reciprocal(this)
  },
  sum(this: C, dim?: unknown, keepdim?: unknown) {
    return ops.reduce(this, 'sum', dim, keepdim)
  },
  mean(this: C, dim?: unknown, keepdim?: unknown) {
    return ops.reduce(this, 'mean', dim, keepdim)
  },
  reshape(this: C, ...args: unknown[]) {
    return shape.reshape(this, args)
  },
  view(this: C, ...args: unknown[]) {
    if (args[0] instanceof TorchDType) throw new NotImplementedError(unsupportedText('view(dtype)'))
    return shape.view(this, args)
  },
  flatten(this: C, start?: number, end?: number) {
    return shape.flatten(this, start, end)
  },
  permute(this: C, ...args: unknown[]) {
    return shape.permute(this, args)
  },
  transpose(this: C, a: number, b: number) {
    return shape.transpose(this, a, b)
  },
  t(this: C) {
    if (this.dim() > 2) throw new RuntimeError(`t() expects a tensor with <= 2 dimensions, but self is ${this.dim()}D`)
    return this.dim() < 2 ? this : shape.transpose(this, 0, 1)
  },
  unsqueeze(this: C, d: number) {
    return shape.unsqueeze(this, d)
  },
  squeeze(this: C, d?: number | ReadonlyArray<number>) {
    return shape.squeeze(this, d)
  },
  expand(this: C, ...args: unknown[]) {
    return shape.expand(this, args)
  },
  index(this: C, ...idx: IndexItem[]) {
    return shape.getitem(this, idx)
  },
  get(this: C, ...idx: IndexItem[]) {
    return shape.getitem(this, idx)
  },
  getitem(this: C, idx: IndexItem | ReadonlyArray<IndexItem>) {
    return shape.getitem(this, Array.isArray(idx) ? (idx as IndexItem[]) : [idx as IndexItem])
  },
  set(this: C, ...idxAndValue: unknown[]) {
    shape.setitem(this, idxAndValue.slice(0, -1) as IndexItem[], idxAndValue[idxAndValue.length - 1])
    return this
  },
  setitem(this: C, idx: IndexItem | ReadonlyArray<IndexItem>, value: unknown) {
    shape.setitem(this, Array.isArray(idx) ? (idx as IndexItem[]) : [idx as IndexItem], value)
    return this
  },
  matmul(this: C, other: Tensor) {
    return shape.matmul(this, other)
  },
  mm(this: C, other: Tensor) {
    return shape.matmul(this, other)
  },
  to(this: C, ...args: unknown[]) {
    return toComplex(this, dtypeArg(args))
  },
  type(this: C, ...args: unknown[]) {
    if (args.length === 0)
      return partsOf(this.dtype).name === 'float64' ? 'torch.ComplexDoubleTensor' : 'torch.ComplexFloatTensor'
    return toComplex(this, dtypeArg(args))
  },
  type_as(this: C, other: Tensor) {
    return toComplex(this, other.dtype)
  },
  clone(this: C) {
    return new ComplexTensor(this._ri.clone())
  },
  zero_(this: C) {
    this._ri.zero_()
    return this
  },
  copy_(this: C, src: Tensor) {
    if (isComplex(src)) this._ri.copy_(src._ri)
    else this._ri.copy_(shape.asComplex(src, partsOf(this.dtype))._ri)
    return this
  },
  contiguous(this: C) {
    return new ComplexTensor(this._ri.contiguous())
  },
  is_complex: () => true,
  is_floating_point: () => false,
  element_size(this: C) {
    return this.dtype.itemsize
  },
  backward() {
    throw new RuntimeError('grad can be implicitly created only for real scalar outputs')
  },
}

const complexGetters: Record<string, (this: C) => unknown> = {
  real(this: C) {
    return this instanceof ConjView ? conjPart(this, 0) : re(this)
  },
  imag(this: C) {
    return this instanceof ConjView ? conjPart(this, 1) : im(this)
  },
  device: () => CPU,
  is_cuda: () => false,
  is_sparse: () => false,
  is_meta: () => false,
}

/** Real tensors' methods taking a complex operand or dtype: the complex op instead. */
const wrapRealMethods = (): void => {
  const proto = Tensor.prototype as unknown as Record<string, (...a: unknown[]) => unknown>
  const binary: Record<string, (a: Tensor, b: C, kw: unknown) => Tensor> = {
    add: (a, b, kw) => ops.addSub(a, b, alphaOf(kw), false),
    sub: (a, b, kw) => ops.addSub(a, b, alphaOf(kw), true),
    mul: (a, b) => ops.mul(a, b),
    div: (a, b) => ops.div(a, b),
    matmul: (a, b) => shape.matmul(a, b),
  }
  for (const [k, f] of Object.entries(binary)) {
    const orig = proto[k] as (this: Tensor, ...a: unknown[]) => unknown
    // NOTE: `arguments` forwarded as it is (a rest list and a spread call were a twentieth of a
    // chain of scalar ops' forward: issue 18, W3)
    proto[k] = function (this: Tensor, other: unknown) {
      if (other instanceof ComplexTensor) return f(this, other, arguments[1])
      // eslint-disable-next-line prefer-rest-params -- forwarding `arguments` keeps the call allocation-free
      return arguments.length === 1 ? orig.call(this, other) : (Reflect.apply(orig, this, arguments) as unknown)
    }
  }
  for (const k of ['to', 'type']) {
    const orig = proto[k] as (this: Tensor, ...a: unknown[]) => unknown
    proto[k] = function (this: Tensor, ...args: unknown[]) {
      const dt = dtypeArg(args)
      return dt?.is_complex === true ? shape.asComplex(this, partsOf(dt)) : orig.apply(this, args)
    }
  }
  const typeAs = proto['type_as'] as (this: Tensor, o: Tensor) => unknown
  proto['type_as'] = function (this: Tensor, o: unknown) {
    return isComplex(o) ? shape.asComplex(this, partsOf(o.dtype)) : typeAs.call(this, o as Tensor)
  }
}

let installed = false
/** Installs the complex methods (once; after the facade's tensor methods, which the refusals cover). */
export const installComplexMethods = (): void => {
  if (installed) return
  installed = true
  wrapRealMethods()
  defineKindMethods(ComplexTensor.prototype, complexMethods)
  for (const [k, g] of Object.entries(complexGetters))
    Object.defineProperty(ComplexTensor.prototype, k, { get: g, configurable: true })
  refuseOtherMethods(ComplexTensor.prototype, unsupportedText)
}

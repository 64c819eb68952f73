/**
 * `nn.Parameter`: a leaf Tensor that a `Module` registers as one of its parameters.
 *
 * @category torch
 * @since 0.1.0
 */
import { parseArgs, type PyArgs } from '../kwargs'
import { Tensor } from '../tensor'
import { ComplexTensor } from '../complex/tensor'
import { pyClass } from './pyclass'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** `nn.Parameter`'s keyword options (`requires_grad`). @category torch @since 0.2.0 */
export interface ParameterKw {
  readonly requires_grad?: boolean
}

/** See {@link Parameter}. */
class ParameterImpl extends Tensor {
  constructor(data?: Tensor | null, ...rest: PyArgs<[requires_grad: boolean], ParameterKw>) {
    // PyTorch: Parameter() is an empty tensor of the default dtype; Parameter(t) shares t's storage
    const requiresGrad = (parseArgs('__new__', rest, ['requires_grad']).requires_grad as boolean | undefined) ?? true
    if (data instanceof ComplexTensor) return new ComplexParameter(data, requiresGrad)
    super(data === undefined || data === null ? new Tensor() : data.detach())
    if (requiresGrad) this.requires_grad = true
  }

  /** A complex parameter (a `ComplexParameter`) is an `nn.Parameter` too. */
  static override [Symbol.hasInstance](u: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, u)) return true
    return u instanceof ComplexParameter && (this as { prototype?: unknown }).prototype === ParameterImpl.prototype
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`
  }
}

/**
 * `nn.Parameter` of a complex tensor: a complex leaf sharing the values of `data` (requires grad
 * by default); `instanceof nn.Parameter` holds, so a Module registers it and optimizers update it
 * through its real view (`view_as_real`), as PyTorch's do.
 * @category torch @since 0.7.0
 */
export class ComplexParameter extends ComplexTensor {
  /** @internal Use `nn.Parameter(z)`. */
  constructor(data: ComplexTensor, requiresGrad: boolean) {
    super(data._ri.detach())
    if (requiresGrad) this.requires_grad = true
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`
  }
}

/**
 * A Tensor that is a module parameter: it shares the storage of `data`, is a leaf and requires
 * grad by default (`requires_grad` positional or as a keyword). Assigning one to a Module property
 * registers it. Printed as `Parameter containing:\ntensor(…, requires_grad=True)`. Called with
 * or without `new`, as Python's `nn.Parameter(t)`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const p = new torch.nn.Parameter(torch.tensor([1, 2]))
 * assert.strictEqual(p.requires_grad, true)
 * assert.strictEqual(p.is_leaf, true)
 * assert.strictEqual(String(p), 'Parameter containing:\ntensor([1., 2.], requires_grad=True)')
 * const frozen = torch.nn.Parameter(torch.zeros(2), { requires_grad: false })
 * assert.ok(frozen instanceof torch.nn.Parameter && !frozen.requires_grad)
 * @category torch
 * @since 0.1.0
 */
export const Parameter = pyClass(ParameterImpl, 'Parameter')
/** An `nn.Parameter` instance. @category torch @since 0.1.0 */
export type Parameter = ParameterImpl

/** True for `nn.Parameter` instances. @category torch @since 0.1.0 */
export const isParameter = (u: unknown): u is Parameter => u instanceof Parameter

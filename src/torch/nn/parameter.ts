/**
 * `nn.Parameter`: a leaf Tensor that a `Module` registers as one of its parameters.
 *
 * @category torch
 * @since 0.1.0
 */
import { Tensor } from '../tensor'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A Tensor that is a module parameter: it shares the storage of `data`, is a leaf and requires
 * grad by default. Assigning one to a Module property registers it. Printed as
 * `Parameter containing:\ntensor(…, requires_grad=True)`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const p = new torch.nn.Parameter(torch.tensor([1, 2]))
 * assert.strictEqual(p.requires_grad, true)
 * assert.strictEqual(p.is_leaf, true)
 * assert.strictEqual(String(p), 'Parameter containing:\ntensor([1., 2.], requires_grad=True)')
 * @category torch
 * @since 0.1.0
 */
export class Parameter extends Tensor {
  constructor(data?: Tensor | null, requires_grad = true) {
    // PyTorch: Parameter() is an empty tensor of the default dtype; Parameter(t) shares t's storage
    super(data === undefined || data === null ? new Tensor() : data.detach())
    if (requires_grad) this.requires_grad = true
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`
  }
}

/** True for `nn.Parameter` instances. @category torch @since 0.1.0 */
export const isParameter = (u: unknown): u is Parameter => u instanceof Parameter

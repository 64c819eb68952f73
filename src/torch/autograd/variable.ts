/**
 * Deprecated and decorator extras of `torch.autograd`: `Variable` (returns a tensor) and
 * `function.once_differentiable` (a custom Function's backward run without recording, whose
 * results raise if differentiated again).
 *
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError, TorchTypeError } from '../errors'
import { parseArgs, type PyArgs } from '../kwargs'
import { Tensor } from '../tensor'
import { warn } from '../warnings'
import { is_grad_enabled, no_grad } from './grad_mode'
import { Node } from './node'
import { edgeOf } from './op'

/**
 * PyTorch's deprecated `torch.autograd.Variable(data, requires_grad=False, volatile=False)`:
 * a new tensor sharing `data`'s values, outside its graph (a leaf), with `requires_grad` set.
 * `volatile` has no effect and warns, as in PyTorch.
 * @example
 * import * as torch from 'wengert/torch'
 * const t = torch.tensor([1, 2])
 * const v = torch.autograd.Variable(t, { requires_grad: true })
 * assert.ok(v !== t && v.requires_grad && v.is_leaf && !t.requires_grad)
 * assert.ok(t instanceof torch.autograd.Variable)
 * @category torch @since 0.2.0
 */
export const Variable: {
  (data: Tensor, ...args: PyArgs<[requires_grad: boolean, volatile: boolean], VariableKw>): Tensor
  /** Every tensor is a Variable (PyTorch 2.x's VariableMeta.__instancecheck__): `t instanceof Variable`. */
  [Symbol.hasInstance](u: unknown): boolean
} = Object.defineProperty(variable, Symbol.hasInstance, { value: (u: unknown): boolean => u instanceof Tensor })

function variable(data: Tensor, ...args: PyArgs<[requires_grad: boolean, volatile: boolean], VariableKw>): Tensor {
  const a = parseArgs('Variable', args, ['requires_grad', 'volatile'])
  if (!(data instanceof Tensor))
    throw new TorchTypeError(
      `Variable data has to be a tensor, but got ${Array.isArray(data) ? 'list' : typeof data === 'number' ? 'int' : typeof data}`,
    )
  if (a.volatile !== undefined) warn('volatile was removed and now has no effect. Use `with torch.no_grad():` instead.')
  const out = data.detach()
  if ((a.requires_grad as boolean | undefined) ?? false) out.requires_grad_(true)
  return out
}

/** The keywords of {@link Variable}. @category torch @since 0.3.0 */
export interface VariableKw {
  readonly requires_grad?: boolean
  readonly volatile?: boolean
}

const ONCE_MESSAGE = 'trying to differentiate twice a function that was marked with @once_differentiable'

/** Aliases of `outputs` under one node whose backward raises (PyTorch's DelayedError, printed `Error`). */
const delayedError = (outputs: ReadonlyArray<Tensor | null>): Array<Tensor | null> => {
  const leaves = outputs.map((o) => (o === null ? null : o.detach().requires_grad_(true)))
  const node = new Node(
    'Error',
    leaves.filter((l): l is Tensor => l !== null).map((l) => edgeOf(l)),
  )
  node._backward = () => {
    throw new RuntimeError(ONCE_MESSAGE)
  }
  return leaves.map((l) => {
    if (l === null) return null
    const t = Tensor._fromValue(l._value())
    t._gradFn = node
    return t
  })
}

/**
 * PyTorch's `torch.autograd.function.once_differentiable`: decorates a custom Function's
 * `backward` so that it runs without recording; under `create_graph`, when a gradient argument
 * requires grad, the results are tied to a node (PyTorch's DelayedError, named `Error`) whose
 * backward raises "trying to differentiate twice a function that was marked with @once_differentiable".
 * @example
 * import * as torch from 'wengert/torch'
 * class Sq extends torch.autograd.Function {
 *   static override forward(ctx: torch.autograd.FunctionCtx, x: torch.Tensor) {
 *     ctx.save_for_backward(x)
 *     return x.mul(x)
 *   }
 *   static override backward = torch.autograd.function.once_differentiable(
 *     (ctx: torch.autograd.FunctionCtx, g: torch.Tensor) => g.mul(ctx.saved_tensors[0]!).mul(2),
 *   )
 * }
 * const x = torch.tensor([3], { requires_grad: true })
 * const v = torch.tensor([1], { requires_grad: true })
 * const [g] = torch.autograd.grad(Sq.apply(x) as torch.Tensor, [x], v, { create_graph: true })
 * assert.deepStrictEqual(g!.tolist(), [6])
 * assert.throws(() => g!.sum().backward(), /differentiate twice/)
 * @category torch @since 0.2.0
 */
export const once_differentiable = <F extends (ctx: never, ...grads: never[]) => unknown>(fn: F): F => {
  const call = fn as unknown as (ctx: unknown, ...grads: Tensor[]) => unknown
  return ((ctx: unknown, ...grads: Tensor[]): unknown => {
    const outputs = no_grad(() => call(ctx, ...grads))
    if (!is_grad_enabled()) return outputs
    if (!grads.some((g) => g instanceof Tensor && g.requires_grad)) return outputs
    const list = outputs instanceof Tensor ? [outputs] : [...(outputs as ReadonlyArray<Tensor | null>)]
    const wrapped = delayedError(list.map((o) => (o instanceof Tensor ? o : null)))
    return outputs instanceof Tensor ? wrapped[0] : wrapped
  }) as unknown as F
}

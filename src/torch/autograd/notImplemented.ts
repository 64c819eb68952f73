/**
 * Outputs of ops PyTorch defines no derivative for. Two kinds, as there:
 * - ops without a `derivatives.yaml` entry (a backend kernel): their grad_fn is a
 *   `NotImplemented` node over the inputs that require grad, whose backward raises
 *   `derivative for aten::<op> is not implemented` ({@link withNotImplemented});
 * - entries whose formula is `not_implemented("<op>")`: a node named after the op
 *   (`NextafterBackward0`, `Unique2Backward0`) with an edge per differentiable argument (None
 *   where it needs no gradient), whose backward raises NotImplementedError
 *   `the derivative for '<op>' is not implemented.` ({@link withUndefinedDerivative}).
 *
 * @category torch
 * @since 0.2.0
 */
import { NotImplementedError, RuntimeError } from '../errors'
import type { Tensor } from '../tensor'
import { is_grad_enabled } from './grad_mode'
import { Node } from './node'
import { edgeOf } from './op'

/** Gives `outs` (computed without recording) one grad_fn over `edges`, raising `error` on backward. */
const attach = (
  name: string,
  inputs: ReadonlyArray<Tensor>,
  outs: ReadonlyArray<Tensor>,
  allEdges: boolean,
  error: () => Error,
): void => {
  if (!is_grad_enabled() || !inputs.some((t) => t.requires_grad)) return
  const edges = allEdges
    ? inputs.map((t) => (t.requires_grad ? edgeOf(t) : ([null, 0] as const)))
    : inputs.filter((t) => t.requires_grad).map((t) => edgeOf(t))
  const node = new Node(name, edges)
  node._backward = () => {
    throw error()
  }
  outs.forEach((t, k) => {
    t._gradFn = node
    t._outputNr = k
  })
}

/**
 * Gives `out` (computed without recording) a `NotImplemented` grad_fn when grad mode is on and an
 * input requires grad; its edges are those inputs' (PyTorch's node lists no others). Several
 * outputs share the node, numbered in order. Returns `out`.
 */
export const withNotImplemented = <O extends Tensor | ReadonlyArray<Tensor>>(
  aten: string,
  inputs: ReadonlyArray<Tensor>,
  out: O,
): O => {
  const outs = (Array.isArray(out) ? out : [out]) as ReadonlyArray<Tensor>
  attach(
    'NotImplemented',
    inputs,
    outs,
    false,
    () => new RuntimeError(`derivative for aten::${aten} is not implemented`),
  )
  return out
}

/**
 * Gives `out` the node `name` of a `not_implemented("<op>")` formula: an edge per argument in
 * `inputs` (None where it needs no gradient); its backward raises PyTorch's NotImplementedError.
 * Returns `out`.
 */
export const withUndefinedDerivative = (
  name: string,
  op: string,
  inputs: ReadonlyArray<Tensor>,
  out: Tensor,
): Tensor => {
  attach(name, inputs, [out], true, () => new NotImplementedError(`the derivative for '${op}' is not implemented.`))
  return out
}

/**
 * The shared steps of `torch.autograd.functional` (./functional.ts), as PyTorch runs them on its
 * autograd: inputs made graph leaves (or views of themselves under `create_graph`), outputs
 * checked, `v` validated, gradients of unused inputs filled with zeros (or a strict-mode error),
 * results detached unless `create_graph`.
 */
import { zeros_like } from '../creation'
import { RuntimeError, TorchTypeError } from '../errors'
import { Tensor } from '../tensor'
import { grad } from './grad'

/** A tensor, or a tuple (array) of tensors. */
export type Tensors = Tensor | ReadonlyArray<Tensor>

/** Python's class name of a value, for the type errors. */
const pyType = (u: unknown): string =>
  typeof u === 'number'
    ? "<class 'float'>"
    : typeof u === 'boolean'
      ? "<class 'bool'>"
      : u === null || u === undefined
        ? "<class 'NoneType'>"
        : Array.isArray(u)
          ? "<class 'tuple'>"
          : `<class '${typeof u}'>`

/** `[was a tuple, the tensors]`, or PyTorch's TypeError naming `arg` of `fn`. */
export const asTuple = (u: unknown, arg: string, fn: string): [boolean, Tensor[]] => {
  const isTuple = Array.isArray(u)
  const items: unknown[] = isTuple ? [...(u as unknown[])] : [u]
  items.forEach((el, i) => {
    if (el instanceof Tensor) return
    const where = isTuple ? `value at index ${i}` : `given ${arg}`
    throw new TorchTypeError(
      `The ${arg} given to ${fn} must be either a Tensor or a tuple of Tensors but the ${where} has type ${pyType(el)}.`,
    )
  })
  return [isTuple, items as Tensor[]]
}

/** Fresh leaves requiring grad (or, under create_graph, views keeping the caller's graph). */
export const prepare = (ts: ReadonlyArray<Tensor>, createGraph: boolean, needGraph: boolean): Tensor[] =>
  ts.map((t) => (createGraph && t.requires_grad ? t.view_as(t) : t.detach().requires_grad_(needGraph)))

/** Detaches the results unless create_graph. */
export const finish = (ts: ReadonlyArray<Tensor>, createGraph: boolean): Tensor[] =>
  createGraph ? [...ts] : ts.map((t) => t.detach())

/** The tuple, or its only element when the input was not a tuple. */
export const untuple = <X>(xs: ReadonlyArray<X>, isTuple: boolean): X | X[] => (isTuple ? [...xs] : xs[0]!)

/** Checks `v` against the tensors it multiplies (count and sizes). */
export const validateV = (v: ReadonlyArray<Tensor>, other: ReadonlyArray<Tensor>, otherIsTuple: boolean): void => {
  if (v.length !== other.length)
    throw new RuntimeError(
      otherIsTuple
        ? `v is a tuple of invalid length: should be ${other.length} but got ${v.length}.`
        : 'The given v should contain a single Tensor.',
    )
  v.forEach((el, i) => {
    if (String(el.shape) !== String(other[i]!.shape))
      throw new RuntimeError(
        `${otherIsTuple ? `Entry ${i} in ` : ''}v has invalid size: should be ${String(other[i]!.shape)} but got ${String(el.shape)}.`,
      )
  })
}

/** What a strict check is about (PyTorch's `input_type`). */
export type StrictKind = 'outputs' | 'grad_inputs' | 'jacobian' | 'hessian'

const STRICT_TEXT: Record<StrictKind, (i: number) => string> = {
  hessian: (i) =>
    `The hessian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is thrice differentiable and that the hessian depends on the inputs.`,
  jacobian: (i) =>
    `While computing the hessian, found that the jacobian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is twice differentiable and that the jacobian depends on the inputs (this would be violated by a linear function for example).`,
  grad_inputs: (i) =>
    `The gradient with respect to input ${i} is independent of the inputs of the user-provided function. This is not allowed in strict mode.`,
  outputs: (i) =>
    `Output ${i} of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode.`,
}

/** Strict mode: every tensor present and requiring grad. */
export const checkRequiresGrad = (ts: ReadonlyArray<Tensor | null>, kind: StrictKind, strict: boolean): void => {
  if (!strict) return
  ts.forEach((t, i) => {
    if (t === null)
      throw new RuntimeError(
        `The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`,
      )
    if (!t.requires_grad) throw new RuntimeError(STRICT_TEXT[kind](i))
  })
}

/** Gradients of the outputs that require grad (null for unused inputs; all null when none does). */
export const autogradGrad = (
  outputs: ReadonlyArray<Tensor | null>,
  inputs: ReadonlyArray<Tensor>,
  gradOutputs: ReadonlyArray<Tensor> | null,
  createGraph: boolean,
  retainGraph?: boolean,
): Array<Tensor | null> => {
  const keep = outputs.flatMap((o, i) => (o !== null && o.requires_grad ? [i] : []))
  if (keep.length === 0) return inputs.map(() => null)
  const gos = gradOutputs === null ? undefined : keep.map((i) => gradOutputs[i]!)
  return grad(
    keep.map((i) => outputs[i]!),
    [...inputs],
    {
      ...(gos === undefined ? {} : { grad_outputs: gos }),
      allow_unused: true,
      create_graph: createGraph,
      ...(retainGraph === undefined ? {} : { retain_graph: retainGraph }),
    },
  )
}

/** What was differentiated (PyTorch's `stage`), for the strict-mode messages. */
export type Stage = 'back' | 'back_trick' | 'double_back' | 'double_back_trick'

const MISSING_TEXT: Record<Stage, (i: number) => string> = {
  back: (i) =>
    `The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`,
  back_trick: (i) =>
    `The gradient with respect to the input is independent of entry ${i} in the grad_outputs when using the double backward trick to compute forward mode gradients. This is not allowed in strict mode.`,
  double_back: (i) =>
    `The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`,
  double_back_trick: (i) =>
    `The hessian of the user-provided function is independent of entry ${i} in the grad_jacobian. This is not allowed in strict mode as it prevents from using the double backward trick to replace forward mode AD.`,
}

/** Zeros for missing gradients, or the strict-mode errors. */
export const fillInZeros = (
  grads: ReadonlyArray<Tensor | null>,
  refs: ReadonlyArray<Tensor>,
  strict: boolean,
  createGraph: boolean,
  stage: Stage,
): Tensor[] =>
  grads.map((g, i) => {
    if (g === null) {
      if (strict) throw new RuntimeError(MISSING_TEXT[stage](i))
      return zeros_like(refs[i]!)
    }
    if (strict && createGraph && !g.requires_grad)
      throw new RuntimeError(
        `The ${stage.includes('double') ? 'hessian' : 'jacobian'} of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`,
      )
    return g
  })

/**
 * A module's backward hooks (PyTorch's `torch.utils.hooks.BackwardHook` and `_WrappedHook`).
 *
 * Full hooks (`register_full_backward_hook`, `register_full_backward_pre_hook`): for one call of
 * the module, its positional tensor arguments pass through one identity node
 * (`BackwardHookFunctionBackward`, src/torch/autograd/hookFunction.ts) before `forward`, and the
 * tensors of its result through another after the forward hooks. When backward reaches the
 * output node, its hook records the gradients of the outputs (`grad_output`, null where none
 * arrived), lets the pre-hooks replace them, and passes them on. When it reaches the input node,
 * its hook calls the full hooks with `(module, grad_input, grad_output)`: `grad_input` holds the
 * gradient of each tensor argument (null for non-tensor arguments); a returned array replaces it.
 * When no argument requires grad, the output node's hook calls the full hooks itself with
 * `grad_input` all null (PyTorch's special case, with its warning).
 *
 * Deprecated hooks (`register_backward_hook`) hang on the grad_fn of the result's first tensor
 * and see that node's gradients, with PyTorch's deprecation warnings where they are incomplete.
 *
 * @category torch
 * @since 0.2.0
 */
import { backwardHookFunction } from '../autograd/hookFunction'
import { is_grad_enabled } from '../autograd/grad_mode'
import type { Node } from '../autograd/node'
import { RuntimeError } from '../errors'
import { Tensor } from '../tensor'
import { pyTypeName } from '../pyType'
import { warn } from '../warnings'

/** Gradients as a module backward hook sees them: one per argument or output, null where none. @category torch @since 0.2.0 */
export type BackwardHookGrads = ReadonlyArray<Tensor | null>

/** What a module backward hook may return: replacement gradients, or nothing to keep them. @category torch @since 0.2.0 */
export type BackwardHookResult = ReadonlyArray<Tensor | null | undefined> | void | undefined | null

/** `hook(module, grad_input, grad_output)`: a full or deprecated module backward hook. @category torch @since 0.2.0 */
export type ModuleBackwardHook<M> = (
  module: M,
  grad_input: BackwardHookGrads,
  grad_output: BackwardHookGrads,
) => BackwardHookResult

/** `hook(module, grad_output)`: a module backward pre-hook; may return new grad_output. @category torch @since 0.2.0 */
export type ModuleBackwardPreHook<M> = (module: M, grad_output: BackwardHookGrads) => BackwardHookResult

type PostHook = Node['_postHooks'][number]

const NO_INPUT_GRAD_WARNING =
  'Full backward hook is firing when gradients are computed with respect to module outputs since no inputs require gradients. See https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more details.'

/** `values[k]` placed at `indices[k]` of an array of nulls of length `size`. */
const packWithNull = (
  indices: ReadonlyArray<number>,
  values: BackwardHookGrads,
  size: number,
): Array<Tensor | null> => {
  const res = new Array<Tensor | null>(size).fill(null)
  indices.forEach((idx, k) => {
    res[idx] = values[k] ?? null
  })
  return res
}

/** One call's full backward hooks (PyTorch's `BackwardHook`). */
export class BackwardHook<M> {
  private gradOutputs: Array<Tensor | null> | null = null
  private nOutputs = -1
  private outputIdx: number[] | null = null
  private nInputs = -1
  private inputIdx: number[] | null = null

  constructor(
    private readonly module: M,
    private readonly hooks: ReadonlyArray<ModuleBackwardHook<M>>,
    private readonly preHooks: ReadonlyArray<ModuleBackwardPreHook<M>>,
  ) {}

  /** The positional arguments with their tensors passed through the input node. */
  setupInputHook(args: ReadonlyArray<unknown>): unknown[] {
    const [res, idx] = this.applyOnTensors(args, (node) => node._postHooks.push(this.inputHook()))
    this.nInputs = args.length
    this.inputIdx = idx
    return res
  }

  /** The result with its tensors passed through the output node (a non-array result is one output). */
  setupOutputHook(result: unknown): unknown {
    const isTuple = Array.isArray(result)
    const outs: ReadonlyArray<unknown> = isTuple ? result : [result]
    const [res, idx] = this.applyOnTensors(outs, (node) => node._postHooks.push(this.outputHook()))
    this.nOutputs = outs.length
    this.outputIdx = idx
    return isTuple ? res : res[0]
  }

  /** The hook of the input node: calls the user hooks once the inputs' gradients are known. */
  private inputHook(): PostHook {
    return (gradInputs) => {
      const gradOutputs = this.gradOutputs
      // the gradient reached the inputs without passing the outputs (double backward)
      if (gradOutputs === null) return undefined
      const idx = this.inputIdx as number[]
      let res: BackwardHookGrads = packWithNull(idx, gradInputs, this.nInputs)
      for (const hook of this.hooks) {
        const out = hook(this.module, res, gradOutputs)
        if (out === undefined || out === null) continue
        if (out.length !== res.length)
          throw new RuntimeError(
            `Backward hook returned an invalid number of grad_input, got ${out.length}, but expected ${res.length}`,
          )
        res = out.map((g) => g ?? null)
      }
      this.gradOutputs = null
      return idx.map((i) => res[i] ?? null)
    }
  }

  /** The hook of the output node: records grad_output, runs the pre-hooks, and passes it on. */
  private outputHook(): PostHook {
    return (_gradInputs, gradOutputs) => {
      const idx = this.outputIdx as number[]
      this.gradOutputs = packWithNull(idx, gradOutputs, this.nOutputs)
      for (const pre of this.preHooks) {
        const r = pre(this.module, this.gradOutputs)
        if (r === undefined || r === null) continue
        if (r.length !== this.gradOutputs.length)
          throw new RuntimeError(
            `Backward pre hook returned an invalid number of grad_output, got ${r.length}, but expected ${this.gradOutputs.length}`,
          )
        this.gradOutputs = r.map((g) => g ?? null)
      }
      const local = this.gradOutputs
      if (this.inputIdx === null) this.callWithoutInputs(local)
      return idx.map((i) => local[i] ?? null)
    }
  }

  /** No argument requires grad: the hooks run now, with grad_input all null, and may not replace it. */
  private callWithoutInputs(gradOutputs: BackwardHookGrads): void {
    warn(NO_INPUT_GRAD_WARNING)
    const gradInputs = packWithNull([], [], this.nInputs)
    for (const hook of this.hooks) {
      const r = hook(this.module, gradInputs, gradOutputs)
      if (r !== undefined && r !== null && !r.every((g) => g === null || g === undefined))
        throw new RuntimeError(
          'Backward hook for Modules where no input requires gradient should always return None or None for all gradients.',
        )
    }
    this.gradOutputs = null
  }

  /** Passes the tensors among `args` through one identity node (when one requires grad and grad mode is on). */
  private applyOnTensors(args: ReadonlyArray<unknown>, fn: (node: Node) => void): [unknown[], number[] | null] {
    const idx: number[] = []
    const tensors: Tensor[] = []
    args.forEach((a, i) => {
      if (a instanceof Tensor) {
        idx.push(i)
        tensors.push(a)
      }
    })
    if (!(tensors.some((t) => t.requires_grad) && is_grad_enabled())) return [[...args], null]
    const [outs, node] = backwardHookFunction(tensors)
    fn(node)
    const res = [...args]
    idx.forEach((i, k) => {
      res[i] = outs[k]
    })
    return [res, idx]
  }
}

/** PyTorch's warning when a module with full backward hooks returns neither a tensor nor a tuple. */
export const warnNonTensorOutput = (result: unknown): void => {
  if (!(result instanceof Tensor) && !Array.isArray(result))
    warn(
      `For backward hooks to be called, module output should be a Tensor or a tuple of Tensors but received <class '${pyTypeName(result)}'>`,
    )
}

/** The first tensor of a result, as PyTorch's non-full hooks find it (`var[0]`, or a dict's first tensor value). */
const firstTensor = (result: unknown): Tensor | undefined => {
  let v = result
  for (let depth = 0; depth < 64 && !(v instanceof Tensor); depth++) {
    if (Array.isArray(v)) v = v[0]
    else if (typeof v === 'object' && v !== null) v = Object.values(v).find((e) => e instanceof Tensor)
    else return undefined
  }
  return v instanceof Tensor ? v : undefined
}

/**
 * The deprecated (non-full) backward hooks: each is a hook of the grad_fn of the result's first
 * tensor, called with that node's gradients (`grad_input` per node input, `grad_output` per node
 * output); PyTorch's warnings where those are not the module's.
 */
export const setupNonFullHooks = <M>(
  module: M,
  hooks: ReadonlyArray<ModuleBackwardHook<M>>,
  args: ReadonlyArray<unknown>,
  result: unknown,
): void => {
  const node = firstTensor(result)?.grad_fn ?? null
  if (node === null) return
  for (const hook of hooks)
    node._postHooks.push((gi, go) => {
      const r = hook(module, gi, go)
      return r === undefined || r === null ? undefined : r.map((g) => g ?? null)
    })
  warnNonFull(args, result, node)
}

const DEPRECATED = 'is deprecated and will be removed in future versions.'
const USE_FULL = 'Please use register_full_backward_hook to get the documented behavior.'

/** PyTorch's `_maybe_warn_non_full_backward_hook`. */
const warnNonFull = (args: ReadonlyArray<unknown>, result: unknown, node: Node): void => {
  const outs = result instanceof Tensor ? [result] : result
  if (!Array.isArray(outs) || !outs.every((r) => r instanceof Tensor))
    return warn(
      `Using non-full backward hooks on a Module that does not return a single Tensor or a tuple of Tensors ${DEPRECATED} This hook will be missing some of the grad_output. ${USE_FULL}`,
    )
  if (!args.every((a) => a instanceof Tensor))
    return warn(
      `Using non-full backward hooks on a Module that does not take as input a single Tensor or a tuple of Tensors ${DEPRECATED} This hook will be missing some of the grad_input. ${USE_FULL}`,
    )
  const outFns = new Set((outs as Tensor[]).map((r) => r.grad_fn).filter((n): n is Node => n !== null))
  if (outFns.size === 0 || (outFns.size === 1 && !outFns.has(node)))
    return warn(
      `Using a non-full backward hook when outputs are nested in python data structure ${DEPRECATED} This hook will be missing some grad_output.`,
    )
  if (outFns.size > 1)
    return warn(
      `Using a non-full backward hook when outputs are generated by different autograd Nodes ${DEPRECATED} This hook will be missing some grad_output. ${USE_FULL}`,
    )
  const inFns = new Set((args as Tensor[]).map((a) => a.grad_fn).filter((n): n is Node => n !== null))
  const next = new Set(node.next_functions.map(([n]) => n))
  if (inFns.size !== next.size || [...inFns].some((n) => !next.has(n)))
    warn(
      `Using a non-full backward hook when the forward contains multiple autograd Nodes ${DEPRECATED} This hook will be missing some grad_input. ${USE_FULL}`,
    )
}

/**
 * `torch.utils.checkpoint`: `checkpoint(function, ...args)` runs `function` without recording
 * its graph and runs it again during backward to get the gradients (PyTorch's reentrant
 * `CheckpointFunction`: node `CheckpointFunctionBackward`), with the default generator's state
 * of the first run restored for the second (`preserve_rng_state`, default true), so dropout
 * draws the same mask. `checkpoint_sequential` checkpoints the segments of a sequence of modules.
 *
 * `use_reentrant: false` (PyTorch's saved-tensor-hooks variant) records the ordinary graph here:
 * the same values, gradients and node names as PyTorch, without the memory saving.
 *
 * @category torch
 * @since 0.2.0
 */
import { backward as engineBackward, isCheckpointValid } from '../autograd/engine'
import { Function, type FunctionCtx } from '../autograd/function'
import { enable_grad } from '../autograd/grad_mode'
import { RuntimeError, TorchValueError } from '../errors'
import { get_rng_state, set_rng_state } from '../generator'
import { isKwargs } from '../kwargs'
import { Tensor } from '../tensor'
import { warn } from '../warnings'

type Fn = (...args: never[]) => unknown

/** The keyword arguments of {@link checkpoint}. @category torch @since 0.2.0 */
export interface CheckpointKw {
  readonly use_reentrant?: boolean
  readonly preserve_rng_state?: boolean
}

const tensorsOf = (out: unknown): Tensor[] =>
  out instanceof Tensor ? [out] : Array.isArray(out) ? out.filter((o): o is Tensor => o instanceof Tensor) : []

/** PyTorch's reentrant checkpoint as an autograd Function (its node: CheckpointFunctionBackward). */
class CheckpointFunction extends Function {
  static override forward(ctx: FunctionCtx, run: Fn, preserve: boolean, ...args: unknown[]): Tensor | Tensor[] {
    ctx.run = run
    ctx.args = args
    if (preserve) ctx.rng = get_rng_state()
    ctx.save_for_backward(...args.filter((a): a is Tensor => a instanceof Tensor))
    return (run as (...a: unknown[]) => Tensor | Tensor[])(...args)
  }

  static override backward(ctx: FunctionCtx, ...grads: Tensor[]): Array<Tensor | null> {
    if (!isCheckpointValid())
      throw new RuntimeError(
        'Checkpointing is not compatible with .grad() or when an `inputs` parameter is passed to .backward(). Please use .backward() and do not pass its `inputs` argument.',
      )
    const saved = ctx.saved_tensors
    let k = 0
    const inputs = (ctx.args as unknown[]).map((a) =>
      a instanceof Tensor ? saved[k++]!.detach().requires_grad_(a.requires_grad) : a,
    )
    const rng = ctx.rng as Tensor | undefined
    const now = rng === undefined ? undefined : get_rng_state()
    if (rng !== undefined) set_rng_state(rng)
    let outs: Tensor[]
    try {
      outs = tensorsOf(enable_grad(() => (ctx.run as (...a: unknown[]) => unknown)(...inputs)))
    } finally {
      if (now !== undefined) set_rng_state(now)
    }
    const pairs = outs.flatMap((o, i) => (o.requires_grad ? [[o, grads[i]!] as const] : []))
    if (pairs.length === 0)
      throw new RuntimeError('none of output has requires_grad=True, this checkpoint() is not necessary')
    engineBackward(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
      {},
    )
    return [null, null, ...inputs.map((a) => (a instanceof Tensor ? a.grad : null))]
  }
}

/** Splits a trailing keyword object off the arguments. */
const splitKw = (args: ReadonlyArray<unknown>): [unknown[], Record<string, unknown>] => {
  const last = args[args.length - 1]
  return args.length > 0 && isKwargs(last) ? [args.slice(0, -1), last] : [[...args], {}]
}

/**
 * Runs `function(...args)` without keeping its intermediate values; backward runs it again
 * (keyword arguments last: `{ use_reentrant, preserve_rng_state }`). The reentrant default works
 * with `.backward()` only (PyTorch raises under `autograd.grad`, as here), and warns when no input
 * requires grad.
 * @example
 * import * as torch from 'wengert/torch'
 * const x = torch.tensor([1, 2], { requires_grad: true })
 * const y = torch.utils.checkpoint.checkpoint((a: torch.Tensor) => a.sin().mul(3), x) as torch.Tensor
 * assert.strictEqual(y.grad_fn?.name(), 'CheckpointFunctionBackward')
 * y.sum().backward()
 * torch.testing.assert_close(x.grad, x.detach().cos().mul(3))
 * @category torch @since 0.2.0
 */
export const checkpoint = (fn: Fn, ...rest: unknown[]): unknown => {
  const [args, kw] = splitKw(rest)
  const { use_reentrant: reentrant = true, preserve_rng_state: preserve = true, ...others } = kw
  if (reentrant !== false) {
    const extra = Object.keys(others)
    if (extra.length > 0) throw new TorchValueError(`Unexpected keyword arguments: ${extra.join(',')}`)
    if (!args.some((a) => a instanceof Tensor && a.requires_grad))
      warn('None of the inputs have requires_grad=True. Gradients will be None')
    return CheckpointFunction.apply(fn, preserve, ...args)
  }
  const call = fn as (...a: unknown[]) => unknown
  return Object.keys(others).length > 0 ? call(...args, others) : call(...args)
}

/** A module or a function of one tensor (the items of `checkpoint_sequential`). */
type Stage = ((x: Tensor) => Tensor) | { call(x: Tensor): Tensor }

/**
 * Runs a sequence of modules (an `nn.Sequential` or an array) in `segments` chunks, each but the
 * last under {@link checkpoint} (keyword argument: `{ preserve_rng_state }`).
 * @example
 * import * as torch from 'wengert/torch'
 * const seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
 * const x = torch.ones(4, 2, { requires_grad: true })
 * const y = torch.utils.checkpoint.checkpoint_sequential(seq, 2, x)
 * assert.strictEqual(y.grad_fn?.name(), 'AddmmBackward0')
 * torch.testing.assert_close(y, seq.call(x))
 * @category torch @since 0.2.0
 */
export const checkpoint_sequential = (
  functions: { [Symbol.iterator](): Iterator<Stage | object> },
  segments: number,
  input: Tensor,
  kw: { readonly preserve_rng_state?: boolean } = {},
): Tensor => {
  const { preserve_rng_state: preserve = true, ...others } = kw
  const extra = Object.keys(others)
  if (extra.length > 0) throw new TorchValueError(`Unexpected keyword arguments: ${extra.join(',')}`)
  const fns = [...functions].map((f) =>
    typeof f === 'function' ? (f as (x: Tensor) => Tensor) : (x: Tensor) => (f as { call(x: Tensor): Tensor }).call(x),
  )
  const size = Math.floor(fns.length / segments)
  const runRange =
    (start: number, end: number) =>
    (x: Tensor): Tensor =>
      fns.slice(start, end + 1).reduce((h, f) => f(h), x)
  let end = -1
  for (let start = 0; start < size * (segments - 1); start += size) {
    end = start + size - 1
    input = checkpoint(runRange(start, end) as Fn, input, { preserve_rng_state: preserve }) as Tensor
  }
  return runRange(end + 1, fns.length - 1)(input)
}

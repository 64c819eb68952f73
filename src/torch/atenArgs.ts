/**
 * Argument binding with the texts of PyTorch's C++ argument parser (the one behind `torch.*`
 * functions, whose parameters follow the ATen schema): required positional parameters, the
 * parser's plural quirk in "missing N required positional arguments", and integer reductions.
 *
 * @category torch
 * @since 0.2.0
 */
import { TorchTypeError } from './errors'
import { isKwargs, parseArgs } from './kwargs'
import type { Reduction } from './nn/module'

/**
 * Binds `args` to the schema parameter `names`, the first `required` of them without default;
 * `lead` counts the parameters the caller took before `args` (for the parser's counts).
 * Raises the parser's TypeErrors for too many positionals, unknown keywords and missing arguments.
 */
export const atenArgs = (
  fn: string,
  args: ReadonlyArray<unknown>,
  names: ReadonlyArray<string>,
  required = 0,
  lead = 1,
): Record<string, unknown> => {
  const nPos = args.length > 0 && isKwargs(args[args.length - 1]) ? args.length - 1 : args.length
  if (nPos > names.length) {
    const most = names.length + lead
    const given = nPos + lead
    throw new TorchTypeError(
      `${fn}() takes ${most} positional argument${most === 1 ? '' : 's'} but ${given} ${given === 1 ? 'was' : 'were'} given`,
    )
  }
  const a = parseArgs(fn, args, names)
  const missing = names.slice(0, required).filter((n) => a[n] === undefined)
  if (missing.length > 0) {
    // NOTE: PyTorch's parser writes "arguments" for one missing argument and "argument" for several
    throw new TorchTypeError(
      `${fn}() missing ${missing.length} required positional argument${missing.length === 1 ? 's' : ''}: ${missing.map((n) => `"${n}"`).join(', ')}`,
    )
  }
  return a
}

/**
 * ATen's integer reduction (1 mean, 2 sum, any other int none) as the functional API's name.
 * Omitted, it is none: the schemas' default `Mean` reaches Python's argument parser as the
 * integer parse of the word "Mean", 0 (so `torch.kl_div(x, y)` is unreduced, in 1.13 and 2.x alike).
 */
export const atenReduction = (fn: string, r: unknown): Reduction => {
  if (r === undefined) return 'none'
  if (typeof r !== 'number' || !Number.isInteger(r))
    throw new TorchTypeError(
      `${fn}(): argument 'reduction' must be int, not ${typeof r === 'string' ? 'str' : typeof r}`,
    )
  return r === 1 ? 'mean' : r === 2 ? 'sum' : 'none'
}

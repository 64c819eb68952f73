/**
 * `torch.nn.utils.stateless`: the pre-2.0 home of `functional_call`, deprecated in PyTorch 2.x in
 * favour of `torch.func.functional_call` (which this one calls after PyTorch's FutureWarning).
 *
 * @category torch
 * @since 0.3.0
 */
import { TorchValueError } from '../errors'
import { functional_call as funcCall, type FunctionalCallOptions, type ModuleLike } from '../funcCall'
import { Tensor } from '../tensor'
import { warn } from '../warnings'

const DEPRECATED =
  '`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 and will be removed in a future version of PyTorch. Please use `torch.func.functional_call` instead which is a drop-in replacement.'

/** A name → tensor dictionary from a dictionary or from (name, tensor) pairs such as `named_parameters()`. */
const normalize = (given: Record<string, Tensor> | Iterable<readonly [string, Tensor]>): Record<string, Tensor> => {
  if (given === null || typeof given !== 'object')
    throw new TorchValueError(
      `Expected parameters_and_buffers to be a dict or an iterable of (name, Tensor) pairs, but got ${typeof given}`,
    )
  if (!(Symbol.iterator in given)) return given
  const out: Record<string, Tensor> = {}
  const repeated = new Set<string>()
  for (const item of given) {
    if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string' || !(item[1] instanceof Tensor))
      throw new TorchValueError('Expected parameters_and_buffers to contain (name, Tensor) pairs')
    const [name, t] = item as readonly [string, Tensor]
    if (name in out) repeated.add(name)
    out[name] = t
  }
  if (repeated.size > 0)
    throw new TorchValueError(
      `[${[...repeated]
        .sort()
        .map((k) => `'${k}'`)
        .join(', ')}] appeared multiple times; behavior of functional call is ambiguous`,
    )
  return out
}

/**
 * Calls `module` with the given parameters and buffers in place of its own (a dictionary, or
 * (name, tensor) pairs), as `torch.func.functional_call`; emits PyTorch 2.x's FutureWarning.
 * @example
 * import * as torch from 'wengert/torch'
 * const lin = torch.nn.Linear(2, 1)
 * const params = { weight: torch.ones(1, 2), bias: torch.zeros(1) }
 * const [y] = torch.warnings.catch_warnings(() =>
 *   torch.nn.utils.stateless.functional_call(lin, params, [torch.ones(1, 2)]) as torch.Tensor,
 * )
 * assert.deepStrictEqual(y.tolist(), [[2]])
 * @category torch @since 0.3.0
 */
export const functional_call = (
  module: ModuleLike,
  parameters_and_buffers: Record<string, Tensor> | Iterable<readonly [string, Tensor]>,
  args?: unknown,
  kwargs?: Record<string, unknown> | FunctionalCallOptions,
  options?: FunctionalCallOptions,
): unknown => {
  warn(DEPRECATED, 'FutureWarning')
  return funcCall(module, normalize(parameters_and_buffers), args ?? [], kwargs, options)
}

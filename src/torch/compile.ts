/**
 * PyTorch 2's `torch.compile`: wengert's facade has no graph compiler, so `torch.compile(model)`
 * returns `model` itself, which computes exactly what the compiled model computes. Its options
 * are checked as PyTorch checks them (an unknown `mode`, or `mode` together with `options`,
 * raises) and otherwise change nothing; for compiled speed, write the step with the functional
 * core and `jit`.
 *
 * One visible difference: PyTorch wraps a module in an `OptimizedModule` whose `state_dict` keys
 * start with `_orig_mod.`; here the keys are the model's own, so checkpoint code that strips that
 * prefix has nothing to strip.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const model = torch.nn.Linear(2, 1)
 * assert.strictEqual(torch.compile(model), model)
 * const f = torch.compile({ mode: 'max-autotune' })((x: torch.Tensor) => x.mul(2))
 * assert.deepStrictEqual(f(torch.ones(2)).tolist(), [2, 2])
 * @category torch
 * @since 0.2.0
 */
import { RuntimeError, TorchTypeError } from './errors'

/** Options of {@link compile}. @category torch @since 0.2.0 */
export interface CompileKw {
  readonly fullgraph?: boolean
  readonly dynamic?: boolean | null
  readonly backend?: string | ((...args: never[]) => unknown)
  readonly mode?: string | null
  readonly options?: Readonly<Record<string, unknown>> | null
  readonly disable?: boolean
}

const MODES = ['default', 'reduce-overhead', 'max-autotune', 'max-autotune-no-cudagraphs']

const checkOptions = (kw: CompileKw): void => {
  for (const k of Object.keys(kw))
    if (!['fullgraph', 'dynamic', 'backend', 'mode', 'options', 'disable'].includes(k))
      throw new TorchTypeError(`compile() got an unexpected keyword argument '${k}'`)
  if (kw.mode !== undefined && kw.mode !== null && kw.options !== undefined && kw.options !== null)
    throw new RuntimeError("Either mode or options can be specified, but both can't be specified at the same time.")
  if (kw.mode !== undefined && kw.mode !== null && !MODES.includes(kw.mode))
    throw new RuntimeError(`Unrecognized mode=${kw.mode}, should be one of: ${MODES.join(', ')}`)
  if (kw.backend !== undefined && typeof kw.backend !== 'string' && typeof kw.backend !== 'function')
    throw new TorchTypeError(`compile(): backend must be a string or a callable, got ${typeof kw.backend}`)
}

const callable = <T>(model: T): T => {
  if (typeof model !== 'function')
    throw new RuntimeError(`torch.compile: expected a function or an nn.Module, got ${typeof model}`)
  return model
}

/**
 * `torch.compile(model, {fullgraph, dynamic, backend, mode, options, disable})`: `model` itself
 * (see the module doc); `torch.compile(options)` without a model is the decorator form.
 * @category torch @since 0.2.0
 */
export function compile<T extends (...args: never[]) => unknown>(model: T, kw?: CompileKw): T
export function compile(kw?: CompileKw): <T extends (...args: never[]) => unknown>(model: T) => T
export function compile<T extends (...args: never[]) => unknown>(
  a?: T | CompileKw,
  kw: CompileKw = {},
): T | ((model: T) => T) {
  if (typeof a === 'function') {
    checkOptions(kw)
    return callable(a)
  }
  checkOptions(a ?? {})
  return (model: T): T => callable(model)
}

/**
 * A module's state: `Module.load_state_dict` (copying a checkpoint into the parameters and
 * persistent buffers, with PyTorch's error texts) and what it returns, {@link IncompatibleKeys}.
 *
 * @category torch
 * @since 0.1.0
 */
import { no_grad } from '../autograd/grad_mode'
import { RuntimeError } from '../errors'
import { pyTypeName } from '../pyType'
import { Tensor } from '../tensor'
import type { Module, StateDict } from './module'
import { is_lazy } from './uninitialized'

/**
 * What `load_state_dict` returns (PyTorch's `_IncompatibleKeys`): prints
 * `<All keys matched successfully>` when both lists are empty.
 * @category torch @since 0.1.0
 */
export class IncompatibleKeys {
  /** @internal */
  constructor(
    readonly missing_keys: ReadonlyArray<string>,
    readonly unexpected_keys: ReadonlyArray<string>,
  ) {}
  toString(): string {
    if (this.missing_keys.length === 0 && this.unexpected_keys.length === 0) return '<All keys matched successfully>'
    const list = (ks: ReadonlyArray<string>): string => `[${ks.map((k) => `'${k}'`).join(', ')}]`
    return `_IncompatibleKeys(missing_keys=${list(this.missing_keys)}, unexpected_keys=${list(this.unexpected_keys)})`
  }
}

/** A module's own parameters and persistent buffers: what its part of a state dict holds. */
const localState = (mod: Module): Array<[string, Tensor]> => [
  ...mod._own_parameters(),
  ...mod
    ._own_buffers()
    .filter((b) => b[2])
    .map(([k, v]) => [k, v] as [string, Tensor]),
]

/** Copies one checkpoint entry into `param`, or returns the error text. */
const loadOne = (key: string, param: Tensor, input: unknown): string | null => {
  if (!(input instanceof Tensor))
    return `While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyTypeName(input)}`
  // a lazy module's uninitialised parameter takes the checkpoint's shape (PyTorch's _lazy_load_hook)
  if (is_lazy(param) && !is_lazy(input)) no_grad(() => param.materialize(input.shape))
  const a = input.shape
  const b = param.shape
  if (a.length !== b.length || a.some((d, i) => d !== b[i]))
    return `size mismatch for ${key}: copying a param with shape ${String(a)} from checkpoint, the shape in current model is ${String(b)}.`
  no_grad(() => param.copy_(input))
  return null
}

/** `Module.load_state_dict`. */
export const loadStateDict = (
  m: Module,
  state_dict: StateDict | ReadonlyMap<string, Tensor>,
  strict: boolean,
): IncompatibleKeys => {
  const sd: ReadonlyMap<string, unknown> = state_dict instanceof Map ? state_dict : new Map(Object.entries(state_dict))
  const missing: string[] = []
  const errors: string[] = []
  const expected = new Set<string>()
  for (const [prefix, mod] of m.named_modules(new Set(), '', false)) {
    const pre = prefix === '' ? '' : `${prefix}.`
    for (const [name, param] of localState(mod)) {
      const key = pre + name
      expected.add(key)
      if (!sd.has(key)) {
        missing.push(key)
        continue
      }
      const err = loadOne(key, param, sd.get(key))
      if (err !== null) errors.push(err)
    }
  }
  const unexpected = [...sd.keys()].filter((k) => !expected.has(k))
  if (strict) {
    if (unexpected.length > 0)
      errors.unshift(`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}. `)
    if (missing.length > 0) errors.unshift(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}. `)
  }
  if (errors.length > 0)
    throw new RuntimeError(`Error(s) in loading state_dict for ${m._get_name()}:\n\t${errors.join('\n\t')}`)
  return new IncompatibleKeys(missing, unexpected)
}

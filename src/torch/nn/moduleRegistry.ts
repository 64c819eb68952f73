/**
 * The checks of a module's registration methods (`register_parameter`, `register_buffer`,
 * `add_module`): names, the kind of value, and an existing attribute of another kind, with
 * PyTorch's error texts. `./module.ts` calls them before it stores the value.
 *
 * @category torch
 * @since 0.1.0
 */
import { KeyError, TorchTypeError, TorchValueError } from '../errors'
import { pyTypeName } from '../pyType'
import { Tensor } from '../tensor'
import { Parameter } from './parameter'

/** Hides an instance slot from enumeration (so registration scans skip it). */
export const hidden = (o: object, key: string, value: unknown): void => {
  Object.defineProperty(o, key, { value, enumerable: false, writable: true, configurable: true })
}

/** PyTorch's `_addindent`: indents every line but the first. */
export const addIndent = (s: string, n: number): string => s.split('\n').join(`\n${' '.repeat(n)}`)

/** Checks a parameter, buffer or module name. */
export const checkName = (kind: 'parameter' | 'buffer' | 'module', name: unknown): string => {
  if (typeof name !== 'string') throw new TorchTypeError(`${kind} name should be a string. Got ${pyTypeName(name)}`)
  if (kind === 'module') {
    if (name.includes('.')) throw new KeyError(`module name can't contain ".", got: ${name}`)
    if (name === '') throw new KeyError(`module name can't be empty string ""`)
  } else {
    if (name.includes('.')) throw new KeyError(`${kind} name can't contain "."`)
    if (name === '') throw new KeyError(`${kind} name can't be empty string ""`)
  }
  return name
}

/** `register_parameter`'s checks of `name` and `param` against the module's attributes. */
export const checkParameter = (attrs: Record<string, unknown>, name: string, param: Parameter | null): void => {
  checkName('parameter', name)
  if (attrs[name] !== undefined && !(attrs[name] instanceof Parameter) && attrs[name] !== null)
    throw new KeyError(`attribute '${name}' already exists`)
  if (param !== null && !(param instanceof Parameter)) {
    throw new TorchTypeError(
      `cannot assign '${pyTypeName(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`,
    )
  }
  if (param !== null && param.grad_fn !== null) {
    throw new TorchValueError(
      `Cannot assign non-leaf Tensor to parameter '${name}'. Model parameters must be created explicitly. To express '${name}' as a function of another Tensor, compute the value in the forward() method.`,
    )
  }
}

/** `register_buffer`'s checks (`isBuffer`: whether `name` is already one of the module's buffers). */
export const checkBuffer = (
  attrs: Record<string, unknown>,
  isBuffer: boolean,
  name: string,
  tensor: Tensor | null,
): void => {
  checkName('buffer', name)
  if (attrs[name] !== undefined && !isBuffer) throw new KeyError(`attribute '${name}' already exists`)
  if (tensor !== null && !(tensor instanceof Tensor)) {
    throw new TorchTypeError(
      `cannot assign '${pyTypeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`,
    )
  }
}

/**
 * `torch.overrides`: the `__torch_function__` protocol's helpers that ported code calls in its own
 * functions (`if (has_torch_function([x])) return handle_torch_function(f, [x], x)`). A type takes
 * part by a static `__torch_function__(func, types, args, kwargs)` method (Python's classmethod).
 * The facade's own functions do not dispatch to it: listing them (`get_overridable_functions`,
 * `get_ignored_functions`, `get_testing_overrides`) raises a typed "not supported" error.
 *
 * @category torch
 * @since 0.3.0
 */
import { NotImplementedError, TorchTypeError } from './errors'
import { isKwargs } from './isKwargs'
import { markNotSupported } from './notSupported'
import { Tensor } from './tensor'

/** A type's `__torch_function__` (Python: a classmethod). @category torch @since 0.3.0 */
export type TorchFunctionHandler = (
  func: (...args: never[]) => unknown,
  types: ReadonlyArray<Function>,
  args: ReadonlyArray<unknown>,
  kwargs: Readonly<Record<string, unknown>>,
) => unknown

/** Python's `NotImplemented`: a `__torch_function__` returns it to let the next type try. @category torch @since 0.3.0 */
export const NotImplemented: unique symbol = Symbol.for('wengert.torch.NotImplemented') as typeof NotImplemented

/** Depth of default handlers running (PyTorch's DisableTorchFunctionSubclass). */
let disabled = 0

const typeOf = (u: unknown): Function | undefined =>
  typeof u === 'object' && u !== null ? (u as { constructor?: Function }).constructor : undefined

const handlerOf = (type: Function | undefined): TorchFunctionHandler | undefined => {
  const h = (type as { __torch_function__?: unknown } | undefined)?.__torch_function__
  return typeof h === 'function' ? (h as TorchFunctionHandler).bind(type) : undefined
}

/** A tensor of a subclass of Tensor (whose default handler PyTorch's Tensor provides). */
const isSubclassed = (u: unknown): boolean => u instanceof Tensor && typeOf(u) !== Tensor

/** Whether `u` overloads torch functions: a Tensor subclass, or a type with `__torch_function__`. */
const overloads = (u: unknown): boolean =>
  u instanceof Tensor ? disabled === 0 && isSubclassed(u) : handlerOf(typeOf(u)) !== undefined

/**
 * PyTorch's `torch.overrides.has_torch_function(relevant_args)`: whether any argument is a
 * Tensor subclass or of a type with `__torch_function__` (a plain Tensor is not).
 * @category torch @since 0.3.0
 */
export const has_torch_function = (relevant_args: Iterable<unknown>): boolean => {
  for (const u of relevant_args) if (overloads(u)) return true
  return false
}

/** `has_torch_function([a])`. @category torch @since 0.3.0 */
export const has_torch_function_unary = (a: unknown): boolean => overloads(a)

/** `has_torch_function(args)`, the arguments spread. @category torch @since 0.3.0 */
export const has_torch_function_variadic = (...args: ReadonlyArray<unknown>): boolean => has_torch_function(args)

/**
 * PyTorch's `is_tensor_like(inp)`: a Tensor, or a value whose type has `__torch_function__`.
 * @category torch @since 0.3.0
 */
export const is_tensor_like = (inp: unknown): boolean => inp instanceof Tensor || handlerOf(typeOf(inp)) !== undefined

/** The overloading arguments, one per type, a subclass before its base class (else left to right). */
const overloadedArgs = (relevant: Iterable<unknown>): unknown[] => {
  const out: unknown[] = []
  const types: Function[] = []
  for (const u of relevant) {
    const t = typeOf(u)
    if (!overloads(u) || t === undefined || types.includes(t)) continue
    const at = types.findIndex((s) => t.prototype instanceof s)
    if (at < 0) {
      types.push(t)
      out.push(u)
    } else {
      types.splice(at, 0, t)
      out.splice(at, 0, u)
    }
  }
  return out
}

/** Tensor's default handler: `func` run with dispatch to subclasses off (PyTorch's Tensor.__torch_function__). */
const tensorDefault = (
  func: (...args: never[]) => unknown,
  args: ReadonlyArray<unknown>,
  kwargs: Readonly<Record<string, unknown>>,
): unknown => {
  disabled++
  try {
    const call = func as unknown as (...a: unknown[]) => unknown
    return Object.keys(kwargs).length === 0 ? call(...args) : call(...args, kwargs)
  } finally {
    disabled--
  }
}

/**
 * PyTorch's `torch.overrides.handle_torch_function(public_api, relevant_args, *args, **kwargs)`:
 * calls the `__torch_function__` of each overloading type in turn with `(public_api, types,
 * args, kwargs)` (a trailing plain object of `args` is the keywords) and returns the first result
 * that is not {@link NotImplemented}; when every one declines, PyTorch's TypeError. A Tensor
 * subclass without its own handler runs `public_api` with dispatch to subclasses off (the facade
 * returns its results as plain Tensors).
 * @category torch @since 0.3.0
 */
export const handle_torch_function = (
  public_api: (...args: never[]) => unknown,
  relevant_args: Iterable<unknown>,
  ...rest: ReadonlyArray<unknown>
): unknown => {
  const last = rest[rest.length - 1]
  const kw = rest.length > 0 && isKwargs(last) ? (last as Readonly<Record<string, unknown>>) : undefined
  const args = kw === undefined ? rest : rest.slice(0, -1)
  const kwargs = kw ?? {}
  const overloaded = overloadedArgs(relevant_args)
  const types = overloaded.map((u) => typeOf(u) as Function)
  for (const u of overloaded) {
    const handler = handlerOf(typeOf(u))
    const ret =
      handler === undefined ? tensorDefault(public_api, args, kwargs) : handler(public_api, types, args, kwargs)
    if (ret !== NotImplemented) return ret
  }
  throw new TorchTypeError(
    `no implementation found for '${public_api.name}' on types that implement __torch_function__: [${types.map((t) => `<class '${t.name}'>`).join(', ')}]`,
  )
}

const notDispatched = (name: string): (() => never) =>
  markNotSupported((): never => {
    throw new NotImplementedError(
      `torch.overrides.${name}() is not supported: the facade's torch functions and Tensor methods do not dispatch to __torch_function__`,
    )
  })

/** Not supported: the facade's functions do not dispatch to `__torch_function__`. @category torch @since 0.3.0 */
export const get_overridable_functions = notDispatched('get_overridable_functions')
/** Not supported: the facade's functions do not dispatch to `__torch_function__`. @category torch @since 0.3.0 */
export const get_ignored_functions = notDispatched('get_ignored_functions')
/** Not supported: the facade's functions do not dispatch to `__torch_function__`. @category torch @since 0.3.0 */
export const get_testing_overrides = notDispatched('get_testing_overrides')

/**
 * `torch.nn.utils.parametrize`: a module's parameter or buffer computed by a parametrization
 * (`register_parametrization`), with PyTorch's layout: the tensor's own attribute is replaced by a
 * property on an injected class `Parametrized<Class>` whose getter runs
 * `module.parametrizations.<name>` (a `ParametrizationList` holding `original`, or `original0`, …
 * when `right_inverse` returns several tensors), and whose setter runs `right_inverse`. So
 * `state_dict` keys are PyTorch's (`parametrizations.weight.original`).
 *
 * @category torch
 * @since 0.2.0
 */
import { contextManager, runInside, type ContextManager } from '../contextManager'
import { no_grad } from '../autograd/grad_mode'
import { NotImplementedError, TorchTypeError, TorchValueError } from '../errors'
import { isKwargs, parseArgs, pyFunction } from '../kwargs'
import { Tensor } from '../tensor'
import { ModuleDict } from './dicts'
import { Module, pyTypeName } from './module'
import { Parameter } from './parameter'
import { ParametrizationList, registerParamOrBuffer } from './parametrizationList'

export { ParametrizationList } from './parametrizationList'

// -------------------------------------------------------------------------------------
// caching
// -------------------------------------------------------------------------------------

let cacheDepth = 0
const cache = new Map<Module, Map<string, Tensor>>()

const enterCache = (): void => {
  cacheDepth++
}
const exitCache = (): void => {
  cacheDepth--
  if (cacheDepth === 0) cache.clear()
}

/**
 * PyTorch's `parametrize.cached()`: inside it, each parametrized tensor is computed once (on first
 * read) and reused until the outermost `cached` ends. With a callback, runs it and returns its
 * result; without, the context object (`enter()` / `exit()`, decorator form).
 * @example
 * import * as torch from 'wengert/torch'
 * const P = torch.nn.utils.parametrize
 * class Double extends torch.nn.Module {
 *   forward(x: torch.Tensor): torch.Tensor { return x.mul(2) }
 * }
 * const lin = torch.nn.Linear(2, 2)
 * P.register_parametrization(lin, 'weight', new Double())
 * const same = P.cached(() => lin.weight === lin.weight)
 * assert.strictEqual(same, true)
 * assert.strictEqual(lin.weight === lin.weight, false)
 * @category torch @since 0.2.0
 */
export function cached(): ContextManager
export function cached<R>(body: () => R): R
export function cached<R>(body?: () => R): R | ContextManager {
  return body === undefined ? contextManager(enterCache, exitCache) : runInside(enterCache, exitCache, body)
}

// -------------------------------------------------------------------------------------
// the injected class and property
// -------------------------------------------------------------------------------------

type AnyCtor = abstract new (...args: never[]) => Module

/** The module's `parametrizations` ModuleDict, if it has one. */
const dictOf = (module: Module): ModuleDict | undefined => {
  const d = module._attrs()['parametrizations']
  return d instanceof ModuleDict ? (d as ModuleDict) : undefined
}

const listOf = (module: Module, name: string): ParametrizationList =>
  (dictOf(module) as ModuleDict).get(name) as ParametrizationList

/** The parametrized value of `name` on `self` (cached inside `cached()`). */
const parametrizedValue = (self: Module, name: string): Tensor => {
  const plist = listOf(self, name)
  if (cacheDepth === 0) return plist._call_impl([]) as Tensor
  let perModule = cache.get(self)
  if (perModule === undefined) cache.set(self, (perModule = new Map()))
  let t = perModule.get(name)
  if (t === undefined) perModule.set(name, (t = plist._call_impl([]) as Tensor))
  return t
}

/** Gives `module` its own subclass `Parametrized<Class>` (PyTorch's `_inject_new_class`). */
const injectClass = (module: Module): void => {
  const cls = (Object.getPrototypeOf(module) as { constructor: AnyCtor }).constructor
  abstract class Parametrized extends cls {}
  Object.defineProperty(Parametrized, 'name', { value: `Parametrized${cls.name}` })
  Object.setPrototypeOf(module, Parametrized.prototype)
}

/** Puts the property `name` (getter: the parametrization; setter: right_inverse) on the injected class. */
const injectProperty = (module: Module, name: string): void => {
  Object.defineProperty(Object.getPrototypeOf(module) as object, name, {
    configurable: true,
    enumerable: false,
    get(this: Module): Tensor {
      return parametrizedValue(this, name)
    },
    set(this: Module, value: Tensor) {
      listOf(this, name).right_inverse(value)
    },
  })
}

/** Removes the module's parameter or buffer `name` (the attribute and its buffer entry). */
const deleteTensor = (module: Module, name: string): void => {
  delete module._attrs()[name]
  module._buffer_names.delete(name)
}

// -------------------------------------------------------------------------------------
// registering and removing
// -------------------------------------------------------------------------------------

/**
 * Whether `module` has a parametrization on `tensor_name` (or, without a name, on any tensor).
 * @example
 * import * as torch from 'wengert/torch'
 * const P = torch.nn.utils.parametrize
 * const lin = torch.nn.Linear(2, 2)
 * assert.strictEqual(P.is_parametrized(lin), false)
 * torch.nn.utils.parametrizations.spectral_norm(lin)
 * assert.strictEqual(P.is_parametrized(lin, 'weight'), true)
 * assert.strictEqual(P.is_parametrized(lin, 'bias'), false)
 * @category torch @since 0.2.0
 */
export const is_parametrized = pyFunction(
  'is_parametrized',
  ['module', 'tensor_name'],
  1,
  (module: Module, tensor_name: string | null = null): boolean => {
    const d = dictOf(module)
    if (d === undefined) return false
    return tensor_name === null ? d.length > 0 : d.has(tensor_name)
  },
)

/** Positional names, then keyword-only names (Python's `*`): too many positionals raise Python's TypeError. */
export const parseKwOnly = (
  fn: string,
  args: ReadonlyArray<unknown>,
  positional: ReadonlyArray<string>,
  kwOnly: ReadonlyArray<string>,
): Record<string, unknown> => {
  const npos = args.length > 0 && isKwargs(args[args.length - 1]) ? args.length - 1 : args.length
  if (npos > positional.length)
    throw new TorchTypeError(`${fn}() takes ${positional.length} positional arguments but ${npos} were given`)
  return parseArgs(fn, args, [...positional, ...kwOnly])
}

/** The checks of a parametrization added on top of existing ones (not unsafe). */
const checkStacked = (module: Module, name: string, p: Parametrization): void => {
  const y = (module as unknown as Record<string, Tensor>)[name] as Tensor
  const x: unknown = p._call_impl([y])
  if (!(x instanceof Tensor)) throw new TorchValueError(`A parametrization must return a tensor. Got ${pyTypeName(x)}.`)
  const what = (k: string, a: unknown, b: unknown, second: string): string =>
    `\nmodule.${name}.${k}: ${a}\n${second}.${k}: ${b}`
  if (x.dtype !== y.dtype)
    throw new TorchValueError(
      `Registering a parametrization may not change the dtype of the tensor, unless the \`unsafe\` flag is enabled.${what('dtype', y.dtype, x.dtype, `parametrization(module.${name})`)}`,
    )
  if (String(x.shape) !== String(y.shape))
    throw new TorchValueError(
      `Registering a parametrization may not change the shape of the tensor, unless the \`unsafe\` flag is enabled.${what('shape', y.shape, x.shape, `parametrization(module.${name})`)}`,
    )
  if (typeof p.right_inverse !== 'function') return
  let z: unknown
  try {
    z = p.right_inverse(x)
  } catch (e) {
    if (e instanceof NotImplementedError) return
    throw e
  }
  if (!(z instanceof Tensor))
    throw new TorchValueError(`parametrization.right_inverse must return a tensor. Got: ${pyTypeName(z)}`)
  const head = `The tensor returned by parametrization.right_inverse must have the same`
  if (z.dtype !== y.dtype)
    throw new TorchValueError(
      `${head} dtype as module.${name}, unless the \`unsafe\` flag is enabled.\nmodule.${name}.dtype: ${y.dtype}\nreturned dtype: ${z.dtype}`,
    )
  if (String(z.shape) !== String(y.shape))
    throw new TorchValueError(
      `${head} shape as module.${name}, unless the \`unsafe\` flag is enabled.\nmodule.${name}.shape: ${y.shape}\nreturned shape: ${z.shape}`,
    )
}

/** A parametrization module: `forward(x)` (or `forward(x0, x1, …)`), optional `right_inverse`. @category torch @since 0.2.0 */
export type Parametrization = Module & { right_inverse?: (x: Tensor) => Tensor | ReadonlyArray<Tensor> }

/** Wraps the parameter or buffer `name` of `module` in a new ParametrizationList. */
const parametrizeFirst = (module: Module, name: string, p: Parametrization, unsafe: boolean): void => {
  const original = module._attrs()[name] as Tensor
  const saved = original.data
  let plist: ParametrizationList
  try {
    plist = new ParametrizationList([p], original, unsafe)
  } catch (e) {
    original.data = saved
    throw e
  }
  deleteTensor(module, name)
  if (!is_parametrized(module)) {
    injectClass(module)
    module.add_module('parametrizations', new ModuleDict())
  }
  injectProperty(module, name)
  ;(dictOf(module) as ModuleDict).set(name, plist)
}

/**
 * PyTorch's `register_parametrization(module, tensor_name, parametrization, *, unsafe=False)`:
 * from now on `module[tensor_name]` is `parametrization(original)`, where `original` (at
 * `module.parametrizations[tensor_name].original`) is the former parameter or buffer passed
 * through `parametrization.right_inverse` when it has one. Registering on an already
 * parametrized tensor chains the new parametrization after the others. Unless `unsafe`, the
 * parametrization may not change the tensor's shape or dtype. Returns the module.
 * @example
 * import * as torch from 'wengert/torch'
 * class Symmetric extends torch.nn.Module {
 *   forward(x: torch.Tensor): torch.Tensor { return x.triu().add(x.triu(1).mT) }
 * }
 * const lin = torch.nn.Linear(3, 3)
 * torch.nn.utils.parametrize.register_parametrization(lin, 'weight', new Symmetric())
 * assert.ok(lin.weight.allclose(lin.weight.T))
 * assert.deepStrictEqual(Object.keys(lin.state_dict()), ['bias', 'parametrizations.weight.original'])
 * assert.strictEqual(lin._get_name(), 'ParametrizedLinear')
 * @category torch @since 0.2.0
 */
export const register_parametrization = <M extends Module>(
  ...args: [module: M, tensor_name: string, parametrization: Parametrization, kwargs?: { readonly unsafe?: boolean }]
): M => {
  const a = parseKwOnly('register_parametrization', args, ['module', 'tensor_name', 'parametrization'], ['unsafe'])
  const module = a.module as M
  const name = a.tensor_name as string
  const p = a.parametrization as Parametrization
  const unsafe = (a.unsafe as boolean | undefined) ?? false
  if (!(p instanceof Module))
    throw new TorchTypeError(`register_parametrization(): parametrization must be a Module, got ${pyTypeName(p)}`)
  p.train(module.training)
  if (is_parametrized(module, name)) {
    if (!unsafe) checkStacked(module, name, p)
    const plist = listOf(module, name)
    plist.append(p)
    plist.unsafe = plist.unsafe || unsafe
  } else if (module._attrs()[name] instanceof Tensor && Object.prototype.hasOwnProperty.call(module, name)) {
    parametrizeFirst(module, name, p, unsafe)
  } else {
    throw new TorchValueError(
      `Module '${String(module)}' does not have a parameter, a buffer, or a parametrized element with name '${name}'`,
    )
  }
  return module
}

/**
 * PyTorch's `remove_parametrizations(module, tensor_name, leave_parametrized=True)`: makes
 * `tensor_name` a plain parameter (or buffer) again, holding the parametrized value
 * (`leave_parametrized`) or the original one. Returns the module.
 * @example
 * import * as torch from 'wengert/torch'
 * const P = torch.nn.utils.parametrize
 * class Double extends torch.nn.Module {
 *   forward(x: torch.Tensor): torch.Tensor { return x.mul(2) }
 * }
 * const lin = torch.nn.Linear(2, 2)
 * const w = lin.weight.detach().clone()
 * P.register_parametrization(lin, 'weight', new Double())
 * P.remove_parametrizations(lin, 'weight')
 * assert.ok(lin.weight.equal(w.mul(2)))
 * assert.ok(lin.weight instanceof torch.nn.Parameter)
 * assert.strictEqual(lin._get_name(), 'Linear')
 * @category torch @since 0.2.0
 */
export const remove_parametrizations = <M extends Module>(
  ...args:
    | [module: M, tensor_name: string, leave_parametrized?: boolean]
    | [M, string, boolean, { readonly leave_parametrized?: boolean }]
    | [M, string, { readonly leave_parametrized?: boolean }]
): M => {
  const a = parseArgs('remove_parametrizations', args, ['module', 'tensor_name', 'leave_parametrized'])
  const module = a.module as M
  const name = a.tensor_name as string
  const leave = (a.leave_parametrized as boolean | undefined) ?? true
  if (!is_parametrized(module, name))
    throw new TorchValueError(`Module ${String(module)} does not have a parametrization on ${name}`)
  const plist = listOf(module, name)
  let original: Tensor
  if (plist.is_tensor) {
    original = plist._original()
    if (leave) {
      const t = no_grad(() => parametrizedValue(module, name))
      no_grad(() => (original.data = t))
    }
  } else {
    if (!leave)
      throw new TorchValueError(
        'Cannot leave unparametrized (`leave_parametrized=False`) a tensor that is parametrized in terms of a sequence of tensors.',
      )
    const t = parametrizedValue(module, name)
    original = t.requires_grad ? new Parameter(t) : t
  }
  const proto = Object.getPrototypeOf(module) as Record<string, unknown>
  delete proto[name]
  ;(dictOf(module) as ModuleDict).pop(name)
  registerParamOrBuffer(module, name, original)
  if (!is_parametrized(module)) {
    delete module._attrs()['parametrizations']
    Object.setPrototypeOf(module, Object.getPrototypeOf(proto) as object)
  }
  return module
}

/**
 * The class a module had before its first parametrization (its own class if it has none).
 * @example
 * import * as torch from 'wengert/torch'
 * const lin = torch.nn.utils.parametrizations.spectral_norm(torch.nn.Linear(2, 2))
 * assert.strictEqual(torch.nn.utils.parametrize.type_before_parametrizations(lin).name, 'Linear')
 * @category torch @since 0.2.0
 */
export const type_before_parametrizations = pyFunction(
  'type_before_parametrizations',
  ['module'],
  1,
  (module: Module): AnyCtor => {
    const proto = Object.getPrototypeOf(module) as object
    const own = is_parametrized(module) ? (Object.getPrototypeOf(proto) as object) : proto
    return (own as { constructor: AnyCtor }).constructor
  },
)

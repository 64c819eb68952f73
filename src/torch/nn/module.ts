/**
 * `nn.Module`, the base class of layers and models.
 *
 * Registration: a Module's parameters and submodules are its own enumerable properties holding a
 * `Parameter` or a `Module`, found by scanning the object (in property order, which is the order
 * of assignment — so `state_dict()` keys come out in PyTorch's order). Class fields
 * (`fc = nn.Linear(2, 3)`) and assignments in the constructor (`this.fc = …`) both register,
 * with no Proxy and no setter. Buffers are named explicitly by `register_buffer` (a plain Tensor
 * property is an attribute, not state, as in PyTorch).
 *
 * Calling: `model(x)` is PyTorch's `model(x)` (runs forward pre-hooks, forward, forward hooks);
 * `model.call(x)` is the same, `model.forward(x)` runs forward only. An instance IS a function:
 * the constructor returns an arrow function whose prototype is the class's prototype, so
 * `instanceof`, `this`, class fields and `class Net extends nn.Module` behave as for a plain
 * object. Its type is callable through an interface merged with the class whose call signature
 * reads the polymorphic `this` type's `forward`, so `net(x)` takes and returns what `Net.forward`
 * does. `Module.prototype` inherits from `Function.prototype` (so what the type promises of a
 * function — `bind`, `name`, `length` — exists); Module's own `call` and `apply` shadow Function's.
 *
 * @category torch
 * @since 0.1.0
 */
import { checkDevice, CPU, parseTo, targetDevice, type device, type ToArg } from '../device'
import { moveModule, replaceAll, toEmpty } from './moduleDevice'
import { cast } from '../../core/lax'
import { no_grad } from '../autograd/grad_mode'
import { RemovableHandle } from '../autograd/node'
import { float32, float64 } from '../dtype'
import { AttributeError, KeyError, NotImplementedError, RuntimeError, TorchTypeError, TorchValueError } from '../errors'
import { checkOptions } from '../../internal/options'
import { isKwargs, parseArgs } from '../kwargs'
import { Tensor } from '../tensor'
import { pyTypeName } from '../pyType'
import { warn } from '../warnings'
import { Parameter } from './parameter'
import { is_lazy } from './uninitialized'
import {
  BackwardHook,
  setupNonFullHooks,
  warnNonTensorOutput,
  type ModuleBackwardHook,
  type ModuleBackwardPreHook,
} from './backwardHook'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A forward hook: `(module, args, output) => replacement output | undefined`. @category torch @since 0.1.0 */
export type ForwardHook<M extends Module = Module> = (
  module: M,
  args: ReadonlyArray<unknown>,
  output: unknown,
) => unknown

/** A forward pre-hook: `(module, args) => replacement args (array, or a single value) | undefined`. @category torch @since 0.1.0 */
export type ForwardPreHook<M extends Module = Module> = (module: M, args: ReadonlyArray<unknown>) => unknown

/** A module's state: qualified names (`fc.weight`) to tensors, in registration order. @category torch @since 0.1.0 */
export type StateDict = Record<string, Tensor>

/** A forward hook registered `with_kwargs`: `(module, args, kwargs, output)`. @category torch @since 0.2.0 */
export type ForwardHookWithKwargs<M extends Module = Module> = (
  module: M,
  args: ReadonlyArray<unknown>,
  kwargs: Record<string, unknown>,
  output: unknown,
) => unknown

/** A forward pre-hook registered `with_kwargs`: returns `[args, kwargs]` or undefined. @category torch @since 0.2.0 */
export type ForwardPreHookWithKwargs<M extends Module = Module> = (
  module: M,
  args: ReadonlyArray<unknown>,
  kwargs: Record<string, unknown>,
) => readonly [ReadonlyArray<unknown>, Record<string, unknown>] | undefined | null

/** Splits a call's arguments into positional ones and the trailing keyword object. */
const splitKwargs = (args: ReadonlyArray<unknown>): [unknown[], Record<string, unknown>] => {
  const last = args[args.length - 1]
  return args.length > 0 && isKwargs(last) ? [args.slice(0, -1), last] : [[...args], {}]
}

/** Adds a hook to a list (first with `prepend`) and returns its handle. */
const addHook = (list: unknown[], hook: unknown, prepend: boolean): RemovableHandle => {
  if (prepend) list.unshift(hook)
  else list.push(hook)
  return new RemovableHandle(list, hook)
}

const MIXED_BACKWARD_HOOKS =
  'Cannot use both regular backward hooks and full backward hooks on a single Module. Please use only one of them.'

/** Any `forward` signature. */
type AnyForward = (...args: never[]) => unknown

/** A Module that defines `forward`. */
type WithForward = Module & { forward: AnyForward }

/** The `forward` type of a module type, or `AnyForward` when it has none (a bare `Module`). */
type ForwardOf<T> = T extends { forward: infer F extends AnyForward } ? F : AnyForward

/**
 * The handle a module hook registration returns: `torch.utils.hooks.RemovableHandle`, as in
 * PyTorch (this older name is kept as an alias). @category torch @since 0.1.0
 */
export const HookHandle = RemovableHandle
/** A module hook's handle: {@link RemovableHandle}. @category torch @since 0.1.0 */
export type HookHandle = RemovableHandle

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

const hidden = (o: object, key: string, value: unknown): void => {
  Object.defineProperty(o, key, { value, enumerable: false, writable: true, configurable: true })
}

/** PyTorch's `_addindent`: indents every line but the first. */
const addIndent = (s: string, n: number): string => s.split('\n').join(`\n${' '.repeat(n)}`)

export { pyTypeName }

const checkName = (kind: 'parameter' | 'buffer' | 'module', name: unknown): string => {
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

// -------------------------------------------------------------------------------------
// the class
// -------------------------------------------------------------------------------------

/**
 * Base class of all layers and models (PyTorch's `torch.nn.Module`). Subclass it, assign
 * layers and parameters as properties, define `forward`, and call the model with `call`.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const { nn } = torch
 * class Model extends nn.Module {
 *   line_layer = nn.Linear(1, 3)
 *   forward(x: torch.Tensor): torch.Tensor {
 *     return this.line_layer.call(x)
 *   }
 * }
 * const model = new Model()
 * assert.deepStrictEqual([...model.named_parameters()].map(([k]) => k), ['line_layer.weight', 'line_layer.bias'])
 * const y = model.call(torch.randn(2, 1))
 * assert.strictEqual(String(y.shape), 'torch.Size([2, 3])')
 * @category torch
 * @since 0.1.0
 */
export interface Module {
  /** PyTorch's `module(...args)`: the same as `call` (hooks, then `forward`), typed as the subclass's `forward`. */
  (...args: Parameters<ForwardOf<this>>): ReturnType<ForwardOf<this>>
}
export class Module {
  /** True in training mode (set by `train()` / `eval()`). */
  declare training: boolean
  /** @internal Buffer names → persistent. */
  declare readonly _buffer_names: Map<string, boolean>
  /** @internal */
  declare readonly _forward_hooks: ForwardHook[]
  /** @internal */
  declare readonly _forward_pre_hooks: ForwardPreHook[]
  /** @internal Full or deprecated backward hooks (which: `_is_full_backward_hook`). */
  declare readonly _backward_hooks: Array<ModuleBackwardHook<Module>>
  /** @internal */
  declare readonly _backward_pre_hooks: Array<ModuleBackwardPreHook<Module>>
  /** @internal True once a full backward hook was registered, false for a deprecated one, else null. */
  declare _is_full_backward_hook: boolean | null

  constructor() {
    // The instance is a function calling `_call_impl`; its own `length`/`name` are removed so
    // they neither shadow prototype members (Sequential's `length`) nor read as attributes.
    const self = ((...args: unknown[]): unknown => self._call_impl(args)) as unknown as Module
    delete (self as { length?: number }).length
    delete (self as { name?: string }).name
    Object.setPrototypeOf(self, new.target.prototype)
    self.training = true
    hidden(self, '_buffer_names', new Map<string, boolean>())
    hidden(self, '_forward_hooks', [])
    hidden(self, '_forward_pre_hooks', [])
    hidden(self, '_backward_hooks', [])
    hidden(self, '_backward_pre_hooks', [])
    hidden(self, '_is_full_backward_hook', null)
    return self
  }

  // -----------------------------------------------------------------------------------
  // calling
  // -----------------------------------------------------------------------------------

  /**
   * PyTorch's `module(...args)`: runs the forward pre-hooks, `forward`, then the forward hooks
   * (a hook's non-undefined result replaces the output). Typed as the subclass's `forward`.
   */
  call<M extends WithForward>(this: M, ...args: Parameters<M['forward']>): ReturnType<M['forward']> {
    return this._call_impl(args) as ReturnType<M['forward']>
  }

  /** @internal `call` for modules whose forward type is unknown (containers). */
  _call_impl(args: ReadonlyArray<unknown>): unknown {
    const fwd = (this as { forward?: unknown }).forward
    if (typeof fwd !== 'function')
      throw new NotImplementedError(`Module [${this._get_name()}] is missing the required "forward" function`)
    let input = args
    for (const hook of [...this._forward_pre_hooks]) {
      const r = hook(this, input)
      if (r !== undefined) input = Array.isArray(r) ? r : [r]
    }
    const full = this._is_full_backward_hook === true ? [...this._backward_hooks] : []
    const pre = [...this._backward_pre_hooks]
    const bwHook = full.length > 0 || pre.length > 0 ? new BackwardHook<Module>(this, full, pre) : null
    if (bwHook !== null) {
      // only positional arguments are hooked (a trailing kwargs object passes unchanged)
      const [pos, kw] = splitKwargs(input)
      const hooked = bwHook.setupInputHook(pos)
      input = input.length > pos.length ? [...hooked, kw] : hooked
    }
    let out = (fwd as (...a: unknown[]) => unknown).apply(this, [...input])
    for (const hook of [...this._forward_hooks]) {
      const r = hook(this, input, out)
      if (r !== undefined) out = r
    }
    if (bwHook !== null) {
      warnNonTensorOutput(out)
      out = bwHook.setupOutputHook(out)
    }
    if (this._is_full_backward_hook === false && this._backward_hooks.length > 0)
      setupNonFullHooks<Module>(this, [...this._backward_hooks], splitKwargs(input)[0], out)
    return out
  }

  /**
   * Registers `hook(module, args, output)`, run after every call; a non-undefined result replaces
   * the output. With `with_kwargs` the hook is `hook(module, args, kwargs, output)` (kwargs: the
   * trailing options object, `{}` when none). Returns a removable handle.
   */
  register_forward_hook<M extends Module>(
    this: M,
    hook: ForwardHook<M>,
    opts?: { readonly prepend?: boolean; readonly with_kwargs?: false },
  ): RemovableHandle
  register_forward_hook<M extends Module>(
    this: M,
    hook: ForwardHookWithKwargs<M>,
    opts: { readonly prepend?: boolean; readonly with_kwargs: true },
  ): RemovableHandle
  register_forward_hook<M extends Module>(
    this: M,
    hook: ForwardHook<M> | ForwardHookWithKwargs<M>,
    opts: { readonly prepend?: boolean; readonly with_kwargs?: boolean } = {},
  ): RemovableHandle {
    checkOptions('register_forward_hook', opts, ['prepend', 'with_kwargs'])
    const fn: ForwardHook<M> = opts.with_kwargs
      ? (m, args, out) => {
          const [pos, kw] = splitKwargs(args)
          return (hook as ForwardHookWithKwargs<M>)(m, pos, kw, out)
        }
      : (hook as ForwardHook<M>)
    return addHook(this._forward_hooks, fn, opts.prepend ?? false)
  }

  /**
   * Registers `hook(module, args)`, run before every `forward` in a call; it may return new args
   * (an array, or a single value). With `with_kwargs`: `hook(module, args, kwargs)` returning
   * `undefined` or `[args, kwargs]`.
   */
  register_forward_pre_hook<M extends Module>(
    this: M,
    hook: ForwardPreHook<M>,
    opts?: { readonly prepend?: boolean; readonly with_kwargs?: false },
  ): RemovableHandle
  register_forward_pre_hook<M extends Module>(
    this: M,
    hook: ForwardPreHookWithKwargs<M>,
    opts: { readonly prepend?: boolean; readonly with_kwargs: true },
  ): RemovableHandle
  register_forward_pre_hook<M extends Module>(
    this: M,
    hook: ForwardPreHook<M> | ForwardPreHookWithKwargs<M>,
    opts: { readonly prepend?: boolean; readonly with_kwargs?: boolean } = {},
  ): RemovableHandle {
    checkOptions('register_forward_pre_hook', opts, ['prepend', 'with_kwargs'])
    const fn: ForwardPreHook<M> = opts.with_kwargs
      ? (m, args) => {
          const [pos, kw] = splitKwargs(args)
          const r = (hook as ForwardPreHookWithKwargs<M>)(m, pos, kw)
          if (r === undefined || r === null) return undefined
          if (!Array.isArray(r) || r.length !== 2 || !Array.isArray(r[0]))
            throw new RuntimeError(
              `forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got ${String(r)}.`,
            )
          const [a, k] = r as [unknown[], Record<string, unknown>]
          return Object.keys(k).length > 0 ? [...a, k] : [...a]
        }
      : (hook as ForwardPreHook<M>)
    return addHook(this._forward_pre_hooks, fn, opts.prepend ?? false)
  }

  /**
   * Registers `hook(module, grad_input, grad_output)`, called in backward once the gradients with
   * respect to this call's positional tensor arguments are computed (`grad_input`: one entry per
   * argument, null for non-tensor ones; `grad_output`: one per output, null where no gradient
   * arrived). A returned array replaces `grad_input`. If no argument requires grad, the hook runs
   * when the outputs' gradients are known, with `grad_input` all null (and may not replace it).
   * The forward's arguments and outputs are views: in-place ops on them raise, as in PyTorch.
   *
   * @example
   * import * as torch from 'wengert/torch'
   * const lin = torch.nn.Linear(2, 1)
   * const seen: number[][] = []
   * lin.register_full_backward_hook((_m, grad_input, grad_output) => {
   *   seen.push([...grad_input[0]!.shape], [...grad_output[0]!.shape])
   *   return [grad_input[0]!.mul(0)]
   * })
   * const x = torch.ones(3, 2, { requires_grad: true })
   * lin(x).sum().backward()
   * assert.deepStrictEqual(seen, [[3, 2], [3, 1]])
   * // zeroed by the hook (−0 where the random weight is negative, as in PyTorch)
   * assert.ok(x.grad!.eq(0).all().item())
   */
  register_full_backward_hook<M extends Module>(
    this: M,
    hook: ModuleBackwardHook<M>,
    opts: { readonly prepend?: boolean } = {},
  ): RemovableHandle {
    checkOptions('register_full_backward_hook', opts, ['prepend'])
    if (this._is_full_backward_hook === false) throw new RuntimeError(MIXED_BACKWARD_HOOKS)
    this._is_full_backward_hook = true
    return addHook(this._backward_hooks, hook, opts.prepend ?? false)
  }

  /**
   * Registers `hook(module, grad_output)`, called in backward when the gradients with respect to
   * this call's outputs are known, before the module's own backward; a returned array (one entry
   * per output) replaces `grad_output`.
   */
  register_full_backward_pre_hook<M extends Module>(
    this: M,
    hook: ModuleBackwardPreHook<M>,
    opts: { readonly prepend?: boolean } = {},
  ): RemovableHandle {
    checkOptions('register_full_backward_pre_hook', opts, ['prepend'])
    return addHook(this._backward_pre_hooks, hook, opts.prepend ?? false)
  }

  /**
   * Deprecated (use {@link Module.register_full_backward_hook}): `hook(module, grad_input,
   * grad_output)` on the node producing the output's first tensor, seeing that node's gradients;
   * PyTorch's warnings are emitted when those are not the module's.
   */
  register_backward_hook<M extends Module>(this: M, hook: ModuleBackwardHook<M>): RemovableHandle {
    if (this._is_full_backward_hook === true) throw new RuntimeError(MIXED_BACKWARD_HOOKS)
    this._is_full_backward_hook = false
    return addHook(this._backward_hooks, hook, false)
  }

  // -----------------------------------------------------------------------------------
  // registration
  // -----------------------------------------------------------------------------------

  /** @internal This module's own property bag. */
  _attrs(): Record<string, unknown> {
    return this as unknown as Record<string, unknown>
  }

  /** Registers (or replaces) a parameter under `name`; `null` registers an absent parameter. */
  register_parameter(name: string, param: Parameter | null): void {
    checkName('parameter', name)
    const attrs = this._attrs()
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
    attrs[name] = param
  }

  /** Registers a buffer: state that is not a parameter (saved in `state_dict` when persistent). */
  register_buffer(name: string, tensor: Tensor | null, persistent = true): void {
    checkName('buffer', name)
    const attrs = this._attrs()
    if (attrs[name] !== undefined && !this._buffer_names.has(name))
      throw new KeyError(`attribute '${name}' already exists`)
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TorchTypeError(
        `cannot assign '${pyTypeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`,
      )
    }
    this._buffer_names.set(name, persistent)
    attrs[name] = tensor
  }

  /** Adds a child module under `name` (same as assigning `this[name] = module`). */
  add_module(name: string, module: Module | null): void {
    if (module !== null && !(module instanceof Module))
      throw new TorchTypeError(`${pyTypeName(module)} is not a Module subclass`)
    checkName('module', name)
    const attrs = this._attrs()
    if (attrs[name] !== undefined && !(attrs[name] instanceof Module) && attrs[name] !== null)
      throw new KeyError(`attribute '${name}' already exists`)
    attrs[name] = module
  }

  /** Alias of `add_module`. */
  register_module(name: string, module: Module | null): void {
    this.add_module(name, module)
  }

  /** The submodule at a dotted path (`'encoder.fc'`); `''` is this module. */
  get_submodule(target: string): Module {
    if (target === '') return this
    let mod: Module = this
    for (const item of target.split('.')) {
      const next = Object.prototype.hasOwnProperty.call(mod, item) ? mod._attrs()[item] : undefined
      if (next === undefined) throw new AttributeError(`${mod._get_name()} has no attribute \`${item}\``)
      if (!(next instanceof Module)) throw new AttributeError(`\`${item}\` is not an nn.Module`)
      mod = next
    }
    return mod
  }

  /** The parameter at a dotted path (`'fc.weight'`). */
  get_parameter(target: string): Parameter {
    const [mod, name] = this._owner_of(target)
    const p = Object.prototype.hasOwnProperty.call(mod, name) ? mod._attrs()[name] : undefined
    if (p === undefined) throw new AttributeError(`${mod._get_name()} has no attribute \`${name}\``)
    if (!(p instanceof Parameter)) throw new AttributeError(`\`${name}\` is not an nn.Parameter`)
    return p
  }

  /** The buffer at a dotted path (`'bn.running_mean'`). */
  get_buffer(target: string): Tensor {
    const [mod, name] = this._owner_of(target)
    const b = Object.prototype.hasOwnProperty.call(mod, name) ? mod._attrs()[name] : undefined
    if (b === undefined) throw new AttributeError(`${mod._get_name()} has no attribute \`${name}\``)
    if (!mod._buffer_names.has(name) || !(b instanceof Tensor)) throw new AttributeError(`\`${name}\` is not a buffer`)
    return b
  }

  /** @internal The module owning the last name of a dotted path, and that name. */
  _owner_of(target: string): [Module, string] {
    const i = target.lastIndexOf('.')
    return i < 0 ? [this, target] : [this.get_submodule(target.slice(0, i)), target.slice(i + 1)]
  }

  // -----------------------------------------------------------------------------------
  // traversal
  // -----------------------------------------------------------------------------------

  /** @internal This module's own parameters (not submodules'), null ones included. */
  _own_parameters(): Array<[string, Parameter]> {
    return Object.entries(this._attrs()).filter((e): e is [string, Parameter] => e[1] instanceof Parameter)
  }

  /** @internal This module's own buffers (non-null). */
  _own_buffers(): Array<[string, Tensor, boolean]> {
    const out: Array<[string, Tensor, boolean]> = []
    for (const [k, persistent] of this._buffer_names) {
      const v = this._attrs()[k]
      if (v instanceof Tensor) out.push([k, v, persistent])
    }
    return out
  }

  /** Direct children with their names. */
  *named_children(): Generator<[string, Module]> {
    const seen = new Set<Module>()
    for (const [k, v] of Object.entries(this._attrs())) {
      if (v instanceof Module && !seen.has(v)) {
        seen.add(v)
        yield [k, v]
      }
    }
  }

  /** Direct children. */
  *children(): Generator<Module> {
    for (const [, m] of this.named_children()) yield m
  }

  /** This module and all submodules (depth first), with dotted names; each module once by default. */
  *named_modules(memo: Set<Module> = new Set(), prefix = '', remove_duplicate = true): Generator<[string, Module]> {
    if (remove_duplicate) {
      if (memo.has(this)) return
      memo.add(this)
    }
    yield [prefix, this]
    for (const [name, child] of Object.entries(this._attrs())) {
      if (!(child instanceof Module)) continue
      yield* child.named_modules(memo, prefix === '' ? name : `${prefix}.${name}`, remove_duplicate)
    }
  }

  /** This module and all submodules. */
  *modules(): Generator<Module> {
    for (const [, m] of this.named_modules()) yield m
  }

  /** @internal Named members of each module, deduplicated by identity. */
  *_named_members<T>(
    get: (m: Module) => Iterable<[string, T]>,
    prefix: string,
    recurse: boolean,
    remove_duplicate: boolean,
  ): Generator<[string, T]> {
    const seen = new Set<T>()
    const mods: Iterable<[string, Module]> = recurse
      ? this.named_modules(new Set(), prefix, remove_duplicate)
      : [[prefix, this]]
    for (const [modPrefix, mod] of mods) {
      for (const [k, v] of get(mod)) {
        if (remove_duplicate) {
          if (seen.has(v)) continue
          seen.add(v)
        }
        yield [modPrefix === '' ? k : `${modPrefix}.${k}`, v]
      }
    }
  }

  /** Parameters with dotted names (`fc.weight`), each once; `recurse: false` gives only this module's own. */
  named_parameters(prefix = '', recurse = true, remove_duplicate = true): Generator<[string, Parameter]> {
    return this._named_members((m) => m._own_parameters(), prefix, recurse, remove_duplicate)
  }

  /** The parameters (as PyTorch, a generator: iterate it once, or spread it into an array). */
  *parameters(recurse = true): Generator<Parameter> {
    for (const [, p] of this.named_parameters('', recurse)) yield p
  }

  /** Buffers with dotted names. */
  named_buffers(prefix = '', recurse = true, remove_duplicate = true): Generator<[string, Tensor]> {
    return this._named_members(
      (m) => m._own_buffers().map(([k, v]) => [k, v] as [string, Tensor]),
      prefix,
      recurse,
      remove_duplicate,
    )
  }

  /** The buffers. */
  *buffers(recurse = true): Generator<Tensor> {
    for (const [, b] of this.named_buffers('', recurse)) yield b
  }

  /** Calls `fn` on every submodule (children first) and then on this module; returns this. */
  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn)
    fn(this)
    return this
  }

  // -----------------------------------------------------------------------------------
  // modes and gradients
  // -----------------------------------------------------------------------------------

  /** Sets training mode on this module and all submodules (affects Dropout and the like). */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TorchValueError('training mode is expected to be boolean')
    this.training = mode
    for (const child of this.children()) child.train(mode)
    return this
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false)
  }

  /** Sets `requires_grad` on every parameter (freezing with `false`); returns this. */
  requires_grad_(requires_grad = true): this {
    for (const p of this.parameters()) p.requires_grad_(requires_grad)
    return this
  }

  /** Resets the parameters' gradients: to null (default), or to zeros with `set_to_none = false` (or `{ set_to_none: false }`). */
  zero_grad(set_to_none: boolean | { readonly set_to_none?: boolean } = true): void {
    const toNone = setToNone('zero_grad', set_to_none)
    for (const p of this.parameters()) zeroGrad(p, toNone)
  }

  // -----------------------------------------------------------------------------------
  // dtype
  // -----------------------------------------------------------------------------------

  /**
   * Converts floating-point parameters and buffers to a dtype in place (`param.data` is
   * replaced, so the Parameter objects — and optimizers holding them — stay the same):
   * `to(torch.float64)`, `to({ dtype })`. Devices (`'cpu'`, `torch.device('cpu')`,
   * `{ device }`) must be the CPU or the meta device (see `moveModule`): CUDA raises PyTorch's
   * AssertionError.
   */
  to(...args: ReadonlyArray<ToArg>): this {
    const r = parseTo('Module.to', args)
    if (r.device !== undefined) moveModule([...this.modules()], r.device)
    const dtype = r.dtype
    if (dtype === undefined) return this
    if (!dtype.is_floating_point) {
      throw new TorchTypeError(
        `nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${dtype}`,
      )
    }
    const d = dtype
    const conv = (t: Tensor): Tensor => (t.is_floating_point() ? Tensor._fromValue(cast(t._value(), d.storage)) : t)
    replaceAll(this.modules(), conv)
    return this
  }

  /** Itself on the CPU (a module with meta tensors raises: they have no data). */
  cpu(): this {
    moveModule([...this.modules()], CPU)
    return this
  }

  /**
   * PyTorch's `to_empty(*, device, recurse=True)`: every parameter and buffer replaced by one of
   * the same shape and dtype on `device`, contents unspecified (zeros here): how a model built on
   * the meta device gets storage before its weights are loaded or initialised.
   */
  to_empty(kw: { readonly device: string | device | null; readonly recurse?: boolean }): this {
    const o = checkOptions('to_empty', kw, ['device', 'recurse'])
    if (!('device' in o))
      throw new TorchTypeError("Module.to_empty() missing 1 required keyword-only argument: 'device'")
    const d = o.device === null || o.device === undefined ? CPU : targetDevice(o.device)
    toEmpty(o.recurse === false ? [this] : this.modules(), d)
    return this
  }

  /** Raises PyTorch's `AssertionError: Torch not compiled with CUDA enabled`. */
  cuda(_device?: number | string | device): this {
    checkDevice('cuda')
    return this
  }

  /** Casts floating-point parameters and buffers to float64. */
  double(): this {
    return this.to(float64)
  }

  /** Casts floating-point parameters and buffers to float32. */
  float(): this {
    return this.to(float32)
  }

  // -----------------------------------------------------------------------------------
  // state
  // -----------------------------------------------------------------------------------

  /**
   * Parameters and persistent buffers by qualified name (detached, sharing storage; with
   * `keep_vars` the Parameter objects themselves).
   */
  state_dict(
    opts: { readonly prefix?: string; readonly keep_vars?: boolean; readonly destination?: StateDict } = {},
  ): StateDict {
    const dest: StateDict = opts.destination ?? {}
    const prefix = opts.prefix ?? ''
    const keep = opts.keep_vars ?? false
    // uninitialised (lazy) parameters and buffers are saved as they are, as PyTorch's lazy modules do
    for (const [k, p] of this._own_parameters()) dest[prefix + k] = keep || is_lazy(p) ? p : p.detach()
    for (const [k, b, persistent] of this._own_buffers())
      if (persistent) dest[prefix + k] = keep || is_lazy(b) ? b : b.detach()
    for (const [name, child] of Object.entries(this._attrs())) {
      if (child instanceof Module) child.state_dict({ destination: dest, prefix: `${prefix}${name}.`, keep_vars: keep })
    }
    return dest
  }

  /**
   * Copies parameters and buffers from `state_dict` (under no_grad, in place). With `strict`
   * (default) missing or unexpected keys raise PyTorch's RuntimeError; shape mismatches always do.
   */
  load_state_dict(state_dict: StateDict | ReadonlyMap<string, Tensor>, strict = true): IncompatibleKeys {
    const sd: ReadonlyMap<string, unknown> =
      state_dict instanceof Map ? state_dict : new Map(Object.entries(state_dict))
    const missing: string[] = []
    const errors: string[] = []
    const expected = new Set<string>()
    for (const [prefix, mod] of this.named_modules(new Set(), '', false)) {
      const pre = prefix === '' ? '' : `${prefix}.`
      const locals: Array<[string, Tensor]> = [
        ...mod._own_parameters(),
        ...mod
          ._own_buffers()
          .filter((b) => b[2])
          .map(([k, v]) => [k, v] as [string, Tensor]),
      ]
      for (const [name, param] of locals) {
        const key = pre + name
        expected.add(key)
        if (!sd.has(key)) {
          missing.push(key)
          continue
        }
        const input = sd.get(key)
        if (!(input instanceof Tensor)) {
          errors.push(
            `While copying the parameter named "${key}", expected torch.Tensor or Tensor-like object from checkpoint but received ${pyTypeName(input)}`,
          )
          continue
        }
        // a lazy module's uninitialised parameter takes the checkpoint's shape (PyTorch's _lazy_load_hook)
        if (is_lazy(param) && !is_lazy(input)) no_grad(() => param.materialize(input.shape))
        const a = input.shape
        const b = param.shape
        if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
          errors.push(
            `size mismatch for ${key}: copying a param with shape ${String(a)} from checkpoint, the shape in current model is ${String(b)}.`,
          )
          continue
        }
        no_grad(() => param.copy_(input))
      }
    }
    const unexpected = [...sd.keys()].filter((k) => !expected.has(k))
    if (strict) {
      if (unexpected.length > 0)
        errors.unshift(`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}. `)
      if (missing.length > 0)
        errors.unshift(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}. `)
    }
    if (errors.length > 0)
      throw new RuntimeError(`Error(s) in loading state_dict for ${this._get_name()}:\n\t${errors.join('\n\t')}`)
    return new IncompatibleKeys(missing, unexpected)
  }

  // -----------------------------------------------------------------------------------
  // printing
  // -----------------------------------------------------------------------------------

  /** @internal The class name printed by `toString`. */
  _get_name(): string {
    return this.constructor.name
  }

  /** Extra text inside the parentheses of this module's repr (layers override it). */
  extra_repr(): string {
    return ''
  }

  /** PyTorch's module repr, e.g. `Linear(in_features=1, out_features=3, bias=True)`. */
  toString(): string {
    const extra = this.extra_repr()
    const extraLines = extra === '' ? [] : extra.split('\n')
    const childLines = [...this.named_children()].map(([k, m]) => `(${k}): ${addIndent(String(m), 2)}`)
    const lines = [...extraLines, ...childLines]
    let main = `${this._get_name()}(`
    if (lines.length > 0) {
      if (extraLines.length === 1 && childLines.length === 0) main += extraLines[0] as string
      else main += `\n  ${lines.join('\n  ')}\n`
    }
    return `${main})`
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}

// Instances are functions (see the constructor): give them Function's members (`bind`, …).
// Function.prototype's `name` and `length` are read-only; writable shadows let `this.name = …` work.
Object.setPrototypeOf(Module.prototype, Function.prototype)
for (const key of ['name', 'length'])
  Object.defineProperty(Module.prototype, key, { value: undefined, writable: true, configurable: true })

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** Resets one parameter's gradient (shared by `Module.zero_grad` and optimizers). */
/** `zero_grad`'s `set_to_none`, given positionally or as a keyword (`{ set_to_none: false }`). */
export const setToNone = (fn: string, arg: boolean | { readonly set_to_none?: boolean }): boolean => {
  const v = parseArgs(fn, [arg], ['set_to_none'])['set_to_none'] ?? true
  if (typeof v !== 'boolean') throw new TorchTypeError(`${fn}(): argument 'set_to_none' must be bool, not ${typeof v}`)
  return v
}

export const zeroGrad = (p: Tensor, setToNone: boolean): void => {
  const g = p._grad
  if (g === null) return
  if (setToNone) {
    p.grad = null
    return
  }
  if (g.grad_fn !== null) g.detach_()
  else g.requires_grad_(false)
  no_grad(() => g.zero_())
}

/** Emits PyTorch's legacy-argument deprecation warning and maps (size_average, reduce) to a reduction. */
export const legacyReduction = (
  size_average: boolean | null | undefined,
  reduce: boolean | null | undefined,
): Reduction => {
  const sa = size_average ?? true
  const r = reduce ?? true
  const ret: Reduction = sa && r ? 'mean' : r ? 'sum' : 'none'
  warn(`size_average and reduce args will be deprecated, please use reduction='${ret}' instead.`)
  return ret
}

/** A loss reduction. @category torch @since 0.1.0 */
export type Reduction = 'mean' | 'sum' | 'none'

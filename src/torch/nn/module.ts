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
import { RemovableHandle } from '../autograd/node'
import { AttributeError, KeyError, TorchTypeError, TorchValueError } from '../errors'
import { Tensor } from '../tensor'
import { pyTypeName } from '../pyType'
import { Parameter } from './parameter'
import { is_lazy } from './uninitialized'
import type { ModuleBackwardHook, ModuleBackwardPreHook } from './backwardHook'
import type { ForwardHook, ForwardPreHook } from './moduleHooks'
import { callImpl, runRegistrationHooks } from './moduleHooks'
import { hookMethods, type ModuleHookMethods } from './moduleHookMethods'
import { deviceMethods, type ModuleDeviceMethods } from './moduleDeviceMethods'
import { IncompatibleKeys, loadStateDict } from './moduleState'
import { addIndent, checkBuffer, checkName, checkParameter, hidden } from './moduleRegistry'
import { setToNone, zeroGrad } from './moduleUtils'

export type { ForwardHook, ForwardHookWithKwargs, ForwardPreHook, ForwardPreHookWithKwargs } from './moduleHooks'
export { IncompatibleKeys } from './moduleState'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A module's state: qualified names (`fc.weight`) to tensors, in registration order. @category torch @since 0.1.0 */
export type StateDict = Record<string, Tensor>

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

export { pyTypeName }

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
export interface Module extends ModuleHookMethods, ModuleDeviceMethods {
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
    return callImpl(this, args)
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
    checkParameter(this._attrs(), name, param)
    this._attrs()[name] = runRegistrationHooks('parameter', this, name, param)
  }

  /** Registers a buffer: state that is not a parameter (saved in `state_dict` when persistent). */
  register_buffer(name: string, tensor: Tensor | null, persistent = true): void {
    checkBuffer(this._attrs(), this._buffer_names.has(name), name, tensor)
    const value = runRegistrationHooks('buffer', this, name, tensor)
    this._buffer_names.set(name, persistent)
    this._attrs()[name] = value
  }

  /** Adds a child module under `name` (same as assigning `this[name] = module`). */
  add_module(name: string, module: Module | null): void {
    if (module !== null && !(module instanceof Module))
      throw new TorchTypeError(`${pyTypeName(module)} is not a Module subclass`)
    checkName('module', name)
    const attrs = this._attrs()
    if (attrs[name] !== undefined && !(attrs[name] instanceof Module) && attrs[name] !== null)
      throw new KeyError(`attribute '${name}' already exists`)
    attrs[name] = runRegistrationHooks('module', this, name, module)
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
    return loadStateDict(this, state_dict, strict)
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
// the hook registration and device methods (typed by `ModuleHookMethods` and `ModuleDeviceMethods`,
// merged into the interface above)
for (const methods of [hookMethods, deviceMethods])
  for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(methods)))
    Object.defineProperty(Module.prototype, k, { ...d, enumerable: false })

export { setToNone, zeroGrad, legacyReduction, type Reduction } from './moduleUtils'

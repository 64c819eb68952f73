/**
 * Lazy modules (PyTorch's `LazyModuleMixin`): layers whose input size (`in_features`,
 * `in_channels`, `num_features`) is read from the first input. Until then their parameters are
 * {@link UninitializedParameter}s; a forward pre-hook materialises and initialises them at the
 * first call (the same RNG draws as the ordinary layer, so seeded weights match PyTorch's), then
 * the module becomes the ordinary class (`cls_to_become`: a `LazyLinear` is a `Linear` after
 * its first call, and no longer a lazy module).
 *
 * @category torch
 * @since 0.2.0
 */
import { no_grad } from '../autograd/grad_mode'
import { RuntimeError } from '../errors'
import type { TorchDType } from '../dtype'
import { parseArgs, type PyArgs } from '../kwargs'
import type { Tensor } from '../tensor'
import { Linear, required } from './layers'
import { Module } from './module'
import type { Parameter } from './parameter'
import { pyClass, type PyClass } from './pyclass'
import { is_lazy, UninitializedParameter } from './uninitialized'
import { moduleHooks } from './moduleGlobalHooks'

// -------------------------------------------------------------------------------------
// LazyModuleMixin
// -------------------------------------------------------------------------------------

const LAZY: unique symbol = Symbol('LazyModuleMixin')

/** The members every lazy module has until its first forward. */
export interface LazyMembers {
  /** True while a parameter or buffer of this module (not its children) is uninitialised. */
  has_uninitialized_params(): boolean
  /** The class the module becomes after its first forward. */
  readonly cls_to_become: abstract new (...args: never) => Module
}

/**
 * PyTorch's `torch.nn.modules.lazy.LazyModuleMixin`, for `instanceof` checks: true for the lazy
 * layers until their first forward (they then become the ordinary class).
 * @example
 * import * as torch from 'wengert/torch'
 * const m = torch.nn.LazyLinear(2)
 * assert.ok(m instanceof torch.nn.modules.lazy.LazyModuleMixin)
 * m(torch.ones(1, 3))
 * assert.ok(!(m instanceof torch.nn.modules.lazy.LazyModuleMixin))
 * @category torch @since 0.2.0
 */
export abstract class LazyModuleMixin {
  static [Symbol.hasInstance](u: unknown): boolean {
    return u instanceof Module && (u as unknown as Record<symbol, unknown>)[LAZY] === true
  }
}

/** A lazy module instance (`initialize_parameters` materialises and initialises from the first forward's arguments). */
type LazyModule = Module & LazyMembers & { initialize_parameters(...args: never[]): void }

/** The first forward's pre-hook: initialise, check, unhook, become `cls_to_become`. */
const inferParameters = (m: LazyModule, args: ReadonlyArray<unknown>): void => {
  no_grad(() => (m.initialize_parameters as (...a: unknown[]) => void)(...args))
  if (m.has_uninitialized_params()) throw new RuntimeError(`module ${m._get_name()} has not been fully initialized`)
  ;(m as unknown as { _initialize_hook: { remove(): void } })._initialize_hook.remove()
  delete (m as unknown as { _initialize_hook?: unknown })._initialize_hook
  Object.setPrototypeOf(m, m.cls_to_become.prototype)
}

/** Registers the initialising pre-hook; lazy constructors call it last. */
export const lazySetup = (m: LazyModule): void => {
  const handle = m.register_forward_pre_hook(
    (mod: LazyModule, args) => {
      inferParameters(mod, args)
      return undefined
    },
    {
      with_kwargs: true,
    },
  )
  Object.defineProperty(m, '_initialize_hook', { value: handle, writable: true, configurable: true })
}

/**
 * Makes `impl` a lazy class (printed `name`) that becomes `become` after the first forward;
 * returns it callable without `new`.
 */
export const lazyClass = <C extends new (...args: never) => LazyModule>(
  impl: C,
  name: string,
  become: abstract new (...args: never) => Module,
): PyClass<C> => {
  Object.defineProperties(impl.prototype, {
    [LAZY]: { value: true },
    cls_to_become: { value: become },
    has_uninitialized_params: {
      value(this: Module): boolean {
        return [...this._own_parameters(), ...this._own_buffers()].some((e) => is_lazy(e[1]))
      },
    },
  })
  return pyClass(impl, name)
}

/** Factory keywords of the lazy layers. */
export type LazyFactoryKw = { readonly device?: string | null; readonly dtype?: TorchDType | null }

/** An uninitialised parameter with the layer's factory keywords. */
export const lazyParam = (a: Record<string, unknown>): UninitializedParameter =>
  new UninitializedParameter({ dtype: (a.dtype as TorchDType | null | undefined) ?? null })

// -------------------------------------------------------------------------------------
// LazyLinear
// -------------------------------------------------------------------------------------

type LazyLinearKw = LazyFactoryKw & { readonly out_features?: number; readonly bias?: boolean }

/** See {@link LazyLinear}. */
class LazyLinearImpl extends Linear {
  constructor(
    ...args: PyArgs<
      [out_features: number, bias: boolean, device: string | null, dtype: TorchDType | null],
      LazyLinearKw
    >
  ) {
    const a = parseArgs('LazyLinear.__init__', args, ['out_features', 'bias', 'device', 'dtype'])
    required('LazyLinear.__init__', a, ['out_features'])
    super(0, 0, false)
    const self = this as { out_features: number; weight: Parameter; bias: Parameter | null }
    self.weight = lazyParam(a)
    self.out_features = a.out_features as number
    if ((a.bias as boolean | undefined) ?? true) self.bias = lazyParam(a)
    lazySetup(this)
  }

  override reset_parameters(): void {
    if (!this.has_uninitialized_params() && this.in_features !== 0) super.reset_parameters()
  }

  /** `in_features` is the input's last size; weight `[out, in]`, bias `[out]`, then initialised. */
  initialize_parameters(input: Tensor): void {
    if (!this.has_uninitialized_params()) return
    const self = this as { in_features: number }
    self.in_features = input.shape[input.dim() - 1] as number
    ;(this.weight as UninitializedParameter).materialize([this.out_features, this.in_features])
    if (this.bias !== null) (this.bias as UninitializedParameter).materialize([this.out_features])
    this.reset_parameters()
  }
}
interface LazyLinearImpl extends LazyMembers {}

/**
 * `nn.Linear` whose `in_features` is the last size of its first input. It prints as
 * `LazyLinear(in_features=0, …)` until then and is an `nn.Linear` afterwards; its seeded
 * weights are `nn.Linear`'s.
 * @example
 * import * as torch from 'wengert/torch'
 * torch.manual_seed(0)
 * const m = torch.nn.LazyLinear(3)
 * assert.strictEqual(String(m.weight), '<UninitializedParameter>')
 * m(torch.ones(2, 4))
 * assert.strictEqual(String(m), 'Linear(in_features=4, out_features=3, bias=True)')
 * const w = m.weight
 * torch.manual_seed(0)
 * assert.ok(w.equal(torch.nn.Linear(4, 3).weight))
 * assert.ok(m instanceof torch.nn.Linear && !(m instanceof torch.nn.LazyLinear))
 * @category torch @since 0.2.0
 */
export const LazyLinear = lazyClass(LazyLinearImpl, 'LazyLinear', Linear)
/** An `nn.LazyLinear` instance. @category torch @since 0.2.0 */
export type LazyLinear = LazyLinearImpl

/**
 * `torch.nn.modules`: `modules.lazy.LazyModuleMixin` and the global hooks of `modules.module`
 * (`register_module_forward_hook`, …); the layers themselves are on `nn`.
 * @example
 * import * as torch from 'wengert/torch'
 * assert.ok(torch.nn.LazyConv2d(2, 3) instanceof torch.nn.modules.lazy.LazyModuleMixin)
 * @category torch @since 0.2.0
 */
export const modules = { lazy: { LazyModuleMixin }, module: moduleHooks } as const

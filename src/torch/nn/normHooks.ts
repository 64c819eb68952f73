/**
 * The hook forms of weight and spectral normalisation (`torch.nn.utils.weight_norm` /
 * `remove_weight_norm`, `spectral_norm` / `remove_spectral_norm`): the parameter `weight` is
 * replaced by `weight_g` and `weight_v` (or `weight_orig` and the buffers `weight_u`, `weight_v`),
 * and a forward pre-hook recomputes the plain attribute `weight` before each call, as PyTorch's.
 *
 * @category torch
 * @since 0.2.0
 */
import { no_grad } from '../autograd/grad_mode'
import { RuntimeError, TorchValueError } from '../errors'
import { keywordForms, parseArgs, type PyArgs } from '../kwargs'
import { Tensor } from '../tensor'
import { warn } from '../warnings'
import type { ForwardPreHook, Module } from './module'
import { normalize } from './norm_functional'
import { Parameter } from './parameter'
import { spectralDim, weightToMatrix } from './parametrizations'
import { norm_except_dim, spectralNormArgs, weightNormValue, type SpectralNormArgs } from './weightNormCore'

/** What a normalisation hook knows: its kind, the parameter's name and how to undo it. */
interface NormHookInfo {
  readonly kind: 'weight_norm' | 'spectral_norm'
  readonly name: string
  readonly remove: (module: Module) => void
}

/** The hook functions registered by these forms, with their state. */
const hookInfo = new WeakMap<ForwardPreHook, NormHookInfo>()

const attrs = (m: Module): Record<string, unknown> => m._attrs()

const findHook = (module: Module, kind: NormHookInfo['kind'], name: string): number =>
  module._forward_pre_hooks.findIndex((h) => {
    const info = hookInfo.get(h)
    return info !== undefined && info.kind === kind && info.name === name
  })

const addNormHook = (module: Module, hook: ForwardPreHook, info: NormHookInfo): void => {
  if (findHook(module, info.kind, info.name) >= 0)
    throw new RuntimeError(`Cannot register two ${info.kind} hooks on the same parameter ${info.name}`)
  hookInfo.set(hook, info)
  module.register_forward_pre_hook(hook)
}

const removeNormHook = <M extends Module>(module: M, kind: NormHookInfo['kind'], name: string): M => {
  const i = findHook(module, kind, name)
  if (i < 0) throw new TorchValueError(`${kind} of '${name}' not found in ${String(module)}`)
  const hook = module._forward_pre_hooks[i] as ForwardPreHook
  ;(hookInfo.get(hook) as NormHookInfo).remove(module)
  module._forward_pre_hooks.splice(i, 1)
  return module
}

// -------------------------------------------------------------------------------------
// weight_norm
// -------------------------------------------------------------------------------------

const WEIGHT_NORM_DEPRECATED =
  '`torch.nn.utils.weight_norm` is deprecated in favor of `torch.nn.utils.parametrizations.weight_norm`.'

/**
 * PyTorch's `nn.utils.weight_norm(module, name='weight', dim=0)` (hook form): the parameter
 * `name` is split into a magnitude `name_g` (its norm over every dim but `dim`; `null`: the whole
 * tensor) and a direction `name_v`, and `module[name] = name_v · name_g / ‖name_v‖` is recomputed
 * before each forward. Returns the module. Deprecated in favour of
 * `nn.utils.parametrizations.weight_norm`: each call raises a FutureWarning, as PyTorch 2.x's does.
 * @example
 * import * as torch from 'wengert/torch'
 * const lin = torch.nn.utils.weight_norm(torch.nn.Linear(3, 2))
 * assert.deepStrictEqual(Object.keys(lin.state_dict()), ['bias', 'weight_g', 'weight_v'])
 * assert.deepStrictEqual([...lin.weight_g.shape], [2, 1])
 * @category torch @since 0.2.0
 */
export const weight_norm = keywordForms(
  'weight_norm',
  ['module'],
  <M extends Module>(
    module: M,
    ...args: PyArgs<[name: string, dim: number | null], { readonly name?: string; readonly dim?: number | null }>
  ): M & { readonly weight_g: Parameter; readonly weight_v: Parameter } => {
    const a = parseArgs('weight_norm', args, ['name', 'dim'])
    // PyTorch ≥ 2.4 deprecates the hook form (1.13 is silent, 2.1–2.3 raise a UserWarning)
    warn(WEIGHT_NORM_DEPRECATED, 'FutureWarning')
    const name = (a.name as string | undefined) ?? 'weight'
    const dim = a.dim === undefined ? 0 : ((a.dim as number | null) ?? -1)
    if (findHook(module, 'weight_norm', name) >= 0)
      throw new RuntimeError(`Cannot register two weight_norm hooks on the same parameter ${name}`)
    const weight = attrs(module)[name]
    if (!(weight instanceof Tensor))
      throw new TorchValueError(`weight_norm: module has no parameter '${name}' (got ${String(weight)})`)
    const compute = (m: Module): Tensor =>
      weightNormValue(attrs(m)[`${name}_v`] as Tensor, attrs(m)[`${name}_g`] as Tensor, dim)
    delete attrs(module)[name]
    module.register_parameter(`${name}_g`, new Parameter(no_grad(() => norm_except_dim(weight, 2, dim)).data))
    module.register_parameter(`${name}_v`, new Parameter(weight.data))
    attrs(module)[name] = compute(module)
    const remove = (m: Module): void => {
      const w = compute(m)
      delete attrs(m)[name]
      delete attrs(m)[`${name}_g`]
      delete attrs(m)[`${name}_v`]
      m.register_parameter(name, new Parameter(w.data))
    }
    addNormHook(module, (m) => void (attrs(m)[name] = compute(m)), { kind: 'weight_norm', name, remove })
    return module as M & { readonly weight_g: Parameter; readonly weight_v: Parameter }
  },
)

/**
 * PyTorch's `nn.utils.remove_weight_norm(module, name='weight')`: undoes `weight_norm`, leaving
 * the current normalised value as the parameter `name`.
 * @example
 * import * as torch from 'wengert/torch'
 * const lin = torch.nn.utils.weight_norm(torch.nn.Linear(3, 2))
 * torch.nn.utils.remove_weight_norm(lin)
 * assert.deepStrictEqual(Object.keys(lin.state_dict()), ['bias', 'weight'])
 * @category torch @since 0.2.0
 */
export const remove_weight_norm = keywordForms(
  'remove_weight_norm',
  ['module'],
  <M extends Module>(module: M, ...args: PyArgs<[name: string], { readonly name?: string }>): M => {
    const a = parseArgs('remove_weight_norm', args, ['name'])
    return removeNormHook(module, 'weight_norm', (a.name as string | undefined) ?? 'weight')
  },
)

// -------------------------------------------------------------------------------------
// spectral_norm
// -------------------------------------------------------------------------------------

/** The spectral-norm hook's state and its weight computation (PyTorch's `SpectralNorm`). */
class SpectralNormHook {
  constructor(
    readonly name: string,
    readonly n_power_iterations: number,
    readonly dim: number,
    readonly eps: number,
  ) {
    if (n_power_iterations <= 0)
      throw new TorchValueError(
        `Expected n_power_iterations to be positive, but got n_power_iterations=${n_power_iterations}`,
      )
  }

  /** `weight_orig / σ`; with `power`, first v ← normalize(Wᵀu), u ← normalize(Wv) in place, n times. */
  compute(m: Module, power: boolean): Tensor {
    const weight = attrs(m)[`${this.name}_orig`] as Tensor
    let u = attrs(m)[`${this.name}_u`] as Tensor
    let v = attrs(m)[`${this.name}_v`] as Tensor
    const w = weightToMatrix(weight, this.dim)
    if (power) {
      no_grad(() => {
        for (let i = 0; i < this.n_power_iterations; i++) {
          v.copy_(normalize(w.t().mv(u), { dim: 0, eps: this.eps }))
          u.copy_(normalize(w.mv(v), { dim: 0, eps: this.eps }))
        }
      })
      u = u.clone()
      v = v.clone()
    }
    return weight.div(u.dot(w.mv(v)))
  }

  remove(m: Module): void {
    const w = no_grad(() => this.compute(m, false))
    for (const s of ['', '_u', '_v', '_orig']) {
      delete attrs(m)[this.name + s]
      m._buffer_names.delete(this.name + s)
    }
    m.register_parameter(this.name, new Parameter(w.detach()))
  }
}

/**
 * PyTorch's `nn.utils.spectral_norm(module, name='weight', n_power_iterations=1, eps=1e-12,
 * dim=None)` (hook form): the parameter becomes `name_orig`, the buffers `name_u` / `name_v` hold
 * the power-iteration vectors (random unit vectors at first), and before each forward
 * `module[name] = name_orig / σ` (σ estimated with `n_power_iterations` steps in training mode).
 * @example
 * import * as torch from 'wengert/torch'
 * const lin = torch.nn.utils.spectral_norm(torch.nn.Linear(4, 3))
 * assert.deepStrictEqual(Object.keys(lin.state_dict()), ['bias', 'weight_orig', 'weight_u', 'weight_v'])
 * @category torch @since 0.2.0
 */
export const spectral_norm = keywordForms(
  'spectral_norm',
  ['module'],
  <M extends Module>(module: M, ...args: SpectralNormArgs): M => {
    const { name, n_power_iterations, eps, dim } = spectralNormArgs(args)
    const fn = new SpectralNormHook(name, n_power_iterations, spectralDim(module, dim), eps)
    if (findHook(module, 'spectral_norm', name) >= 0)
      throw new RuntimeError(`Cannot register two spectral_norm hooks on the same parameter ${name}`)
    const weight = attrs(module)[name]
    if (!(weight instanceof Parameter))
      throw new TorchValueError(`\`SpectralNorm\` cannot be applied as parameter \`${name}\` is None`)
    const [u, v] = no_grad(() => {
      const w = weightToMatrix(weight, fn.dim)
      const un = (k: number): Tensor => normalize(weight.new_empty(k).normal_(0, 1), { dim: 0, eps: fn.eps })
      return [un(w.size(0)), un(w.size(1))]
    })
    delete attrs(module)[name]
    module.register_parameter(`${name}_orig`, weight)
    attrs(module)[name] = weight.data
    module.register_buffer(`${name}_u`, u)
    module.register_buffer(`${name}_v`, v)
    addNormHook(module, (m) => void (attrs(m)[name] = fn.compute(m, m.training)), {
      kind: 'spectral_norm',
      name,
      remove: (m) => fn.remove(m),
    })
    return module
  },
)

/**
 * PyTorch's `nn.utils.remove_spectral_norm(module, name='weight')`: undoes `spectral_norm`,
 * leaving `name_orig / σ` (no further power iteration) as the parameter `name`.
 * @example
 * import * as torch from 'wengert/torch'
 * const lin = torch.nn.utils.spectral_norm(torch.nn.Linear(4, 3))
 * torch.nn.utils.remove_spectral_norm(lin)
 * assert.deepStrictEqual(Object.keys(lin.state_dict()), ['bias', 'weight'])
 * @category torch @since 0.2.0
 */
export const remove_spectral_norm = keywordForms(
  'remove_spectral_norm',
  ['module'],
  <M extends Module>(module: M, ...args: PyArgs<[name: string], { readonly name?: string }>): M => {
    const a = parseArgs('remove_spectral_norm', args, ['name'])
    return removeNormHook(module, 'spectral_norm', (a.name as string | undefined) ?? 'weight')
  },
)

/**
 * `torch.optim.Optimizer`: parameter groups, per-parameter state, `zero_grad`, `step` and
 * `state_dict`. Subclasses implement `_update(group)`; `step` runs it under `no_grad`, so the
 * in-place updates (`p.add_(…)`) leave parameters as leaves.
 *
 * @category torch
 * @since 0.1.0
 */
import { pyTypeName } from '../pyType'
import { enable_grad, no_grad } from '../autograd/grad_mode'
import { TorchTypeError, TorchValueError } from '../errors'
import { isKwargs, pyParams } from '../kwargs'
import { setToNone, zeroGrad } from '../nn/module'
import { Tensor } from '../tensor'
import { stateForDict, stateFromDict, stateKey } from './complexParams'
import { isComplex } from '../complex/tensor'
import { warn } from '../warnings'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A parameter group: its tensors and its hyper-parameters (`lr`, …), which may be changed between steps. @category torch @since 0.1.0 */
export type ParamGroup<H> = H & { params: Tensor[] }

/** A parameter group as given to the constructor: tensors plus any hyper-parameters overriding the defaults. @category torch @since 0.1.0 */
export type ParamGroupInput<H> = Partial<H> & { readonly params: Iterable<Tensor> | Tensor }

/** What optimizers accept as `params`: an iterable of tensors, or of parameter groups. @category torch @since 0.1.0 */
export type ParamsInput<H> = Iterable<Tensor> | Iterable<ParamGroupInput<H>>

/** An optimizer's `state_dict()`: state by parameter index, and groups with `params` as indices. @category torch @since 0.1.0 */
export interface OptimizerStateDict<H, S> {
  readonly state: Record<number, S>
  readonly param_groups: ReadonlyArray<H & { readonly params: ReadonlyArray<number> }>
}

/** State entries PyTorch keeps in 0-d tensors (a loaded checkpoint) and wengert keeps as numbers. */
const SCALAR_STATE = new Set(['step', 'mu_product', 'eta', 'mu'])

const typeName = pyTypeName

// -------------------------------------------------------------------------------------
// the class
// -------------------------------------------------------------------------------------

const parseOptimizerInit = pyParams('Optimizer.__init__', ['params', 'defaults'], 2, 1)

/**
 * Base class of the optimizers (PyTorch's `torch.optim.Optimizer`). `H` is the hyper-parameter
 * record of a group, `S` the per-parameter state (by default: any optimizer, groups known to hold `lr`).
 * @category torch @since 0.1.0
 */
export abstract class Optimizer<H extends object = { lr: number }, S extends object = object> {
  /** The default hyper-parameters. */
  readonly defaults: H
  /** The parameter groups; change `param_groups[i].lr` to schedule the learning rate. */
  readonly param_groups: Array<ParamGroup<H>> = []
  /** Per-parameter state (momentum buffers, moment estimates), keyed by the parameter tensor. */
  state: Map<Tensor, S> = new Map()
  /** @internal Number of `step` calls (learning-rate schedulers read it to warn about call order). */
  _step_count = 0

  constructor(params: ParamsInput<H>, defaults: H, ...rest: unknown[]) {
    // PyTorch's Optimizer(params=…, defaults=…): a lone plain object is the keyword object (params is
    // never one); with params given, a plain object in second place is the defaults dict
    if (rest.length > 0 || defaults === undefined) {
      const given = rest.length === 0 ? [params] : [params, defaults, ...rest]
      ;[params, defaults] = parseOptimizerInit(given) as [ParamsInput<H>, H]
    }
    this.defaults = defaults
    if (params instanceof Tensor) {
      throw new TorchTypeError(
        `params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${params.dtype.typeName}`,
      )
    }
    const list = [...(params as Iterable<unknown>)]
    if (list.length === 0) throw new TorchValueError('optimizer got an empty parameter list')
    const groups: Array<ParamGroupInput<H>> = isKwargs(list[0])
      ? (list as Array<ParamGroupInput<H>>)
      : [{ params: list as Tensor[] } as unknown as ParamGroupInput<H>]
    for (const g of groups) this.add_param_group(g)
  }

  /** Adds a group of parameters (hyper-parameters not given take the defaults). */
  add_param_group(group: ParamGroupInput<H>): void {
    if (!isKwargs(group)) throw new TorchTypeError(`param_group must be a dict, but got ${typeName(group)}`)
    const raw = group.params
    if (raw === undefined)
      throw new TorchValueError("parameter group didn't specify a value of required optimization parameter params")
    const params = raw instanceof Tensor ? [raw] : [...raw]
    for (const p of params) {
      if (!(p instanceof Tensor))
        throw new TorchTypeError(`optimizer can only optimize Tensors, but one of the params is ${typeName(p)}`)
      if (!p.is_leaf) throw new TorchValueError("can't optimize a non-leaf Tensor")
    }
    if (new Set(params).size !== params.length) {
      warn(
        'optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information',
      )
    }
    const existing = new Set(this.param_groups.flatMap((g) => g.params))
    if (params.some((p) => existing.has(p)))
      throw new TorchValueError('some parameters appear in more than one parameter group')
    const full = { ...this.defaults, ...group, params } as ParamGroup<H>
    this.param_groups.push(full)
  }

  /** Resets the gradients of all optimized tensors: to null (default), or to zeros with `set_to_none = false` (or `{ set_to_none: false }`). */
  zero_grad(set_to_none: boolean | { readonly set_to_none?: boolean } = true): void {
    const toNone = setToNone('zero_grad', set_to_none)
    for (const g of this.param_groups) for (const p of g.params) zeroGrad(p, toNone)
  }

  /**
   * One optimization step over every parameter that has a gradient. `closure`, if given,
   * re-evaluates the model and returns the loss (run with grad enabled); step returns it.
   */
  step(closure?: () => Tensor): Tensor | undefined {
    this._step_count += 1
    const loss = closure === undefined ? undefined : enable_grad(closure)
    no_grad(() => {
      for (const g of this.param_groups) this._update(g)
    })
    return loss
  }

  /** @internal Updates the parameters of one group (called under no_grad). */
  abstract _update(group: ParamGroup<H>): void

  /** @internal The state of `p`, created by `init` on first use. */
  _stateOf(t: Tensor, init: () => S): S {
    const p = stateKey(t)
    let s = this.state.get(p)
    if (s === undefined) {
      s = init()
      this.state.set(p, s)
    }
    return s
  }

  /** The state and the groups' hyper-parameters, with parameters replaced by their index. */
  state_dict(): OptimizerStateDict<H, S> {
    const index = new Map<Tensor, number>()
    const groups = this.param_groups.map((g) => {
      const ids = g.params.map((p) => {
        if (!index.has(p)) index.set(p, index.size)
        return index.get(p) as number
      })
      const { params: _omit, ...hyper } = g
      void _omit
      return { ...(hyper as unknown as H), params: ids }
    })
    const state: Record<number, S> = {}
    for (const [p, s] of this.state) {
      const i = index.get(p)
      if (i === undefined) continue
      if (!isComplex(p)) state[i] = s
      else {
        const shown: Record<string, unknown> = {}
        for (const [name, v] of Object.entries(s as Record<string, unknown>)) shown[name] = stateForDict(p, v)
        state[i] = shown as S
      }
    }
    return { state, param_groups: groups }
  }

  /** Restores state and hyper-parameters saved by `state_dict` (state tensors are copied). */
  load_state_dict(state_dict: OptimizerStateDict<H, S>): void {
    const saved = state_dict.param_groups
    if (saved.length !== this.param_groups.length)
      throw new TorchValueError('loaded state dict has a different number of parameter groups')
    saved.forEach((g, i) => {
      if (g.params.length !== (this.param_groups[i] as ParamGroup<H>).params.length) {
        throw new TorchValueError(
          "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
        )
      }
    })
    const byIndex = new Map<number, Tensor>()
    saved.forEach((g, i) =>
      g.params.forEach((id, k) => byIndex.set(id, (this.param_groups[i] as ParamGroup<H>).params[k] as Tensor)),
    )
    this.state = new Map()
    for (const [k, s] of Object.entries(state_dict.state)) {
      const p = byIndex.get(Number(k))
      if (p === undefined) continue
      const out: Record<string, unknown> = {}
      for (const [name, v] of Object.entries(s as Record<string, unknown>))
        out[name] = SCALAR_STATE.has(name) && v instanceof Tensor && v.ndim === 0 ? v.item() : stateFromDict(p, v)
      this.state.set(p, out as S)
    }
    saved.forEach((g, i) => {
      const target = this.param_groups[i] as ParamGroup<H>
      const { params: _omit, ...hyper } = g
      void _omit
      Object.assign(target, hyper)
    })
  }

  /** PyTorch's repr: the class name and each group's hyper-parameters. */
  toString(): string {
    const lines = [`${this.constructor.name} (`]
    this.param_groups.forEach((g, i) => {
      lines.push(`Parameter Group ${i}`)
      for (const k of Object.keys(g).sort()) {
        if (k === 'params') continue
        lines.push(`    ${k}: ${pyRepr((g as Record<string, unknown>)[k])}`)
      }
    })
    lines.push(')')
    return lines.join('\n')
  }
}

/** Python's repr of a hyper-parameter value. */
const pyRepr = (v: unknown): string => {
  if (v === null || v === undefined) return 'None'
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  if (Array.isArray(v)) return `(${v.map(pyRepr).join(', ')})`
  return String(v)
}

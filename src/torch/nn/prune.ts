/**
 * `torch.nn.utils.prune`: pruning by masks (LeCun et al., "Optimal Brain Damage", 1990; Han et al.,
 * "Learning both Weights and Connections for Efficient Neural Networks", NeurIPS 2015 for magnitude
 * pruning; Li et al., "Pruning Filters for Efficient ConvNets", ICLR 2017 for Ln-norm channels).
 * Pruning `name` of a module moves the parameter to `<name>_orig`, adds the buffer `<name>_mask`
 * and a forward pre-hook that sets `module.<name> = <name>_orig · <name>_mask` before each call, so
 * gradients reach only the kept entries. Pruning the same tensor again combines the masks (a
 * `PruningContainer` computes the new mask over the entries or channels still kept).
 *
 * Amounts follow Python's int/float split as JavaScript allows: an integer is a count of entries
 * (or channels), a fraction in (0, 1) a share of them — so a share of 100 % is spelled with the count.
 *
 * @category torch
 * @since 0.3.0
 */
import { no_grad } from '../autograd/grad_mode'
import { AssertionError, IndexError, TorchTypeError, TorchValueError } from '../errors'
import { ones_like, rand, rand_like, zeros_like } from '../creation'
import { cat } from '../ops/functions'
import { Tensor } from '../tensor'
import { Module } from './module'
import { Parameter } from './parameter'

/** How a pruning method's mask combines with an earlier one. @category torch @since 0.3.0 */
export type PruningType = 'unstructured' | 'structured' | 'global'
/** The forward pre-hook of a pruned tensor (it carries its pruning method). @category torch @since 0.3.0 */
export type Hooked = ((m: Module, args: ReadonlyArray<unknown>) => unknown) & { _pruning_method?: BasePruningMethod }

const checkAmount = (amount: number): void => {
  if (typeof amount !== 'number' || Number.isNaN(amount))
    throw new TorchTypeError(`Invalid type for amount: ${String(amount)}. Must be int or float.`)
  if ((Number.isInteger(amount) && amount < 0) || (!Number.isInteger(amount) && (amount > 1 || amount < 0)))
    throw new TorchValueError(`amount=${amount} should either be a float in the range [0, 1] or a non-negative integer`)
}

/** Python's `round` (half to even) of `amount · size`, or the count itself. */
const countOf = (amount: number, size: number): number => {
  if (Number.isInteger(amount)) return amount
  const x = amount * size
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

const checkCount = (k: number, size: number): void => {
  if (k > size)
    throw new TorchValueError(`amount=${k} should be smaller than the number of parameters to prune=${size}`)
}

const flatView = (t: Tensor): Tensor => t.view(-1)

/**
 * Base class of pruning methods: `compute_mask(t, default_mask)` gives the new mask; the static
 * `apply(module, name, …)` prunes a module's tensor.
 * @category torch @since 0.3.0
 */
export abstract class BasePruningMethod {
  /** How the mask combines with an earlier one: entries, channels along `dim`, or the whole tensor. */
  abstract readonly PRUNING_TYPE: PruningType
  /** The pruned tensor's name (set by `apply`). */
  _tensor_name: string | null = null

  /** The mask of `t`, given the mask of earlier pruning. */
  abstract compute_mask(t: Tensor, default_mask: Tensor): Tensor

  /** `<name>_orig · <name>_mask` of the module. */
  apply_mask(module: Module): Tensor {
    if (this._tensor_name === null) throw new AssertionError(`Module ${String(module)} has to be pruned`)
    const attrs = module as unknown as Record<string, Tensor>
    const [mask, orig] = [attrs[`${this._tensor_name}_mask`] as Tensor, attrs[`${this._tensor_name}_orig`] as Tensor]
    return mask.to(orig.dtype).mul(orig)
  }

  /** Makes the pruning permanent: `<name>` becomes a parameter holding the masked values. */
  remove(module: Module): void {
    const name = this._tensor_name
    if (name === null)
      throw new AssertionError(`Module ${String(module)} has to be pruned before pruning can be removed`)
    const weight = this.apply_mask(module)
    const attrs = module as unknown as Record<string, unknown>
    delete attrs[name]
    const orig = attrs[`${name}_orig`] as Parameter
    orig.data = weight.detach()
    delete attrs[`${name}_orig`]
    module._buffer_names.delete(`${name}_mask`)
    delete attrs[`${name}_mask`]
    attrs[name] = orig
  }

  /**
   * Prunes `module.<name>` with a method of this class built from `args` (PyTorch's class method
   * `apply(module, name, *args, importance_scores=None)`): how a user-defined subclass is applied.
   * A trailing `{ importance_scores }` object is the keyword; constructor arguments are never plain objects.
   * @example
   * import * as torch from 'wengert/torch'
   * const { prune } = torch.nn.utils
   * const lin = torch.nn.Linear(2, 2)
   * const method = prune.L1Unstructured.apply(lin, 'weight', 1)
   * assert.strictEqual(method._tensor_name, 'weight')
   * assert.strictEqual(lin.weight.eq(0).sum().item(), 1)
   */
  static apply<A extends unknown[], T extends BasePruningMethod>(
    this: new (...a: A) => T,
    module: Module,
    name: string,
    ...args: [...A] | [...A, Scores]
  ): BasePruningMethod {
    const last = args[args.length - 1]
    const isKw =
      last !== null &&
      typeof last === 'object' &&
      Object.getPrototypeOf(last) === Object.prototype &&
      Object.keys(last).every((k) => k === 'importance_scores')
    const ctorArgs = (isKw ? args.slice(0, -1) : args) as A
    const scores = isKw ? ((last as Scores).importance_scores ?? null) : null
    return applyMethod(module, name, new this(...ctorArgs), scores)
  }

  /** The forward pre-hook: recomputes `<name>` from the original and the mask. */
  hook(): Hooked {
    const h: Hooked = (m) => {
      ;(m as unknown as Record<string, unknown>)[this._tensor_name as string] = this.apply_mask(m)
      return undefined
    }
    h._pruning_method = this
    return h
  }
}

/** The pruning method registered on `module` for `name`, with its index among the pre-hooks. */
const findMethod = (module: Module, name: string): [number, BasePruningMethod] | null => {
  const hooks = module._forward_pre_hooks as Hooked[]
  for (let i = 0; i < hooks.length; i++) {
    const m = hooks[i]?._pruning_method
    if (m !== undefined && m._tensor_name === name) return [i, m]
  }
  return null
}

/**
 * A sequence of pruning methods applied to one tensor; its mask is the last method's, computed on the
 * entries (or channels) the earlier masks kept.
 * @category torch @since 0.3.0
 */
export class PruningContainer extends BasePruningMethod {
  readonly PRUNING_TYPE = 'unstructured' as const
  _pruning_methods: BasePruningMethod[] = []
  constructor(...methods: BasePruningMethod[]) {
    super()
    if (methods.length > 0) this._tensor_name = (methods[0] as BasePruningMethod)._tensor_name
    for (const m of methods) this.add_pruning_method(m)
  }
  /** Adds a method acting on the same tensor. */
  add_pruning_method(method: BasePruningMethod): void {
    if (!(method instanceof BasePruningMethod))
      throw new TorchTypeError(`${String(method)} is not a BasePruningMethod subclass`)
    if (this._tensor_name !== method._tensor_name)
      throw new TorchValueError(
        `Can only add pruning methods acting on the parameter named '${this._tensor_name}' to PruningContainer. Found '${method._tensor_name}'`,
      )
    this._pruning_methods.push(method)
  }
  get length(): number {
    return this._pruning_methods.length
  }
  /** The methods in the order they were applied (Python's `for m in container`). */
  [Symbol.iterator](): Iterator<BasePruningMethod> {
    return this._pruning_methods[Symbol.iterator]()
  }
  compute_mask(t: Tensor, default_mask: Tensor): Tensor {
    const method = this._pruning_methods[this._pruning_methods.length - 1] as BasePruningMethod
    const mask = default_mask.to(t.dtype).clone()
    if (method.PRUNING_TYPE === 'global') return method.compute_mask(t, mask).to(mask.dtype)
    if (method.PRUNING_TYPE === 'unstructured') {
      const keep = default_mask.eq(1)
      mask.index_put_([keep], method.compute_mask(t.index(keep), default_mask.index(keep)).to(mask.dtype))
      return mask
    }
    const n = t.dim()
    const raw = (method as unknown as { dim: number }).dim
    const dim = raw < 0 ? n + raw : raw
    if (dim < 0) throw new IndexError(`Index is out of bounds for tensor with dimensions ${n}`)
    const others = Array.from({ length: n }, (_, d) => d).filter((d) => d !== dim)
    const keep = others.length > 0 ? default_mask.sum(others).ne(0) : default_mask.ne(0)
    const idx: Array<Tensor | string> = Array.from({ length: n }, () => ':')
    idx[dim] = keep
    mask.setitem(idx, method.compute_mask(t.getitem(idx), default_mask.getitem(idx)).to(mask.dtype))
    return mask
  }
}

/** Prunes `name` of `module` with `method` (combined with an earlier method on the same tensor). */
const applyMethod = (
  module: Module,
  name: string,
  method: BasePruningMethod,
  importance: Tensor | null,
): BasePruningMethod => {
  method._tensor_name = name
  const old = findMethod(module, name)
  let m = method
  if (old !== null) {
    ;(module._forward_pre_hooks as Hooked[]).splice(old[0], 1)
    const prev = old[1]
    if (prev instanceof PruningContainer) {
      prev.add_pruning_method(method)
      m = prev
    } else m = new PruningContainer(prev, method)
  }
  const attrs = module as unknown as Record<string, unknown>
  const orig = attrs[name] as Tensor
  if (importance !== null && importance.shape.join() !== orig.shape.join())
    throw new AssertionError(`importance_scores should have the same shape as parameter ${name} of ${String(module)}`)
  const scores = importance ?? orig
  const fresh = !(m instanceof PruningContainer)
  if (fresh) {
    module.register_parameter(`${name}_orig`, orig as Parameter)
    attrs[name] = null
    delete attrs[name]
  }
  try {
    const defaultMask = fresh ? ones_like(orig) : (attrs[`${name}_mask`] as Tensor).detach().clone()
    const mask = no_grad(() => m.compute_mask(scores, defaultMask))
    if (fresh) module.register_buffer(`${name}_mask`, mask)
    else attrs[`${name}_mask`] = mask
    attrs[name] = m.apply_mask(module)
    module._forward_pre_hooks.push(m.hook())
  } catch (e) {
    if (fresh) {
      delete attrs[`${name}_orig`]
      attrs[name] = orig
    }
    throw e
  }
  return m
}

/** A mask of ones (prunes nothing; sets up the reparametrisation). @category torch @since 0.3.0 */
export class Identity extends BasePruningMethod {
  readonly PRUNING_TYPE = 'unstructured' as const
  compute_mask(_t: Tensor, default_mask: Tensor): Tensor {
    return default_mask
  }
}

/** Zeros `amount` entries chosen at random. @category torch @since 0.3.0 */
export class RandomUnstructured extends BasePruningMethod {
  readonly PRUNING_TYPE = 'unstructured' as const
  constructor(readonly amount: number) {
    super()
    checkAmount(amount)
  }
  compute_mask(t: Tensor, default_mask: Tensor): Tensor {
    const k = countOf(this.amount, t.numel())
    checkCount(k, t.numel())
    const mask = default_mask.clone()
    if (k !== 0) flatView(mask).index_put_([flatView(rand_like(t)).topk(k).indices], torch0(mask))
    return mask
  }
}

const torch0 = (like: Tensor): Tensor => zeros_like(like.flatten().narrow(0, 0, 1)).reshape([])

/** Zeros the `amount` entries of least absolute value (or importance score). @category torch @since 0.3.0 */
export class L1Unstructured extends BasePruningMethod {
  readonly PRUNING_TYPE = 'unstructured' as const
  constructor(readonly amount: number) {
    super()
    checkAmount(amount)
  }
  compute_mask(t: Tensor, default_mask: Tensor): Tensor {
    const k = countOf(this.amount, t.numel())
    checkCount(k, t.numel())
    const mask = default_mask.clone()
    if (k !== 0) flatView(mask).index_put_([flatView(t.abs()).topk(k, { largest: false }).indices], torch0(mask))
    return mask
  }
}

const checkStructured = (t: Tensor, dim: number): void => {
  if (t.dim() <= 1)
    throw new TorchValueError(
      'Structured pruning can only be applied to multidimensional tensors. Found tensor of shape ' +
        `torch.Size([${t.shape.join(', ')}]) with ${t.dim()} dims`,
    )
  if (dim >= t.dim())
    throw new IndexError(`Invalid index ${dim} for tensor of size torch.Size([${t.shape.join(', ')}])`)
}

/** The channel count along `dim` and how many of them to prune (PyTorch's checks). */
const channelsToPrune = (t: Tensor, amount: number, dim: number): [number, number] => {
  checkStructured(t, dim)
  const size = t.shape.at(dim) as number
  const k = countOf(amount, size)
  checkCount(k, size)
  return [size, k]
}

/** The mask keeping the channels `keep` (a boolean or index tensor) along `dim`. */
const channelMask = (t: Tensor, dim: number, keep: Tensor): Tensor => {
  const mask = zeros_like(t)
  const idx: Array<Tensor | string> = Array.from({ length: t.dim() }, () => ':')
  idx[dim < 0 ? t.dim() + dim : dim] = keep
  mask.setitem(idx, 1)
  return mask
}

/** Zeros `amount` channels along `dim`, chosen at random. @category torch @since 0.3.0 */
export class RandomStructured extends BasePruningMethod {
  readonly PRUNING_TYPE = 'structured' as const
  constructor(
    readonly amount: number,
    readonly dim = -1,
  ) {
    super()
    checkAmount(amount)
  }
  compute_mask(t: Tensor, default_mask: Tensor): Tensor {
    const [size, k] = channelsToPrune(t, this.amount, this.dim)
    if (k === 0) return default_mask
    const prob = rand(size)
    const threshold = prob.kthvalue(k).values
    return channelMask(t, this.dim, prob.gt(threshold)).mul_(default_mask.to(t.dtype))
  }
}

/** Zeros the `amount` channels along `dim` of least Ln norm (`n` as `torch.norm`'s `p`). @category torch @since 0.3.0 */
export class LnStructured extends BasePruningMethod {
  readonly PRUNING_TYPE = 'structured' as const
  constructor(
    readonly amount: number,
    readonly n: number | string,
    readonly dim = -1,
  ) {
    super()
    checkAmount(amount)
  }
  compute_mask(t: Tensor, default_mask: Tensor): Tensor {
    const [size, k] = channelsToPrune(t, this.amount, this.dim)
    if (k === 0) return default_mask
    const d = this.dim < 0 ? t.dim() + this.dim : this.dim
    const others = Array.from({ length: t.dim() }, (_, i) => i).filter((i) => i !== d)
    const norm = t.norm(this.n as number, others)
    const kept = norm.topk(size - k, { largest: true }).indices
    return channelMask(t, d, kept).mul_(default_mask.to(t.dtype))
  }
}

/** The given mask. @category torch @since 0.3.0 */
export class CustomFromMask extends BasePruningMethod {
  readonly PRUNING_TYPE = 'global' as const
  constructor(readonly mask: Tensor) {
    super()
  }
  compute_mask(_t: Tensor, default_mask: Tensor): Tensor {
    if (default_mask.shape.join() !== this.mask.shape.join())
      throw new AssertionError('mask and default_mask must have the same shape')
    return default_mask.mul(this.mask.to(default_mask.dtype))
  }
}

/** The `importance_scores` keyword of the magnitude-based functions. @category torch @since 0.3.0 */
export type Scores = { readonly importance_scores?: Tensor | null }

/** Sets up pruning of `name` without removing anything (mask of ones). @category torch @since 0.3.0 */
export const identity = <M extends Module>(module: M, name: string): M => {
  applyMethod(module, name, new Identity(), null)
  return module
}
/** Prunes `amount` random entries of `module.<name>`. @category torch @since 0.3.0 */
export const random_unstructured = <M extends Module>(module: M, name: string, amount: number): M => {
  applyMethod(module, name, new RandomUnstructured(amount), null)
  return module
}
/**
 * Prunes the `amount` entries of `module.<name>` of least magnitude (or of least `importance_scores`).
 * @example
 * import * as torch from 'wengert/torch'
 * const lin = torch.nn.Linear(2, 2, { bias: false })
 * torch.no_grad(() => lin.weight.copy_(torch.tensor([[1, -4], [3, 0.5]])))
 * torch.nn.utils.prune.l1_unstructured(lin, 'weight', 0.5)
 * assert.deepStrictEqual(lin.weight.tolist(), [[0, -4], [3, 0]])
 * assert.deepStrictEqual(Object.keys(lin.state_dict()), ['weight_orig', 'weight_mask'])
 * @category torch @since 0.3.0
 */
export const l1_unstructured = <M extends Module>(module: M, name: string, amount: number, kw: Scores = {}): M => {
  applyMethod(module, name, new L1Unstructured(amount), kw.importance_scores ?? null)
  return module
}
/** Prunes `amount` random channels of `module.<name>` along `dim`. @category torch @since 0.3.0 */
export const random_structured = <M extends Module>(module: M, name: string, amount: number, dim: number): M => {
  applyMethod(module, name, new RandomStructured(amount, dim), null)
  return module
}
/** Prunes the `amount` channels along `dim` of least `n`-norm. @category torch @since 0.3.0 */
export const ln_structured = <M extends Module>(
  module: M,
  name: string,
  amount: number,
  n: number | string,
  dim: number,
  kw: Scores = {},
): M => {
  applyMethod(module, name, new LnStructured(amount, n, dim), kw.importance_scores ?? null)
  return module
}
/** Prunes `module.<name>` with a given mask. @category torch @since 0.3.0 */
export const custom_from_mask = <M extends Module>(module: M, name: string, mask: Tensor): M => {
  applyMethod(module, name, new CustomFromMask(mask), null)
  return module
}

/** A pruning method class constructed from an amount, as `global_unstructured` takes it. @category torch @since 0.3.0 */
export type MethodClass = new (amount: number) => BasePruningMethod

/**
 * Prunes the given `[module, name]` tensors together: the unstructured `pruning_method` (e.g.
 * `L1Unstructured`) ranks all their entries at once and each tensor gets its share of the mask.
 * @example
 * import * as torch from 'wengert/torch'
 * const [a, b] = [torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)]
 * const { prune } = torch.nn.utils
 * prune.global_unstructured([[a, 'weight'], [b, 'weight']], prune.L1Unstructured, { amount: 4 })
 * assert.strictEqual(a.weight.eq(0).sum().item() + b.weight.eq(0).sum().item(), 4)
 * @category torch @since 0.3.0
 */
export const global_unstructured = (
  parameters: Iterable<readonly [Module, string]>,
  pruning_method: MethodClass,
  kw: { readonly amount: number; readonly importance_scores?: ReadonlyMap<readonly [Module, string], Tensor> | null },
): void => {
  const pairs = [...parameters]
  const get = (m: Module, n: string): Tensor => (m as unknown as Record<string, Tensor>)[n] as Tensor
  // keys are [module, name] pairs, matched by their contents (a JS array is not a Python tuple)
  const given = [...(kw.importance_scores ?? new Map<readonly [Module, string], Tensor>())]
  const scoreOf = (m: Module, n: string): Tensor | undefined => given.find(([[km, kn]]) => km === m && kn === n)?.[1]
  const scores = pairs.map(([m, n]) => scoreOf(m, n) ?? get(m, n))
  const masks = pairs.map(
    ([m, n]) => (m as unknown as Record<string, Tensor | undefined>)[`${n}_mask`] ?? ones_like(get(m, n)),
  )
  const method = new pruning_method(kw.amount)
  method._tensor_name = 'temp'
  if (method.PRUNING_TYPE !== 'unstructured')
    throw new TorchTypeError(
      `Only "unstructured" PRUNING_TYPE supported for the \`pruning_method\`. Found method ${pruning_method.name} of type ${method.PRUNING_TYPE}`,
    )
  const container = new PruningContainer(method)
  const finalMask = no_grad(() =>
    container.compute_mask(cat(scores.map((s) => s.detach().reshape(-1))), cat(masks.map((t) => t.reshape(-1)))),
  )
  let at = 0
  for (const [m, n] of pairs) {
    const p = get(m, n)
    custom_from_mask(m, n, finalMask.narrow(0, at, p.numel()).view_as(p))
    at += p.numel()
  }
}

/**
 * Makes the pruning of `module.<name>` permanent (`<name>` becomes a parameter again, holding the
 * masked values; `<name>_orig`, `<name>_mask` and the hook go).
 * @example
 * import * as torch from 'wengert/torch'
 * const lin = torch.nn.Linear(2, 2)
 * torch.nn.utils.prune.l1_unstructured(lin, 'weight', 2)
 * torch.nn.utils.prune.remove(lin, 'weight')
 * assert.deepStrictEqual(Object.keys(lin.state_dict()), ['bias', 'weight'])
 * assert.strictEqual(torch.nn.utils.prune.is_pruned(lin), false)
 * @category torch @since 0.3.0
 */
export const remove = <M extends Module>(module: M, name: string): M => {
  const found = findMethod(module, name)
  if (found === null)
    throw new TorchValueError(
      `Parameter '${name}' of module ${String(module)} has to be pruned before pruning can be removed`,
    )
  found[1].remove(module)
  ;(module._forward_pre_hooks as Hooked[]).splice(found[0], 1)
  return module
}

/** True when some submodule of `module` has a pruning hook. @category torch @since 0.3.0 */
export const is_pruned = (module: Module): boolean => {
  for (const m of module.modules())
    if ((m._forward_pre_hooks as Hooked[]).some((h) => h._pruning_method !== undefined)) return true
  return false
}

/**
 * The base of `torch.distributions`: {@link Distribution} (shapes, argument and sample validation,
 * `sample` as `rsample` without gradients, `expand`, PyTorch's repr) and the helpers the
 * distributions share (broadcasting parameters, standard noise from the facade's generator).
 *
 * @category torch
 * @since 0.2.0
 */
import { keyArray } from '../../ndarray/random/batched'
import { no_grad } from '../autograd/grad_mode'
import { tensor } from '../creation'
import { get_default_dtype, type TorchDType } from '../dtype'
import { NotImplementedError, TorchTypeError, TorchValueError } from '../errors'
import { parseArgs, pyParams } from '../kwargs'
import { pyFloatRepr, pyTuple } from '../format'
import { keyOf } from '../generator'
import { sampleNormal, sampleUniform } from '../sampling'
import { broadcastShape } from '../ops/convert'
import { makeSize, Tensor, type Size } from '../tensor'
import { is_dependent, type Constraint } from './constraints'

type T = Tensor
/** A distribution parameter: a tensor, or a number (made a tensor of the default dtype). */
export type Param = Tensor | number
/** The `arg_constraints` of a distribution: a constraint per parameter name. */
export type ArgConstraints = Readonly<Record<string, Constraint>>
/** A sample shape: `sample([n])`, `sample([n, m])`. */
export type SampleShape = ReadonlyArray<number>

let defaultValidate = true

/** The `validate_args` keyword every distribution takes. */
export interface ValidateKw {
  /** Check parameters and `log_prob`'s values (default: {@link Distribution.set_default_validate_args}, true). */
  readonly validate_args?: boolean | null
}

/**
 * A distribution's constructor arguments bound to `names` (positionally, then by keyword); the
 * first `required` names must be given (Python's TypeError text otherwise).
 */
export const parseDistArgs = (
  args: ReadonlyArray<unknown>,
  names: ReadonlyArray<string>,
  required: number,
): Record<string, unknown> => {
  const out = parseArgs('__init__', args, names)
  const missing = names.slice(0, required).filter((n) => out[n] === undefined || out[n] === null)
  if (missing.length > 0)
    throw new TorchTypeError(
      `__init__() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `'${m}'`).join(' and ')}`,
    )
  return out
}

/** The validate_args value of parsed arguments. */
export const validateOf = (a: Record<string, unknown>): boolean | null =>
  (a['validate_args'] as boolean | undefined) ?? null

/** Sets whether distributions validate their arguments by default (PyTorch: on, as `__debug__`). */
export const setDefaultValidate = (value: boolean): void => {
  defaultValidate = value
}

/** Parameters broadcast to one shape, numbers made tensors of the first tensor's dtype (PyTorch's `broadcast_all`). */
export const broadcastAll = (...values: ReadonlyArray<Param>): T[] => {
  const first = values.find((v): v is T => v instanceof Tensor)
  const dtype = first?.dtype.is_floating_point === true ? first.dtype : get_default_dtype()
  const ts = values.map((v) => (v instanceof Tensor ? v : tensor(v, { dtype })))
  const shape = ts.reduce<ReadonlyArray<number>>((s, t) => broadcastShape(s, t.shape), [])
  return ts.map((t) => (sameShape(t.shape, shape) ? t : t.expand([...shape])))
}

/** A parameter as a tensor (a number becomes a 0-d tensor of `like`'s dtype, else the default dtype). */
export const asTensor = (v: Param, like?: T): T =>
  v instanceof Tensor ? v : tensor(v, { dtype: like?.dtype ?? get_default_dtype() })

export const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i])

/** A fresh PRNG key (raw key data) from the facade's global generator. */
const nextKeyArray = (): ReturnType<typeof keyArray> => {
  const k = keyOf(null)
  return keyArray([], [k.k0, k.k1])
}

/** Standard normal draws of `shape` and `dtype` from the global generator (a constant tensor). */
export const standardNormal = (shape: ReadonlyArray<number>, dtype: TorchDType): T =>
  Tensor._fromValue(sampleNormal(null, shape, dtype.storage === 'float64' ? 'float64' : 'float32'))

/** Uniform draws in [0, 1) of `shape` and `dtype` from the global generator. */
export const standardUniform = (shape: ReadonlyArray<number>, dtype: TorchDType): T =>
  Tensor._fromValue(sampleUniform(null, shape, dtype.storage === 'float64' ? 'float64' : 'float32'))

/** The raw key of the next draw (for the samplers of src/ops/random). */
export const drawKey = nextKeyArray

/** The sum over the rightmost `n` axes (PyTorch's `_sum_rightmost`). */
export const sumRightmost = (v: T, n: number): T =>
  n <= 0 ? v : v.reshape(...v.shape.slice(0, v.dim() - n), -1).sum(-1)

/** Modules of torch.distributions whose name is not the snake_case of their class's. */
const MODULES: Readonly<Record<string, string>> = {
  RelaxedOneHotCategorical: 'relaxed_categorical',
  ExpRelaxedCategorical: 'relaxed_categorical',
  LogitRelaxedBernoulli: 'relaxed_bernoulli',
  OneHotCategoricalStraightThrough: 'one_hot_categorical',
  LowRankMultivariateNormal: 'lowrank_multivariate_normal',
  StudentT: 'studentT',
  LKJCholesky: 'lkj_cholesky',
}

/** Python's `str` of a torch.distributions class: `<class 'torch.distributions.module.Name'>`. */
const pyClassName = (name: string): string => {
  const module = MODULES[name] ?? name.replace(/(?<=[a-z])([A-Z])/g, '_$1').toLowerCase()
  return `<class 'torch.distributions.${module}.${name}'>`
}

/** `repr` of a parameter in a distribution's repr: its value when it has one element, else its size. */
const paramRepr = (v: T): string => {
  if (v.numel() !== 1) return String(v.shape)
  return v.dim() === 0 ? pyFloatRepr(v.item() as number) : String(v)
}

/** A value's printed form in a validation error (`-1.0` for a 0-d tensor, the tensor otherwise). */
const valueRepr = (v: T): string => (v.dim() === 0 ? pyFloatRepr(v.item() as number) : String(v))

const parseDistributionInit = pyParams('Distribution.__init__', ['batch_shape', 'event_shape', 'validate_args'], 0, 1)

/** A shape argument of `Distribution.__init__` (default `torch.Size([])`). */
const shapeArg = (name: string, v: unknown): ReadonlyArray<number> => {
  if (v === undefined) return []
  if (Array.isArray(v) && v.every((d) => Number.isInteger(d) && (d as number) >= 0)) return v as number[]
  throw new TorchTypeError(`Distribution.__init__(): ${name} must be a torch.Size or a sequence of ints`)
}

/**
 * PyTorch's `torch.distributions.Distribution`: the base class. Subclasses set their parameters,
 * then call `_init` with the batch and event shapes (it validates the
 * parameters against `arg_constraints`).
 * @example
 * import * as torch from 'wengert/torch'
 * const d = new torch.distributions.Normal(torch.zeros(3), 1)
 * assert.strictEqual(String(d.batch_shape), 'torch.Size([3])')
 * assert.strictEqual(String(d), 'Normal(loc: torch.Size([3]), scale: torch.Size([3]))')
 * @category torch
 * @since 0.2.0
 */
export abstract class Distribution {
  /** True when `rsample` is implemented (reparameterised, differentiable samples). */
  readonly has_rsample: boolean = false
  /** True when `enumerate_support` is implemented. */
  readonly has_enumerate_support: boolean = false
  /** @internal */
  _batch_shape: Size = makeSize([])
  /** @internal */
  _event_shape: Size = makeSize([])
  /** @internal */
  _validate_args = defaultValidate

  /**
   * PyTorch's `Distribution.__init__(batch_shape, event_shape, validate_args)` when the base class is
   * constructed with arguments (subclasses call `super()` and set their shapes through `_init`):
   * sets the shapes and the validation flag; any other keyword raises Python's TypeError.
   */
  constructor(...args: unknown[]) {
    if (args.length === 0) return
    const [batch, event, validate] = parseDistributionInit(args)
    this._batch_shape = makeSize(shapeArg('batch_shape', batch))
    this._event_shape = makeSize(shapeArg('event_shape', event))
    if (validate !== undefined && validate !== null) this._validate_args = validate === true
  }

  /** Sets whether new distributions validate their arguments and samples (default true). */
  static set_default_validate_args(value: boolean): void {
    setDefaultValidate(value)
  }

  /** The parameters' constraints, checked at construction when validation is on. */
  abstract get arg_constraints(): ArgConstraints
  /** The set samples live in (`log_prob`'s argument is checked against it). */
  abstract get support(): Constraint

  /**
   * @internal The constructor of a distribution whose parameters are all required and broadcast
   * together, with no event dimensions: parses `names` and `validate_args` from `args`, stores the
   * broadcast parameters under their names and initialises; returns them in order.
   */
  protected _scalarParams(args: ReadonlyArray<unknown>, names: ReadonlyArray<string>): T[] {
    const a = parseDistArgs(args, [...names, 'validate_args'], names.length)
    const ps = broadcastAll(...names.map((n) => a[n] as Param))
    Object.assign(this, Object.fromEntries(names.map((n, i) => [n, ps[i]])))
    this._init((ps[0] as T).shape, [], validateOf(a))
    return ps
  }
  /**
   * @internal Sets the shapes and validates the parameters present in `params` (the given ones);
   * the repr lists `given` (default `params`; PyTorch lists the parameters stored on the instance).
   */
  protected _init(
    batch_shape: ReadonlyArray<number>,
    event_shape: ReadonlyArray<number>,
    validate_args: boolean | null | undefined,
    params: ReadonlyArray<string> = Object.keys(this.arg_constraints),
    given: ReadonlyArray<string> = params,
  ): void {
    this._batch_shape = makeSize(batch_shape)
    this._event_shape = makeSize(event_shape)
    this._validate_args = validate_args ?? defaultValidate
    this._given = given
    if (!this._validate_args) return
    for (const name of params) {
      const constraint = this.arg_constraints[name]
      const value = this._param(name)
      if (constraint === undefined || value === undefined || is_dependent(constraint)) continue
      if (!(constraint.check(value).all().item() as boolean))
        throw new TorchValueError(
          `Expected parameter ${name} (Tensor of shape ${pyTuple(value.shape)}) of distribution ${String(this)} ` +
            `to satisfy the constraint ${String(constraint)}, but found invalid values:\n${valueRepr(value)}`,
        )
    }
  }
  /** @internal The parameters given to the constructor (shown by the repr). */
  _given: ReadonlyArray<string> = []

  /**
   * @internal PyTorch's `lazy_property` for a parameter derived from the given one (`logits` from
   * `probs` or the reverse): PyTorch caches it on the instance when first read, and its repr lists
   * the parameters found on the instance, so `name` joins the repr (in `arg_constraints` order)
   * once read. Call after `_init`.
   */
  protected _lazy(name: string): void {
    const values = { ...this._lazyValues, [name]: this._param(name) }
    this._lazyValues = values
    const order = Object.keys(this.arg_constraints)
    Object.defineProperty(this, name, {
      configurable: true,
      enumerable: true,
      get(this: Distribution): T | undefined {
        if (!this._given.includes(name)) this._given = order.filter((n) => n === name || this._given.includes(n))
        return this._lazyValues[name]
      },
      set(this: Distribution, v: T | undefined): void {
        this._lazyValues = { ...this._lazyValues, [name]: v }
      },
    })
  }
  /** @internal The values of the `_lazy` parameters (read without joining the repr). */
  _lazyValues: Readonly<Record<string, T | undefined>> = {}

  /** @internal A parameter by name. */
  _param(name: string): T | undefined {
    const v = name in this._lazyValues ? this._lazyValues[name] : (this as unknown as Record<string, unknown>)[name]
    return v instanceof Tensor ? v : undefined
  }

  /** The shape over which parameters are batched. */
  get batch_shape(): Size {
    return this._batch_shape
  }
  /** The shape of one sample (`[]` for univariate distributions). */
  get event_shape(): Size {
    return this._event_shape
  }
  /** The mean. */
  get mean(): T {
    throw new NotImplementedError('')
  }
  /** The mode (PyTorch's message names the class as Python prints it, module path included). */
  get mode(): T {
    throw new NotImplementedError(`${pyClassName(this.constructor.name)} does not implement mode`)
  }
  /** The variance. */
  get variance(): T {
    throw new NotImplementedError('')
  }
  /** The standard deviation (the square root of the variance). */
  get stddev(): T {
    return this.variance.sqrt()
  }

  /** `sample_shape + batch_shape + event_shape`. */
  _extended_shape(sample_shape: SampleShape = []): Size {
    return makeSize([...sample_shape, ...this._batch_shape, ...this._event_shape])
  }

  /** Samples of shape `sample_shape + batch_shape + event_shape`, without gradients. */
  sample(sample_shape: SampleShape = []): T {
    return no_grad(() => this.rsample(sample_shape))
  }
  /** Reparameterised samples: gradients flow to the parameters. */
  rsample(sample_shape: SampleShape = []): T {
    void sample_shape
    throw new NotImplementedError('')
  }
  /** `n` samples (PyTorch's `sample_n`, deprecated there). */
  sample_n(n: number): T {
    return this.sample([n])
  }
  /** The log of the density (or mass) at `value`. */
  log_prob(value: T): T {
    void value
    throw new NotImplementedError('')
  }
  /** The cumulative distribution function at `value`. */
  cdf(value: T): T {
    void value
    throw new NotImplementedError('')
  }
  /** The inverse of the cumulative distribution function. */
  icdf(value: T): T {
    void value
    throw new NotImplementedError('')
  }
  /** The entropy, batched over `batch_shape`. */
  entropy(): T {
    throw new NotImplementedError('')
  }
  /** exp(entropy). */
  perplexity(): T {
    return this.entropy().exp()
  }

  /** @internal The tensor fields `expand` broadcasts, with how many trailing event axes each has. */
  protected _expandFields(): Readonly<Record<string, number>> {
    return Object.fromEntries(Object.keys(this.arg_constraints).map((k) => [k, 0]))
  }

  /**
   * The distribution with its parameters expanded to `batch_shape` (views: gradients flow back
   * to the original parameters).
   */
  expand(batch_shape: ReadonlyArray<number>): this {
    const out = Object.create(Object.getPrototypeOf(this) as object) as this
    // descriptors, not values: a `_lazy` parameter stays lazy (and unread) in the copy
    Object.defineProperties(out, Object.getOwnPropertyDescriptors(this))
    for (const [name, extra] of Object.entries(this._expandFields())) {
      const v = this._param(name)
      if (v === undefined) continue
      const tail = extra === 0 ? [] : v.shape.slice(-extra)
      ;(out as unknown as Record<string, T>)[name] = v.expand([...batch_shape, ...tail])
    }
    out._batch_shape = makeSize(batch_shape)
    return out
  }

  /** Checks `value` is a tensor of a broadcastable shape inside the support (when validating). */
  protected _validate_sample(value: unknown): asserts value is T {
    if (!(value instanceof Tensor)) throw new TorchValueError('The value argument to log_prob must be a Tensor')
    if (!this._validate_args) return
    const ev = this._event_shape
    const shape = value.shape
    const tail = shape.slice(shape.length - ev.length)
    if (shape.length < ev.length || !sameShape(tail, ev))
      throw new TorchValueError(
        `The right-most size of value must match event_shape: ${String(shape)} vs ${String(ev)}.`,
      )
    const expected = [...this._batch_shape, ...ev]
    for (let i = 1; i <= Math.min(shape.length, expected.length); i++) {
      const a = shape[shape.length - i] as number
      const b = expected[expected.length - i] as number
      if (a !== 1 && b !== 1 && a !== b)
        throw new TorchValueError(
          `Value is not broadcastable with batch_shape+event_shape: ${String(shape)} vs ${String(makeSize(expected))}.`,
        )
    }
    if (!(this.support.check(value).all().item() as boolean))
      throw new TorchValueError(
        `Expected value argument (Tensor of shape ${pyTuple(shape)}) to be within the support (${String(this.support)}) ` +
          `of the distribution ${String(this)}, but found invalid values:\n${valueRepr(value)}`,
      )
  }

  /** PyTorch's repr: `Normal(loc: 0.0, scale: 1.0)`. */
  toString(): string {
    const args = this._given.map((p) => {
      const v = this._param(p)
      return `${p}: ${v === undefined ? 'None' : paramRepr(v)}`
    })
    return `${this.constructor.name}(${args.join(', ')})`
  }
}

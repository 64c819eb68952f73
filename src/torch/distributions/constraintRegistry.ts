/**
 * `torch.distributions.biject_to` and `transform_to` (PyTorch's `constraint_registry`): the
 * transform from unconstrained reals onto a constraint's set, looked up by the constraint's
 * class. `biject_to(c)` is bijective (for HMC-style reparameterisation), `transform_to(c)` need
 * not be (for optimisation); `register` adds or overrides a rule.
 *
 * @category torch
 * @since 0.2.0
 */
import { NotImplementedError, TorchTypeError } from '../errors'
import { Tensor } from '../tensor'
import type { Param } from './distribution'
import * as constraints from './constraints'
import { ComposeTransform, identity_transform, type Transform } from './transforms'
import { IndependentTransform } from './transformsStructural'
import { AbsTransform as _Abs, ExpTransform, SigmoidTransform } from './transformsElementwise'
import { AffineTransform } from './transformsAffine'
import {
  CatTransform,
  CorrCholeskyTransform,
  LowerCholeskyTransform,
  SoftmaxTransform,
  StackTransform,
  StickBreakingTransform,
} from './transformsVector'

void _Abs
/** A factory: the transform for one constraint of a registered class. */
export type TransformFactory = (constraint: never) => Transform
/** What `register` accepts: a constraint, its class, or a parameterised constraint's factory (`greater_than`). */
export type ConstraintKey =
  constraints.Constraint | constraints.ConstraintClass | ((...args: never[]) => constraints.Constraint)

/**
 * PyTorch's `ConstraintRegistry`: constraint class → transform factory.
 * @example
 * import * as torch from 'wengert/torch'
 * const { biject_to, constraints } = torch.distributions
 * const t = biject_to(constraints.interval(-1, 1))
 * assert.ok(Math.abs(t(torch.tensor(0)).item()) < 1e-7)
 * assert.throws(() => biject_to(constraints.one_hot), /Cannot transform _OneHot constraints/)
 * @category torch
 * @since 0.2.0
 */
export class ConstraintRegistry {
  /** @internal */
  readonly _registry = new Map<unknown, TransformFactory>()

  /** Registers `factory` for the class of `constraint` (`register(c)(factory)` when factory is omitted). */
  register(constraint: ConstraintKey, factory: TransformFactory): TransformFactory
  register(constraint: ConstraintKey): (factory: TransformFactory) => TransformFactory
  register(
    constraint: ConstraintKey,
    factory?: TransformFactory,
  ): TransformFactory | ((factory: TransformFactory) => TransformFactory) {
    if (factory === undefined) return (f: TransformFactory) => this.register(constraint, f)
    const cls =
      constraint instanceof constraints.Constraint
        ? constraint.constructor
        : (constraints.factoryClasses.get(constraint) ?? constraint)
    if (typeof cls !== 'function' || !(cls.prototype instanceof constraints.Constraint))
      throw new TorchTypeError(
        `Expected constraint to be either a Constraint subclass or instance, but got ${String(constraint)}`,
      )
    this._registry.set(cls, factory)
    return factory
  }

  /** The transform onto `constraint`'s set. */
  call(constraint: constraints.Constraint): Transform {
    const factory = this._registry.get(constraint.constructor)
    if (factory === undefined)
      throw new NotImplementedError(`Cannot transform _${constraint.constructor.name.replace(/C$/, '')} constraints`)
    return (factory as (c: constraints.Constraint) => Transform)(constraint)
  }
}

type Fields = Record<string, unknown>
const field = <V>(c: constraints.Constraint, name: string): V => (c as unknown as Fields)[name] as V

const makeCallable = (r: ConstraintRegistry): Registry =>
  Object.assign((c: constraints.Constraint) => r.call(c), {
    register: r.register.bind(r) as ConstraintRegistry['register'],
    _registry: r._registry,
    call: (c: constraints.Constraint) => r.call(c),
  })

/** A registry that is also callable: `biject_to(c)`. */
export type Registry = ((constraint: constraints.Constraint) => Transform) &
  Pick<ConstraintRegistry, 'register' | 'call' | '_registry'>

/**
 * PyTorch's `biject_to(constraint)`: a bijective transform from the reals onto `constraint`.
 * @example
 * import * as torch from 'wengert/torch'
 * const { biject_to, constraints } = torch.distributions
 * const t = biject_to(constraints.simplex)
 * assert.ok(Math.abs(t(torch.zeros(2)).sum().item() - 1) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const biject_to: Registry = makeCallable(new ConstraintRegistry())

/**
 * PyTorch's `transform_to(constraint)`: a transform from the reals onto `constraint` (not
 * necessarily bijective, e.g. softmax for the simplex).
 * @example
 * import * as torch from 'wengert/torch'
 * const { transform_to, constraints } = torch.distributions
 * assert.strictEqual(String(transform_to(constraints.simplex)), 'SoftmaxTransform()')
 * @category torch
 * @since 0.2.0
 */
export const transform_to: Registry = makeCallable(new ConstraintRegistry())

const both = (key: ConstraintKey, f: TransformFactory): void => {
  biject_to.register(key, f)
  transform_to.register(key, f)
}

both(constraints.real, () => identity_transform)
biject_to.register(
  constraints.independent,
  (c: constraints.Constraint) =>
    new IndependentTransform(biject_to(field(c, 'base_constraint')), field<number>(c, 'reinterpreted_batch_ndims')),
)
transform_to.register(
  constraints.independent,
  (c: constraints.Constraint) =>
    new IndependentTransform(transform_to(field(c, 'base_constraint')), field<number>(c, 'reinterpreted_batch_ndims')),
)
// positive and nonnegative are GreaterThan(0)/GreaterThanEq(0): PyTorch's later greater_than rule wins for them
const toGreater = (c: constraints.Constraint): Transform =>
  new ComposeTransform([new ExpTransform(), new AffineTransform(field<Param>(c, 'lower_bound'), 1)])
both(constraints.greater_than, toGreater)
both(constraints.greater_than_eq, toGreater)
both(
  constraints.less_than,
  (c: constraints.Constraint) =>
    new ComposeTransform([new ExpTransform(), new AffineTransform(field<Param>(c, 'upper_bound'), -1)]),
)
const toInterval = (c: constraints.Constraint): Transform => {
  const lo = field<number | Tensor>(c, 'lower_bound')
  const hi = field<number | Tensor>(c, 'upper_bound')
  if (lo === 0 && hi === 1) return new SigmoidTransform()
  const scale = hi instanceof Tensor ? hi.sub(lo) : lo instanceof Tensor ? lo.neg().add(hi) : hi - lo
  return new ComposeTransform([new SigmoidTransform(), new AffineTransform(lo, scale)])
}
both(constraints.interval, toInterval)
both(constraints.half_open_interval, toInterval)
biject_to.register(constraints.simplex, () => new StickBreakingTransform())
transform_to.register(constraints.simplex, () => new SoftmaxTransform())
transform_to.register(constraints.lower_cholesky, () => new LowerCholeskyTransform())
both(constraints.corr_cholesky, () => new CorrCholeskyTransform())
for (const r of [biject_to, transform_to]) {
  r.register(
    constraints.cat,
    (c: constraints.Constraint) =>
      new CatTransform(
        field<constraints.Constraint[]>(c, 'cseq').map((x) => r(x)),
        field<number>(c, 'dim'),
        field<number[]>(c, 'lengths'),
      ),
  )
  r.register(
    constraints.stack,
    (c: constraints.Constraint) =>
      new StackTransform(
        field<constraints.Constraint[]>(c, 'cseq').map((x) => r(x)),
        field<number>(c, 'dim'),
      ),
  )
}

/**
 * `torch.distributions.constraints`: the sets a distribution's parameters and samples live in
 * (`real`, `positive`, `unit_interval`, `simplex`, …). `check(value)` is a boolean tensor (one
 * entry per event), and each constraint prints as PyTorch's `repr` (`GreaterThan(lower_bound=0.0)`),
 * which the validation errors quote.
 *
 * @example
 * import * as torch from 'wengert/torch'
 * const { constraints } = torch.distributions
 * assert.deepStrictEqual(constraints.positive.check(torch.tensor([1, -1])).tolist(), [true, false])
 * assert.strictEqual(String(constraints.unit_interval), 'Interval(lower_bound=0.0, upper_bound=1.0)')
 * assert.deepStrictEqual(constraints.simplex.check(torch.tensor([[0.5, 0.5], [0.5, 0.6]])).tolist(), [true, false])
 * @category torch
 * @since 0.2.0
 */
import { TorchValueError } from '../errors'
import { finfo } from '../finfo'
import { cat as torchCat, stack as torchStack } from '../ops/functions'
import { pyFloatRepr } from '../format'
import { tril } from '../linalg'
import { eigvalsh as torchEigvalsh } from '../linalgDecompositions'
import { Tensor } from '../tensor'

type T = Tensor
/** A bound of a constraint: a number, or a tensor of per-element bounds. */
export type Bound = number | Tensor

const boundRepr = (b: Bound, integer = false): string =>
  b instanceof Tensor
    ? b.dim() === 0
      ? boundRepr(b.item() as number, integer && !b.is_floating_point()) // a float tensor's item is a Python float
      : String(b)
    : integer
      ? String(b)
      : pyFloatRepr(b)

/** True where `v` is a whole number. */
const isWhole = (v: T): T => v.remainder(1).eq(0)

/** A set of values: `check(value)` tells which entries (events of `event_dim` axes) belong to it. */
export abstract class Constraint {
  /** True for sets of integers (discrete distributions). */
  readonly is_discrete: boolean = false
  /** The number of rightmost axes that form one event. */
  readonly event_dim: number = 0
  /** A boolean tensor: true where `value` satisfies the constraint (reduced over the event axes). */
  abstract check(value: T): T
  /** PyTorch's repr. */
  abstract toString(): string
}

class Dependent extends Constraint {
  check(): T {
    throw new TorchValueError('Cannot determine validity of dependent constraint')
  }
  toString(): string {
    return 'Dependent()'
  }
}

class Real extends Constraint {
  check(v: T): T {
    return v.eq(v)
  }
  toString(): string {
    return 'Real()'
  }
}

class GreaterThan extends Constraint {
  constructor(readonly lower_bound: Bound) {
    super()
  }
  check(v: T): T {
    return v.gt(this.lower_bound)
  }
  toString(): string {
    return `GreaterThan(lower_bound=${boundRepr(this.lower_bound)})`
  }
}

class GreaterThanEq extends Constraint {
  constructor(readonly lower_bound: Bound) {
    super()
  }
  check(v: T): T {
    return v.ge(this.lower_bound)
  }
  toString(): string {
    return `GreaterThanEq(lower_bound=${boundRepr(this.lower_bound)})`
  }
}

class Interval extends Constraint {
  constructor(
    readonly lower_bound: Bound,
    readonly upper_bound: Bound,
  ) {
    super()
  }
  check(v: T): T {
    return v.ge(this.lower_bound).logical_and(v.le(this.upper_bound))
  }
  toString(): string {
    return `Interval(lower_bound=${boundRepr(this.lower_bound)}, upper_bound=${boundRepr(this.upper_bound)})`
  }
}

class HalfOpenInterval extends Interval {
  override check(v: T): T {
    return v.ge(this.lower_bound).logical_and(v.lt(this.upper_bound))
  }
  override toString(): string {
    return `HalfOpenInterval(lower_bound=${boundRepr(this.lower_bound)}, upper_bound=${boundRepr(this.upper_bound)})`
  }
}

class BooleanC extends Constraint {
  override readonly is_discrete = true
  check(v: T): T {
    return v.eq(0).logical_or(v.eq(1))
  }
  toString(): string {
    return 'Boolean()'
  }
}

class IntegerGreaterThan extends Constraint {
  override readonly is_discrete = true
  constructor(readonly lower_bound: number) {
    super()
  }
  check(v: T): T {
    return isWhole(v).logical_and(v.ge(this.lower_bound))
  }
  toString(): string {
    return `IntegerGreaterThan(lower_bound=${this.lower_bound})`
  }
}

class IntegerInterval extends Constraint {
  override readonly is_discrete = true
  constructor(
    readonly lower_bound: number,
    readonly upper_bound: Bound,
  ) {
    super()
  }
  check(v: T): T {
    return isWhole(v).logical_and(v.ge(this.lower_bound)).logical_and(v.le(this.upper_bound))
  }
  toString(): string {
    return `IntegerInterval(lower_bound=${this.lower_bound}, upper_bound=${boundRepr(this.upper_bound, true)})`
  }
}

class Simplex extends Constraint {
  override readonly event_dim = 1
  check(v: T): T {
    return v.ge(0).all(-1).logical_and(v.sum(-1).sub(1).abs().lt(1e-6))
  }
  toString(): string {
    return 'Simplex()'
  }
}

class OneHot extends Constraint {
  override readonly is_discrete = true
  override readonly event_dim = 1
  check(v: T): T {
    return v.eq(0).logical_or(v.eq(1)).all(-1).logical_and(v.sum(-1).eq(1))
  }
  toString(): string {
    return 'OneHot()'
  }
}

class IndependentConstraint extends Constraint {
  override readonly is_discrete: boolean
  override readonly event_dim: number
  constructor(
    readonly base_constraint: Constraint,
    readonly reinterpreted_batch_ndims: number,
  ) {
    super()
    this.is_discrete = base_constraint.is_discrete
    this.event_dim = base_constraint.event_dim + reinterpreted_batch_ndims
  }
  check(v: T): T {
    const r = this.base_constraint.check(v)
    const n = this.reinterpreted_batch_ndims
    if (n === 0) return r
    return r.reshape(...r.shape.slice(0, r.dim() - n), -1).all(-1)
  }
  toString(): string {
    return `IndependentConstraint(${String(this.base_constraint)}, ${this.reinterpreted_batch_ndims})`
  }
}

/** Square matrices whose rows are rows of `tril` with a positive diagonal. */
class LowerCholesky extends Constraint {
  override readonly event_dim = 2
  check(v: T): T {
    const lower = tril(v)
      .eq(v)
      .reshape(...v.shape.slice(0, -2), -1)
      .all(-1)
    return lower.logical_and(v.diagonal(0, -2, -1).gt(0).all(-1))
  }
  toString(): string {
    return 'LowerCholesky()'
  }
}

/** Symmetric matrices with positive eigenvalues. */
class PositiveDefinite extends Constraint {
  override readonly event_dim = 2
  check(v: T): T {
    const sym = v
      .sub(v.transpose(-2, -1))
      .abs()
      .le(1e-6)
      .reshape(...v.shape.slice(0, -2), -1)
      .all(-1)
    // a symmetric matrix is positive definite when its smallest eigenvalue is positive
    const vals = torchEigvalsh(v.add(v.transpose(-2, -1)).mul(0.5))
    return sym.logical_and(vals.gt(0).all(-1))
  }
  toString(): string {
    return 'PositiveDefinite()'
  }
}

/** A placeholder for constraints that depend on other parameters (never checked). */
export const dependent: Constraint = new Dependent()
/** True for {@link dependent} (such constraints are skipped by argument validation). */
export const is_dependent = (c: Constraint): boolean => c instanceof Dependent
/** Any real number (not NaN). */
export const real: Constraint = new Real()
/** Real vectors (one event per last axis). */
export const real_vector: Constraint = new IndependentConstraint(real, 1)
/** x > 0. */
export const positive: Constraint = new GreaterThan(0)
/** x ≥ 0. */
export const nonnegative: Constraint = new GreaterThanEq(0)
/** 0 ≤ x ≤ 1. */
export const unit_interval: Constraint = new Interval(0, 1)
/** 0 or 1. */
export const boolean: Constraint = new BooleanC()
/** Integers ≥ 0. */
export const nonnegative_integer: Constraint = new IntegerGreaterThan(0)
/** Integers ≥ 1. */
export const positive_integer: Constraint = new IntegerGreaterThan(1)
/** Non-negative vectors summing to 1 over the last axis. */
export const simplex: Constraint = new Simplex()
/** One-hot vectors over the last axis. */
export const one_hot: Constraint = new OneHot()
/** Lower-triangular matrices with a positive diagonal. */
export const lower_cholesky: Constraint = new LowerCholesky()
/** Symmetric positive-definite matrices. */
export const positive_definite: Constraint = new PositiveDefinite()
/** x > lower_bound. */
export const greater_than = (lower_bound: Bound): Constraint => new GreaterThan(lower_bound)
/** x ≥ lower_bound. */
export const greater_than_eq = (lower_bound: Bound): Constraint => new GreaterThanEq(lower_bound)
/** lower_bound ≤ x ≤ upper_bound. */
export const interval = (lower_bound: Bound, upper_bound: Bound): Constraint => new Interval(lower_bound, upper_bound)
/** lower_bound ≤ x < upper_bound. */
export const half_open_interval = (lower_bound: Bound, upper_bound: Bound): Constraint =>
  new HalfOpenInterval(lower_bound, upper_bound)
/** Integers in [lower_bound, upper_bound]. */
export const integer_interval = (lower_bound: number, upper_bound: Bound): Constraint =>
  new IntegerInterval(lower_bound, upper_bound)
/** `base` with its rightmost `reinterpreted_batch_ndims` batch axes made part of the event. */
export const independent = (base: Constraint, reinterpreted_batch_ndims: number): Constraint =>
  new IndependentConstraint(base, reinterpreted_batch_ndims)

// -------------------------------------------------------------------------------------
// more constraints (less_than, corr_cholesky, cat, stack, square, symmetric, …)
// -------------------------------------------------------------------------------------

class LessThan extends Constraint {
  constructor(readonly upper_bound: Bound) {
    super()
  }
  check(v: T): T {
    return v.lt(this.upper_bound)
  }
  toString(): string {
    return `LessThan(upper_bound=${boundRepr(this.upper_bound)})`
  }
}

/** Lower-triangular matrices with positive diagonal and rows of unit norm (Cholesky factors of correlations). */
class CorrCholesky extends Constraint {
  override readonly event_dim = 2
  check(v: T): T {
    const tol = finfo(v.dtype).eps * (v.shape[v.dim() - 1] as number) * 10
    const unitRows = v.detach().pow(2).sum(-1).sqrt().sub(1).abs().le(tol).all(-1)
    return lower_cholesky.check(v).logical_and(unitRows)
  }
  toString(): string {
    return 'CorrCholesky()'
  }
}

class LowerTriangular extends Constraint {
  override readonly event_dim = 2
  check(v: T): T {
    return tril(v)
      .eq(v)
      .reshape(...v.shape.slice(0, -2), -1)
      .all(-1)
  }
  toString(): string {
    return 'LowerTriangular()'
  }
}

class Square extends Constraint {
  override readonly event_dim = 2
  check(v: T): T {
    const square = v.shape[v.dim() - 2] === v.shape[v.dim() - 1]
    return v.new_full([...v.shape.slice(0, -2)], square ? 1 : 0).bool()
  }
  toString(): string {
    return 'Square()'
  }
}

class Symmetric extends Square {
  override check(v: T): T {
    const sq = super.check(v)
    if (!(sq.all().item() as boolean)) return sq
    return v.isclose(v.transpose(-2, -1), { atol: 1e-6 }).all(-2).all(-1)
  }
  override toString(): string {
    return 'Symmetric()'
  }
}

class PositiveSemidefinite extends Symmetric {
  override check(v: T): T {
    const sym = super.check(v)
    if (!(sym.all().item() as boolean)) return sym
    return torchEigvalsh(v).ge(0).all(-1)
  }
  override toString(): string {
    return 'PositiveSemidefinite()'
  }
}

class MultinomialC extends Constraint {
  override readonly is_discrete = true
  override readonly event_dim = 1
  constructor(readonly upper_bound: number) {
    super()
  }
  check(v: T): T {
    return v.ge(0).all(-1).logical_and(v.sum(-1).le(this.upper_bound))
  }
  toString(): string {
    return 'Multinomial()'
  }
}

class CatC extends Constraint {
  override readonly is_discrete: boolean
  override readonly event_dim: number
  readonly lengths: ReadonlyArray<number>
  constructor(
    readonly cseq: ReadonlyArray<Constraint>,
    readonly dim = 0,
    lengths?: ReadonlyArray<number> | null,
  ) {
    super()
    this.lengths = lengths ?? cseq.map(() => 1)
    this.is_discrete = cseq.some((c) => c.is_discrete)
    this.event_dim = Math.max(...cseq.map((c) => c.event_dim))
  }
  check(v: T): T {
    let start = 0
    const checks = this.cseq.map((c, i) => {
      const len = this.lengths[i] as number
      const r = c.check(v.narrow(this.dim, start, len))
      start += len
      return r
    })
    return torchCat(checks, this.dim)
  }
  toString(): string {
    return 'Cat()'
  }
}

class StackC extends Constraint {
  override readonly is_discrete: boolean
  override readonly event_dim: number
  constructor(
    readonly cseq: ReadonlyArray<Constraint>,
    readonly dim = 0,
  ) {
    super()
    this.is_discrete = cseq.some((c) => c.is_discrete)
    this.event_dim = Math.max(...cseq.map((c) => c.event_dim))
  }
  check(v: T): T {
    const n = v.shape[this.dim < 0 ? v.dim() + this.dim : this.dim] as number
    return torchStack(
      Array.from({ length: n }, (_, i) => (this.cseq[i] as Constraint).check(v.select(this.dim, i))),
      this.dim,
    )
  }
  toString(): string {
    return 'Stack()'
  }
}

/** x < upper_bound. */
export const less_than = (upper_bound: Bound): Constraint => new LessThan(upper_bound)
/** Cholesky factors of correlation matrices. */
export const corr_cholesky: Constraint = new CorrCholesky()
/** Lower-triangular matrices. */
export const lower_triangular: Constraint = new LowerTriangular()
/** Square matrices. */
export const square: Constraint = new Square()
/** Symmetric matrices. */
export const symmetric: Constraint = new Symmetric()
/** Symmetric positive-semidefinite matrices. */
export const positive_semidefinite: Constraint = new PositiveSemidefinite()
/** Non-negative integer vectors summing to at most `upper_bound`. */
export const multinomial = (upper_bound: number): Constraint => new MultinomialC(upper_bound)
/** `cseq[i]` on the i-th slice (of `lengths[i]`, default 1) along `dim`. */
export const cat = (
  cseq: ReadonlyArray<Constraint>,
  dim = 0,
  lengths: ReadonlyArray<number> | null = null,
): Constraint => new CatC(cseq, dim, lengths)
/** `cseq[i]` on the i-th entry along `dim`. */
export const stack = (cseq: ReadonlyArray<Constraint>, dim = 0): Constraint => new StackC(cseq, dim)

/** A constraint class (what `biject_to.register` keys on). */
export type ConstraintClass = abstract new (...args: never) => Constraint
/** The class behind each parameterised constraint factory (`greater_than` → its class). */
export const factoryClasses: ReadonlyMap<unknown, ConstraintClass> = new Map<unknown, ConstraintClass>([
  [greater_than, GreaterThan],
  [greater_than_eq, GreaterThanEq],
  [less_than, LessThan],
  [interval, Interval],
  [half_open_interval, HalfOpenInterval],
  [integer_interval, IntegerInterval],
  [independent, IndependentConstraint],
  [multinomial, MultinomialC],
  [cat, CatC],
  [stack, StackC],
])

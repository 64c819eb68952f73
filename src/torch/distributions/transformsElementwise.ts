/**
 * The element-wise transforms of `torch.distributions.transforms` whose only argument is
 * `cache_size`: `ExpTransform`, `SigmoidTransform`, `SoftplusTransform`, `TanhTransform`,
 * `AbsTransform` (the base class and the structural transforms are in ./transforms.ts).
 *
 * @category torch
 * @since 0.2.0
 */
import { pyClass } from '../nn/pyclass'
import { NotImplementedError } from '../errors'
import { finfo } from '../finfo'
import { softplus } from '../nn/activation_functional'
import { Tensor } from '../tensor'
import * as constraints from './constraints'

import { Transform, type Sign } from './transforms'

type T = Tensor

/** A transform whose only argument is `cache_size`, equal to any other of its class. */
abstract class PlainTransform extends Transform {
  override _plain(): boolean {
    return true
  }
  override equals(other: Transform): boolean {
    return other.constructor === this.constructor
  }
  override get bijective(): boolean {
    return true
  }
  override get sign(): Sign {
    return 1
  }
}

/** See {@link ExpTransform}. */
class ExpTransformImpl extends PlainTransform {
  override get domain(): constraints.Constraint {
    return constraints.real
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive
  }
  override _call(x: T): T {
    return x.exp()
  }
  override _inverse(y: T): T {
    return y.log()
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    void y
    return x
  }
}

/** sigmoid clamped to [tiny, 1 − eps] (PyTorch's `_clipped_sigmoid`). */
export const clippedSigmoid = (x: T): T => {
  const fi = finfo(x.dtype)
  return x.sigmoid().clamp(fi.tiny, 1 - fi.eps)
}

/** See {@link SigmoidTransform}. */
class SigmoidTransformImpl extends PlainTransform {
  override get domain(): constraints.Constraint {
    return constraints.real
  }
  override get codomain(): constraints.Constraint {
    return constraints.unit_interval
  }
  override _call(x: T): T {
    return clippedSigmoid(x)
  }
  override _inverse(y: T): T {
    const fi = finfo(y.dtype)
    const c = y.clamp(fi.tiny, 1 - fi.eps)
    return c.log().sub(c.neg().log1p())
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    void y
    return softplus(x.neg()).neg().sub(softplus(x))
  }
}

/** See {@link SoftplusTransform}. */
class SoftplusTransformImpl extends PlainTransform {
  override get domain(): constraints.Constraint {
    return constraints.real
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive
  }
  override _call(x: T): T {
    return softplus(x)
  }
  override _inverse(y: T): T {
    return y.neg().expm1().neg().log().add(y)
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    void y
    return softplus(x.neg()).neg()
  }
}

/** See {@link TanhTransform}. */
class TanhTransformImpl extends PlainTransform {
  override get domain(): constraints.Constraint {
    return constraints.real
  }
  override get codomain(): constraints.Constraint {
    return constraints.interval(-1, 1)
  }
  override _call(x: T): T {
    return x.tanh()
  }
  override _inverse(y: T): T {
    return y.atanh()
  }
  override log_abs_det_jacobian(x: T, y: T): T {
    void y
    return x
      .neg()
      .add(Math.LN2)
      .sub(softplus(x.mul(-2)))
      .mul(2)
  }
}

/** See {@link AbsTransform}. */
class AbsTransformImpl extends PlainTransform {
  override get bijective(): boolean {
    return false
  }
  override get sign(): Sign {
    throw new NotImplementedError('')
  }
  override get domain(): constraints.Constraint {
    return constraints.real
  }
  override get codomain(): constraints.Constraint {
    return constraints.positive
  }
  override _call(x: T): T {
    return x.abs()
  }
  override _inverse(y: T): T {
    return y
  }
}

/**
 * PyTorch's `ExpTransform()`: y = exp(x).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.ExpTransform()
 * assert.strictEqual(t(torch.tensor(0)).item(), 1)
 * @category torch
 * @since 0.2.0
 */
export const ExpTransform = pyClass(ExpTransformImpl, 'ExpTransform')
/** A `ExpTransform` instance. @category torch @since 0.2.0 */
export type ExpTransform = ExpTransformImpl

/**
 * PyTorch's `SigmoidTransform()`: y = σ(x), clamped inside (0, 1).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.SigmoidTransform()
 * assert.strictEqual(t(torch.tensor(0)).item(), 0.5)
 * @category torch
 * @since 0.2.0
 */
export const SigmoidTransform = pyClass(SigmoidTransformImpl, 'SigmoidTransform')
/** A `SigmoidTransform` instance. @category torch @since 0.2.0 */
export type SigmoidTransform = SigmoidTransformImpl

/**
 * PyTorch's `SoftplusTransform()`: y = log(1 + eˣ).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.SoftplusTransform()
 * assert.ok(Math.abs(t(torch.tensor(0)).item() - Math.LN2) < 1e-6)
 * @category torch
 * @since 0.2.0
 */
export const SoftplusTransform = pyClass(SoftplusTransformImpl, 'SoftplusTransform')
/** A `SoftplusTransform` instance. @category torch @since 0.2.0 */
export type SoftplusTransform = SoftplusTransformImpl

/**
 * PyTorch's `TanhTransform()`: y = tanh(x) (used to squash Gaussian policies in SAC).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.TanhTransform()
 * assert.strictEqual(t.log_abs_det_jacobian(torch.tensor(0), torch.tensor(0)).item(), 0)
 * @category torch
 * @since 0.2.0
 */
export const TanhTransform = pyClass(TanhTransformImpl, 'TanhTransform')
/** A `TanhTransform` instance. @category torch @since 0.2.0 */
export type TanhTransform = TanhTransformImpl

/**
 * PyTorch's `AbsTransform()`: y = |x| (not bijective; its inverse is the identity).
 * @example
 * import * as torch from 'wengert/torch'
 * const t = new torch.distributions.AbsTransform()
 * assert.deepStrictEqual(t(torch.tensor([-2, 3])).tolist(), [2, 3])
 * assert.strictEqual(t.bijective, false)
 * @category torch
 * @since 0.2.0
 */
export const AbsTransform = pyClass(AbsTransformImpl, 'AbsTransform')
/** A `AbsTransform` instance. @category torch @since 0.2.0 */
export type AbsTransform = AbsTransformImpl

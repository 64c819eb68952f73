/**
 * The deprecated `torch.nn.init` names without the trailing underscore (`uniform`, `normal`,
 * `constant`, `eye`, `dirac`, `xavier_uniform`, `xavier_normal`, `kaiming_uniform`,
 * `kaiming_normal`, `orthogonal`, `sparse`): each warns as PyTorch 2.x does (a FutureWarning
 * naming the new function; 1.13 raised it as a UserWarning) and forwards to the `_` form.
 *
 * @category torch
 * @since 0.2.0
 */
import type { Tensor } from '../tensor'
import { warn } from '../warnings'
import * as I from './init'

/** The function `get` returns, behind PyTorch's deprecation warning for `nn.init.<name>` (looked up at call time: ./init re-exports this module). */
const deprecate =
  <A extends unknown[]>(name: string, get: () => (...args: A) => Tensor) =>
  (...args: A): Tensor => {
    warn(`nn.init.${name} is now deprecated in favor of nn.init.${name}_.`, 'FutureWarning')
    return get()(...args)
  }

/**
 * Deprecated: warns, then `nn.init.uniform_`.
 * @example
 * import * as torch from 'wengert/torch'
 * const [t, ws] = torch.warnings.catch_warnings(() => torch.nn.init.uniform(torch.empty(3)))
 * assert.strictEqual(ws[0]?.message, 'nn.init.uniform is now deprecated in favor of nn.init.uniform_.')
 * assert.ok(t instanceof torch.Tensor)
 * @category torch @since 0.2.0
 */
export const uniform = deprecate('uniform', () => I.uniform_)

/**
 * Deprecated: warns, then `nn.init.normal_`.
 * @example
 * import * as torch from 'wengert/torch'
 * const [t, ws] = torch.warnings.catch_warnings(() => torch.nn.init.normal(torch.empty(3)))
 * assert.strictEqual(ws[0]?.message, 'nn.init.normal is now deprecated in favor of nn.init.normal_.')
 * assert.ok(t instanceof torch.Tensor)
 * @category torch @since 0.2.0
 */
export const normal = deprecate('normal', () => I.normal_)

/**
 * Deprecated: warns, then `nn.init.constant_`.
 * @example
 * import * as torch from 'wengert/torch'
 * const [t, ws] = torch.warnings.catch_warnings(() => torch.nn.init.constant(torch.empty(3), 2))
 * assert.strictEqual(ws[0]?.message, 'nn.init.constant is now deprecated in favor of nn.init.constant_.')
 * assert.ok(t instanceof torch.Tensor)
 * @category torch @since 0.2.0
 */
export const constant = deprecate('constant', () => I.constant_)

/**
 * Deprecated: warns, then `nn.init.eye_`.
 * @example
 * import * as torch from 'wengert/torch'
 * const [t, ws] = torch.warnings.catch_warnings(() => torch.nn.init.eye(torch.empty(2, 2)))
 * assert.strictEqual(ws[0]?.message, 'nn.init.eye is now deprecated in favor of nn.init.eye_.')
 * assert.ok(t instanceof torch.Tensor)
 * @category torch @since 0.2.0
 */
export const eye = deprecate('eye', () => I.eye_)

/**
 * Deprecated: warns, then `nn.init.dirac_`.
 * @example
 * import * as torch from 'wengert/torch'
 * const [t, ws] = torch.warnings.catch_warnings(() => torch.nn.init.dirac(torch.empty(2, 2, 3)))
 * assert.strictEqual(ws[0]?.message, 'nn.init.dirac is now deprecated in favor of nn.init.dirac_.')
 * assert.ok(t instanceof torch.Tensor)
 * @category torch @since 0.2.0
 */
export const dirac = deprecate('dirac', () => I.dirac_)

/**
 * Deprecated: warns, then `nn.init.xavier_uniform_`.
 * @example
 * import * as torch from 'wengert/torch'
 * const [t, ws] = torch.warnings.catch_warnings(() => torch.nn.init.xavier_uniform(torch.empty(2, 3)))
 * assert.strictEqual(ws[0]?.message, 'nn.init.xavier_uniform is now deprecated in favor of nn.init.xavier_uniform_.')
 * assert.ok(t instanceof torch.Tensor)
 * @category torch @since 0.2.0
 */
export const xavier_uniform = deprecate('xavier_uniform', () => I.xavier_uniform_)

/**
 * Deprecated: warns, then `nn.init.xavier_normal_`.
 * @example
 * import * as torch from 'wengert/torch'
 * const [t, ws] = torch.warnings.catch_warnings(() => torch.nn.init.xavier_normal(torch.empty(2, 3)))
 * assert.strictEqual(ws[0]?.message, 'nn.init.xavier_normal is now deprecated in favor of nn.init.xavier_normal_.')
 * assert.ok(t instanceof torch.Tensor)
 * @category torch @since 0.2.0
 */
export const xavier_normal = deprecate('xavier_normal', () => I.xavier_normal_)

/**
 * Deprecated: warns, then `nn.init.kaiming_uniform_`.
 * @example
 * import * as torch from 'wengert/torch'
 * const [t, ws] = torch.warnings.catch_warnings(() => torch.nn.init.kaiming_uniform(torch.empty(2, 3)))
 * assert.strictEqual(ws[0]?.message, 'nn.init.kaiming_uniform is now deprecated in favor of nn.init.kaiming_uniform_.')
 * assert.ok(t instanceof torch.Tensor)
 * @category torch @since 0.2.0
 */
export const kaiming_uniform = deprecate('kaiming_uniform', () => I.kaiming_uniform_)

/**
 * Deprecated: warns, then `nn.init.kaiming_normal_`.
 * @example
 * import * as torch from 'wengert/torch'
 * const [t, ws] = torch.warnings.catch_warnings(() => torch.nn.init.kaiming_normal(torch.empty(2, 3)))
 * assert.strictEqual(ws[0]?.message, 'nn.init.kaiming_normal is now deprecated in favor of nn.init.kaiming_normal_.')
 * assert.ok(t instanceof torch.Tensor)
 * @category torch @since 0.2.0
 */
export const kaiming_normal = deprecate('kaiming_normal', () => I.kaiming_normal_)

/**
 * Deprecated: warns, then `nn.init.orthogonal_`.
 * @example
 * import * as torch from 'wengert/torch'
 * const [t, ws] = torch.warnings.catch_warnings(() => torch.nn.init.orthogonal(torch.empty(2, 3)))
 * assert.strictEqual(ws[0]?.message, 'nn.init.orthogonal is now deprecated in favor of nn.init.orthogonal_.')
 * assert.ok(t instanceof torch.Tensor)
 * @category torch @since 0.2.0
 */
export const orthogonal = deprecate('orthogonal', () => I.orthogonal_)

/**
 * Deprecated: warns, then `nn.init.sparse_`.
 * @example
 * import * as torch from 'wengert/torch'
 * const [t, ws] = torch.warnings.catch_warnings(() => torch.nn.init.sparse(torch.empty(4, 3), 0.5))
 * assert.strictEqual(ws[0]?.message, 'nn.init.sparse is now deprecated in favor of nn.init.sparse_.')
 * assert.ok(t instanceof torch.Tensor)
 * @category torch @since 0.2.0
 */
export const sparse = deprecate('sparse', () => I.sparse_)

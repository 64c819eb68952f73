/**
 * `torch.autograd.forward_ad`: forward-mode AD on facade tensors. Inside a dual level,
 * `make_dual(x, t)` gives `x` the tangent `t`; every facade op on dual tensors computes its
 * output's tangent by the core primitives' JVP rules, and `unpack_dual(y)` reads `(primal,
 * tangent)`. Python's `with fwAD.dual_level():` is `fwAD.dual_level(() => { … })` (or the context
 * object `fwAD.dual_level()` with `enter`/`exit`, as the facade's `no_grad`).
 *
 * @category torch
 * @since 0.2.0
 */
import { cast } from '../../core/lax'
import { RuntimeError, TorchValueError } from '../errors'
import { Tensor, type ViewStep } from '../tensor'
import { fwdState, tangentOf } from './forwardAdState'
import { viewOp } from './op'

// -------------------------------------------------------------------------------------
// levels
// -------------------------------------------------------------------------------------

/**
 * Opens a dual level and returns its index (0: nested levels are not supported, as in PyTorch).
 * @example
 * import * as torch from 'wengert/torch'
 * const fwAD = torch.autograd.forward_ad
 * const level = fwAD.enter_dual_level()
 * assert.strictEqual(level, 0)
 * fwAD.exit_dual_level()
 * @category torch @since 0.2.0
 */
export const enter_dual_level = (): number => {
  if (fwdState.level >= 0) throw new RuntimeError('Nested forward mode AD is not supported at the moment')
  fwdState.level = 0
  fwdState.tangents = new WeakMap()
  return 0
}

/**
 * Closes the dual level (`level`: the current one by default); its dual tensors lose their tangents.
 * @example
 * import * as torch from 'wengert/torch'
 * const fwAD = torch.autograd.forward_ad
 * fwAD.enter_dual_level()
 * const x = fwAD.make_dual(torch.ones(2), torch.ones(2))
 * fwAD.exit_dual_level({ level: 0 })
 * assert.strictEqual(fwAD.unpack_dual(x).tangent, null)
 * @category torch @since 0.2.0
 */
export const exit_dual_level = (opts: { readonly level?: number | null } = {}): void => {
  const level = opts.level ?? fwdState.level
  if (level !== fwdState.level || level < 0) {
    throw new RuntimeError(
      'Trying to exit a forward AD level that was not the last one that was created. This is not supported.',
    )
  }
  fwdState.level = -1
  fwdState.tangents = new WeakMap()
}

/** The context object of {@link dual_level}: Python's `__enter__`/`__exit__`, or a decorator. */
export interface DualLevelContext {
  /** Decorates `fn`: each call of the result runs inside a dual level. */
  <F extends (...args: never[]) => unknown>(fn: F): F
  /** Opens the level (Python's `__enter__`); returns its index. */
  enter(): number
  /** Closes it (Python's `__exit__`). */
  exit(): void
  /** Python's name of `enter`. */
  __enter__(): number
  /** Python's name of `exit` (exception arguments are ignored). */
  __exit__(...excInfo: unknown[]): void
}

const runInLevel = <R>(body: () => R): R => {
  enter_dual_level()
  try {
    return body()
  } finally {
    exit_dual_level()
  }
}

/**
 * Runs `body` inside a dual level (Python's `with fwAD.dual_level():`); without a body, the
 * context object (`enter()`/`exit()`, or a decorator).
 * @example
 * import * as torch from 'wengert/torch'
 * const fwAD = torch.autograd.forward_ad
 * const jvp = fwAD.dual_level(() => {
 *   const x = fwAD.make_dual(torch.tensor([1, 2]), torch.tensor([1, 0]))
 *   return fwAD.unpack_dual(x.sin().mul(x)).tangent
 * })
 * // d/dx (x sin x) = sin x + x cos x at x = 1, tangent 0 at x = 2
 * assert.ok(jvp?.allclose(torch.tensor([Math.sin(1) + Math.cos(1), 0])))
 * @category torch @since 0.2.0
 */
export function dual_level(): DualLevelContext
export function dual_level<R>(body: () => R): R
export function dual_level<R>(body?: () => R): R | DualLevelContext {
  if (body !== undefined) return runInLevel(body)
  const decorate = <F extends (...args: never[]) => unknown>(fn: F): F =>
    function (this: unknown, ...args: unknown[]) {
      return runInLevel(() => (fn as unknown as (...a: unknown[]) => unknown).apply(this, args))
    } as unknown as F
  const exit = (): void => exit_dual_level()
  return Object.assign(decorate, {
    enter: enter_dual_level,
    exit,
    __enter__: enter_dual_level,
    __exit__: (..._: unknown[]) => exit(),
  })
}

// -------------------------------------------------------------------------------------
// dual tensors
// -------------------------------------------------------------------------------------

/** The identity view step of `make_dual`'s and `unpack_dual`'s results (PyTorch: views of their input). */
const ALIAS: ViewStep = { name: 'ViewBackward0', fwd: (x) => x, inv: (_x, y) => y }

const aliasOf = (t: Tensor): Tensor => viewOp(t, ALIAS, t.stride())

const checkLevel = (level: number | null | undefined, what: string): void => {
  const l = level ?? fwdState.level
  if (fwdState.level < 0 || l !== fwdState.level) throw new RuntimeError(what)
}

/**
 * A view of `tensor` whose tangent is `tangent` at the open dual level (float tensors of the
 * same shape; the tangent is cast to the primal's dtype).
 * @example
 * import * as torch from 'wengert/torch'
 * const fwAD = torch.autograd.forward_ad
 * fwAD.dual_level(() => {
 *   const x = fwAD.make_dual(torch.tensor(2), torch.tensor(1))
 *   assert.strictEqual(fwAD.unpack_dual(x.pow(3)).tangent?.item(), 12)
 * })
 * assert.throws(() => fwAD.make_dual(torch.ones(1), torch.ones(1)), /no level exists/)
 * @category torch @since 0.2.0
 */
export const make_dual = (tensor: Tensor, tangent: Tensor, opts: { readonly level?: number | null } = {}): Tensor => {
  checkLevel(
    opts.level,
    'Trying to create a dual Tensor for forward AD but no level exists, make sure to enter_dual_level() first.',
  )
  if (!tensor.is_floating_point())
    throw new TorchValueError(`Expected primal to be floating point or complex, but got: ${tensor.dtype}`)
  if (!tangent.is_floating_point())
    throw new TorchValueError(`Expected tangent to be floating point or complex, but got: ${tangent.dtype}`)
  const a = tensor._value()
  const b = tangent._value()
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RuntimeError(
      `Trying to set a forward gradient that has a different size than that of the original Tensor, this is not supported. Tensor is of size [${a.shape.join(', ')}] while the given forward gradient is of size [${b.shape.join(', ')}].`,
    )
  }
  const out = aliasOf(tensor)
  fwdState.tangents.set(out, cast(b, a.dtype))
  return out
}

/**
 * PyTorch's `UnpackedDualTensor` named tuple: `[primal, tangent]` with named fields.
 * @category torch @since 0.2.0
 */
export type UnpackedDualTensor = [Tensor, Tensor | null] & { readonly primal: Tensor; readonly tangent: Tensor | null }

/**
 * The primal (a view of `tensor` without tangent) and the tangent (null when `tensor` is not
 * dual at the level, or no level is open) of a tensor, as the named tuple `UnpackedDualTensor`.
 * @example
 * import * as torch from 'wengert/torch'
 * const fwAD = torch.autograd.forward_ad
 * fwAD.dual_level(() => {
 *   const x = fwAD.make_dual(torch.tensor([0, 1]), torch.tensor([1, 1]))
 *   const { primal, tangent } = fwAD.unpack_dual(x.exp())
 *   assert.ok(primal.allclose(torch.tensor([1, Math.E])) && tangent?.allclose(primal))
 *   const [p, t] = fwAD.unpack_dual(torch.ones(1))
 *   assert.ok(p.equal(torch.ones(1)) && t === null)
 * })
 * @category torch @since 0.2.0
 */
export const unpack_dual = (tensor: Tensor, opts: { readonly level?: number | null } = {}): UnpackedDualTensor => {
  const level = opts.level ?? fwdState.level
  const t = level === fwdState.level ? tangentOf(tensor) : undefined
  const primal = t === undefined ? tensor : aliasOf(tensor)
  if (t !== undefined) fwdState.tangents.delete(primal)
  const tangent = t === undefined ? null : Tensor._fromValue(t)
  const out = [primal, tangent] as [Tensor, Tensor | null]
  Object.defineProperty(out, 'toString', {
    value: () => `UnpackedDualTensor(primal=${String(primal)}, tangent=${tangent === null ? 'None' : String(tangent)})`,
  })
  return Object.assign(out, { primal, tangent })
}

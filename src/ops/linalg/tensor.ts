/**
 * `jax.numpy.linalg`'s tensor solvers (tensorsolve, tensorinv), built on `solve` and `inv`, and
 * the general eigendecomposition names (eig, eigvals), which need complex results.
 *
 * @category ops
 * @since 0.3.0
 */
import * as lax from '../../core/lax'
import { checkOptions } from '../../internal/options'
import { DTypeError, ShapeError, ValueError } from '../../ndarray/errors'
import type { NdArray } from '../../ndarray/NdArray'
import { normalizeAxis } from '../../ndarray/shape'
import { asArray, type ArrayLike } from '../convert'
import { inv, solve } from './solve'

const tuple = (s: ReadonlyArray<number>): string => (s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`)
const size = (s: ReadonlyArray<number>): number => s.reduce((p, d) => p * d, 1)

/** Options of {@link tensorsolve}. @category ops @since 0.3.0 */
export interface TensorsolveOptions {
  /** Axes of `a` moved to the end (in this order) before solving. @defaultValue null */
  readonly axes?: ReadonlyArray<number> | null
}

/**
 * The `x` with `tensordot(a, x, x.ndim) = b` (jnp.linalg.tensorsolve): `a`'s shape is `b`'s
 * shape followed by `x`'s, whose sizes multiply to `b`'s size. Differentiable through `solve`.
 * @example
 * import { linalg, array, eye, reshape } from 'wengert'
 * const a = reshape(eye(4, { dtype: 'float64' }), [2, 2, 4])
 * const b = array([[1, 2], [3, 4]], { dtype: 'float64' })
 * assert.deepStrictEqual(linalg.tensorsolve(a, b).toArray(), [1, 2, 3, 4])
 * @category ops
 * @since 0.3.0
 */
export const tensorsolve = (a: ArrayLike, b: ArrayLike, options?: TensorsolveOptions): NdArray => {
  const { axes = null } = checkOptions('tensorsolve', options, ['axes'])
  let x = asArray('linalg.tensorsolve', a)
  const y = asArray('linalg.tensorsolve', b)
  if (axes !== null) {
    const moved = axes.map((d) => normalizeAxis('linalg.tensorsolve', d, x.ndim))
    const rest = x.shape.map((_, i) => i).filter((i) => !moved.includes(i))
    x = lax.transpose(x, [...rest, ...moved])
  }
  const lead = x.shape.slice(0, y.ndim)
  const q = x.shape.slice(y.ndim)
  if (lead.join() !== y.shape.join() || size(q) !== size(y.shape))
    throw new ShapeError(
      `linalg.tensorsolve: a's shape ${tuple(x.shape)} must start with b's shape ${tuple(y.shape)} and end with dimensions whose product is ${size(y.shape)}`,
    )
  const n = size(y.shape)
  return lax.reshape(solve(lax.reshape(x, [n, n]), lax.reshape(y, [n])), q)
}

/**
 * The inverse of `a` for `tensordot` over `ind` axes (jnp.linalg.tensorinv): `a`'s first `ind`
 * axes and its others must have equal products; the result's shape is the others then the first.
 * @example
 * import { linalg, eye, reshape } from 'wengert'
 * const a = reshape(eye(4, { dtype: 'float64' }), [4, 2, 2])
 * assert.deepStrictEqual(linalg.tensorinv(a, 1).shape, [2, 2, 4])
 * @category ops
 * @since 0.3.0
 */
export const tensorinv = (a: ArrayLike, ind = 2): NdArray => {
  const x = asArray('linalg.tensorinv', a)
  if (!Number.isInteger(ind) || ind <= 0)
    throw new ValueError(`linalg.tensorinv: ind must be a positive integer, got ${ind}`)
  const first = x.shape.slice(0, ind)
  const rest = x.shape.slice(ind)
  if (size(first) !== size(rest) || ind > x.ndim)
    throw new ShapeError(
      `linalg.tensorinv: the product of a's first ${ind} dimensions must equal that of the others, got shape ${tuple(x.shape)}`,
    )
  const n = size(first)
  return lax.reshape(inv(lax.reshape(x, [n, n])), [...rest, ...first])
}

const needsComplex = (op: string, a: ArrayLike): never => {
  const x = asArray(`linalg.${op}`, a)
  throw new DTypeError(
    `linalg.${op}: the eigenvalues of a general ${tuple(x.shape)} matrix may be complex, and complex dtypes are not supported; use linalg.eigh or linalg.eigvalsh for symmetric matrices`,
  )
}

/**
 * jnp.linalg.eig: not supported, since general eigenvalues and eigenvectors are complex and this
 * project has no complex dtype. Always raises a DTypeError that points to `eigh` for symmetric
 * (Hermitian) matrices.
 * @example
 * import { linalg, array } from 'wengert'
 * assert.throws(() => linalg.eig(array([[0, 1], [-1, 0]])), /complex dtypes are not supported/)
 * @category ops
 * @since 0.3.0
 */
export const eig = (a: ArrayLike): [NdArray, NdArray] => needsComplex('eig', a)

/**
 * jnp.linalg.eigvals: not supported (complex results, see {@link eig}); always raises a DTypeError.
 * @example
 * import { linalg, array } from 'wengert'
 * assert.throws(() => linalg.eigvals(array([[0, 1], [-1, 0]])), /use linalg.eigh or linalg.eigvalsh/)
 * @category ops
 * @since 0.3.0
 */
export const eigvals = (a: ArrayLike): NdArray => needsComplex('eigvals', a)

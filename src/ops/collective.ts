/**
 * Collectives over named axes (JAX: `jax.lax.psum`, `pmean`, `pmax`, `pmin`, `axis_index`,
 * `axis_size`). `vmap(f, { axisName: 'i' })` names its batch axis; inside `f`, `psum(x, 'i')`
 * is the sum of `x` over the batch, the same value for every element — the normalisations,
 * batch statistics and all-reduces SPMD code writes, here over a vmap.
 *
 * @category ops
 * @since 0.6.0
 */
import { axisFrame } from '../core/axisEnv'
import { BatchLevel } from '../core/batching'
import * as lax from '../core/lax'
import { iota } from '../core/primitives/matrixRules'
import { ValueError } from '../ndarray/errors'
import { NdArray } from '../ndarray/NdArray'
import { checkOptions, describeValue } from '../internal/options'
import { map } from '../tree'
import { div } from './elementwise'

/** One axis name, or several (the collective reduces over all of them). */
export type AxisNames = string | ReadonlyArray<string>

/** Options of the collectives. JAX: `axis_index_groups`, which wengert does not support. */
export interface CollectiveOptions {
  /** Not supported (JAX's `axis_index_groups`): passing it raises. */
  readonly axisIndexGroups?: never
}

const namesOf = (api: string, axisName: AxisNames): ReadonlyArray<string> => {
  const names = typeof axisName === 'string' ? [axisName] : axisName
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))
    throw new ValueError(`${api}: axisName must be a string or an array of strings, got ${describeValue(axisName)}`)
  return names
}

const checked = (api: string, options: CollectiveOptions | undefined): void => {
  if (options === undefined) return
  checkOptions(api, options, ['axisIndexGroups'])
  if ((options as { readonly axisIndexGroups?: unknown }).axisIndexGroups !== undefined)
    throw new ValueError(`${api}: axisIndexGroups is not supported (every element of the axis takes part)`)
}

/** A leaf as an array: integers as int32 scalars, other numbers float32, bool arrays as int32 (JAX). */
const leafArray = (api: string, x: unknown, boolAsInt: boolean): NdArray => {
  if (typeof x === 'number') return lax.scalar(x, Number.isInteger(x) ? 'int32' : 'float32')
  if (!(x instanceof NdArray)) throw new ValueError(`${api}: expected arrays or numbers, got ${describeValue(x)}`)
  return boolAsInt && x.dtype === 'bool' ? lax.cast(x, 'int32') : x
}

/** Applies `f` to every leaf of `x` (an array, a number or a pytree of them). */
const eachLeaf = <T>(api: string, x: T, boolAsInt: boolean, f: (v: NdArray) => NdArray): T =>
  map((leaf: unknown) => f(leafArray(api, leaf, boolAsInt)), x as never) as T

/** A collective as its callers see it: an array or number in, an array out; or a pytree, leaf by leaf. */
export interface Collective {
  (x: NdArray | number, axisName: AxisNames, options?: CollectiveOptions): NdArray
  <T>(x: T, axisName: AxisNames, options?: CollectiveOptions): T
}

/** The product of the named axes' sizes. */
const sizeOf = (api: string, names: ReadonlyArray<string>): number =>
  names.reduce((n, name) => n * axisFrame(name, api).size, 1)

/** A collective named `api` applying `apply` to every leaf (bool leaves as int32 when `boolAsInt`). */
const collective =
  (
    api: string,
    boolAsInt: boolean,
    apply: (v: NdArray, names: ReadonlyArray<string>, api: string) => NdArray,
  ): Collective =>
  <T>(x: T, axisName: AxisNames, options?: CollectiveOptions): T => {
    checked(api, options)
    const names = namesOf(api, axisName)
    return eachLeaf(api, x, boolAsInt, (v) => apply(v, names, api))
  }

/**
 * The sum of `x` over the named axis (or axes): every element of the batch gets the same sum.
 * `x` may be a pytree; numbers count as unmapped values, so `psum(1, 'i')` is the axis's size.
 * Differentiable (linear; its transpose is itself, as in JAX).
 *
 * @example
 * import { vmap, lax, array, div, type NdArray } from 'wengert'
 * const normalize = vmap((x: NdArray) => div(x, lax.psum(x, 'i')), { axisName: 'i' })
 * assert.deepStrictEqual(normalize(array([1, 2, 5])).toArray(), [0.125, 0.25, 0.625])
 * @category ops
 * @since 0.6.0
 */
export const psum: Collective = collective('psum', true, (v, names) => lax.psum(v, names))

/**
 * The mean of `x` over the named axis (or axes): `psum(x) / psum(1)`.
 *
 * @example
 * import { vmap, lax, array, sub, type NdArray } from 'wengert'
 * const centred = vmap((x: NdArray) => sub(x, lax.pmean(x, 'batch')), { axisName: 'batch' })
 * assert.deepStrictEqual(centred(array([1, 2, 6])).toArray(), [-2, -1, 3])
 * @category ops
 * @since 0.6.0
 */
export const pmean: Collective = collective('pmean', true, (v, names, api) =>
  div(lax.psum(v, names), sizeOf(api, names)),
)

/**
 * The maximum of `x` over the named axis (or axes); not differentiable (as in JAX).
 *
 * @example
 * import { vmap, lax, array, type NdArray } from 'wengert'
 * const top = vmap((x: NdArray) => lax.pmax(x, 'i'), { axisName: 'i' })
 * assert.deepStrictEqual(top(array([3, 7, 5])).toArray(), [7, 7, 7])
 * @category ops
 * @since 0.6.0
 */
export const pmax: Collective = collective('pmax', false, (v, names) => lax.pmax(v, names))

/**
 * The minimum of `x` over the named axis (or axes); not differentiable (as in JAX).
 *
 * @example
 * import { vmap, lax, array, type NdArray } from 'wengert'
 * const low = vmap((x: NdArray) => lax.pmin(x, 'i'), { axisName: 'i' })
 * assert.deepStrictEqual(low(array([3, 7, 5])).toArray(), [3, 3, 3])
 * @category ops
 * @since 0.6.0
 */
export const pmin: Collective = collective('pmin', false, (v, names) => lax.pmin(v, names))

/**
 * The index of the current element along the named axis (int32): 0, 1, … across the batch.
 *
 * @example
 * import { vmap, lax, array, mul, type NdArray } from 'wengert'
 * const scaled = vmap((x: NdArray) => mul(x, lax.axisIndex('i')), { axisName: 'i' })
 * assert.deepStrictEqual(scaled(array([5, 5, 5])).toArray(), [0, 5, 10])
 * @category ops
 * @since 0.6.0
 */
export const axisIndex = (axisName: string): NdArray => {
  const [name] = namesOf('axis_index', axisName)
  const frame = axisFrame(name as string, 'axis_index')
  const level = frame.level
  if (!(level instanceof BatchLevel) || !level.active)
    throw new ValueError(`axis_index: the axis '${frame.name}' is not mapped by an active vmap here`)
  return level.tracer(iota(frame.size), 0)
}

/**
 * The size of the named axis (or the product of the sizes of several).
 *
 * @example
 * import { vmap, lax, array, type NdArray } from 'wengert'
 * let seen = 0
 * vmap((x: NdArray) => ((seen = lax.axisSize('i')), x), { axisName: 'i' })(array([1, 2, 3, 4]))
 * assert.strictEqual(seen, 4)
 * @category ops
 * @since 0.6.0
 */
export const axisSize = (axisName: AxisNames): number => sizeOf('axis_size', namesOf('axis_size', axisName))

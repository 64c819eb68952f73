/**
 * Collectives over named axes (JAX's `psum`, `pmax`, `pmin`): an all-reduce over the axis a
 * `vmap(f, { axisName })` named. Under that vmap a mapped operand meets the named level, whose
 * batching rule reduces over its batch axis and returns one value for every element (unmapped).
 * An operand not mapped along the axis reaches `impl`, which needs only the axis's size (from
 * `core/axisEnv`): psum multiplies by it, pmax and pmin return the operand. A vmap with another
 * name (or none) passes the collective through, keeping its own batch axis.
 *
 * psum is linear and, as in JAX, its own transpose (each element's cotangent is summed over the
 * axis, as every element's output is the same sum). pmax and pmin have no derivative rule in
 * JAX; differentiating them raises here too.
 *
 * @category primitives
 * @since 0.6.0
 */
import { DTypeError, NotDifferentiableError } from '../../ndarray/errors'
import { full } from '../../ndarray/create'
import { binary } from '../../ndarray/kernels/elementwise'
import type { NdArray } from '../../ndarray/NdArray'
import { axisFrame } from '../axisEnv'
import * as lax from '../lax'
import { bound, definePrimitive, type BatchFn, type BoundPrimitive } from '../primitive'
import { isZero } from '../zero'

type X = readonly [NdArray]

/** Params of a collective: the names of the axes it reduces over (JAX's `axes`). */
export interface CollectiveParams {
  readonly axes: ReadonlyArray<string>
}

/** The product of the named axes' sizes (raises NameError for an unbound name). */
const sizeOf = (api: string, axes: ReadonlyArray<string>): number =>
  axes.reduce((n, name) => n * axisFrame(name, api).size, 1)

/**
 * Batching of a collective: at the level that names one of its axes, reduce over the batch axis
 * (`reduce`), then over the remaining names below; at any other level, pass it through.
 */
const collectiveBatch =
  (
    again: (x: NdArray, axes: ReadonlyArray<string>) => NdArray,
    reduce: (x: NdArray, axes: ReadonlyArray<number>) => NdArray,
    unmapped: (x: NdArray, size: number) => NdArray,
  ): BatchFn<CollectiveParams> =>
  (_prim, [x], [b], { axes }, size, axisName) => {
    const v = x as NdArray
    if (axisName === undefined || !axes.includes(axisName)) return [again(v, axes), b ?? null]
    const rest = axes.filter((n) => n !== axisName)
    const here = b === null || b === undefined ? unmapped(v, size) : reduce(v, [b])
    return [rest.length === 0 ? here : again(here, rest), null]
  }

const shapeOf =
  (api: string) =>
  (
    [x]: readonly [{ readonly shape: ReadonlyArray<number>; readonly dtype: NdArray['dtype'] }],
    p: CollectiveParams,
  ) => {
    sizeOf(api, p.axes)
    return x
  }

/** Params as a jaxpr prints them: `[axes=('i',)]`. */
const formatAxes = ({ axes }: CollectiveParams): string =>
  `[axes=(${axes.map((a) => `'${a}'`).join(', ')}${axes.length === 1 ? ',' : ''})]`

const scaled = (x: NdArray, size: number): NdArray => {
  if (x.dtype === 'bool') throw new DTypeError(`psum: bool operands are summed as int32 (cast them first)`)
  return binary('mul', x, full([], size, { dtype: x.dtype }), x.dtype, 'psum')
}

type Call = (x: NdArray, axes: ReadonlyArray<string>) => NdArray
const call =
  (bind: (inputs: X, p: CollectiveParams) => NdArray): Call =>
  (x, axes) =>
    axes.length === 0 ? x : bind([x], { axes })

/**
 * All-reduce sum over the named axes: every element gets the sum over the axis. Linear; its
 * transpose is itself. @category primitives @since 0.6.0
 */
export const psum: BoundPrimitive<'psum', X, CollectiveParams, (x: NdArray, axes: ReadonlyArray<string>) => NdArray> =
  bound(
    definePrimitive<'psum', X, CollectiveParams>({
      name: 'psum',
      impl: ([x], { axes }) => scaled(x, sizeOf('psum', axes)),
      shape: shapeOf('psum'),
      batch: collectiveBatch(
        (x, axes) => lax.psum(x, axes),
        (x, axes) => lax.reduceSum(x, axes),
        (x, n) => lax.mulScalar(x, n),
      ),
      linear: true,
      formatParams: formatAxes,
      // ẏ = psum(ẋ)
      jvp: ({ params: { axes } }, [xDot]) => lax.psum(xDot as NdArray, axes),
      // x̄ = psum(ȳ): each element's output is the same sum of every element's input
      vjp: ({ params: { axes } }, yBar) => [lax.psum(yBar, axes)],
    }),
    (bind) => call(bind),
  )

const noRule = (name: string) => (): never => {
  throw new NotDifferentiableError(`Differentiation rule for '${name}' not implemented`)
}

/** pmax / pmin: the operand itself where unmapped, the extremum over the batch axis where mapped. */
const extremum = <N extends 'pmax' | 'pmin'>(name: N, reduce: (x: NdArray, axes: ReadonlyArray<number>) => NdArray) => {
  const refuse = noRule(name)
  return definePrimitive<N, X, CollectiveParams>({
    name,
    impl: ([x], { axes }) => (sizeOf(name, axes), x),
    shape: shapeOf(name),
    batch: collectiveBatch(
      (x, axes) => (name === 'pmax' ? lax.pmax(x, axes) : lax.pmin(x, axes)),
      reduce,
      (x) => x,
    ),
    formatParams: formatAxes,
    jvp: ({ output }, [xDot]) => (isZero(xDot) ? lax.zeroOf(output) : refuse()),
    vjp: ({ inputs: [x], needs }) => (needs[0] ? refuse() : [lax.zeroOf(x)]),
  })
}

/** All-reduce maximum over the named axes; not differentiable (as in JAX). @category primitives @since 0.6.0 */
export const pmax: BoundPrimitive<'pmax', X, CollectiveParams, Call> = bound(
  extremum('pmax', (x, axes) => lax.reduceMax(x, axes)),
  call,
)

/** All-reduce minimum over the named axes; not differentiable (as in JAX). @category primitives @since 0.6.0 */
export const pmin: BoundPrimitive<'pmin', X, CollectiveParams, Call> = bound(
  extremum('pmin', (x, axes) => lax.neg(lax.reduceMax(lax.neg(x), axes))),
  call,
)

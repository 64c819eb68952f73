/**
 * What a law is checked on: a target (a primitive, or any function of arrays), an instance of
 * its inputs (and params), and the random directions the law needs — one {@link Probe}.
 *
 * @category laws
 * @since 0.1.0
 */
import * as fc from 'fast-check'
import { defaultTolerance, type Tolerance } from '../src/check/finiteDifferences'
import type { AnyMultiPrimitive, AnyPrimitive } from '../src/core/primitive'
import { concatenate, convertElementType, reshape } from '../src/core/lax'
import { bind, bindMulti } from '../src/core/trace'
import { isFloat, type DType } from '../src/ndarray/dtype'
import { NdArray } from '../src/ndarray/NdArray'
import { cotangentFor, ndarray, real } from './arbitraries'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Inputs of one law run: the positional arrays and, when the target is a primitive, its
 * (canonical) params.
 *
 * @category laws
 * @since 0.1.0
 */
export interface Instance<P = unknown> {
  readonly inputs: ReadonlyArray<NdArray>
  readonly params: P
  /**
   * Float inputs never differentiated: those without a derivative rule, where JAX raises too (the
   * order of `zeta`, both inputs of `random_gamma_grad`). With every float input fixed, the
   * derivative laws have nothing to check.
   */
  readonly fixed?: ReadonlyArray<number>
}

/**
 * What a law checks: a registered primitive (bound with an instance's params) or any function
 * of arrays returning one array, such as a `customVjp` function of your own. A
 * `multipleResults` primitive is checked as the function returning all its results flattened
 * and concatenated (integer results cast to the first result's dtype).
 *
 * @category laws
 * @since 0.1.0
 */
export type LawTarget = AnyPrimitive | AnyMultiPrimitive | ((...inputs: NdArray[]) => NdArray)

/** Options shared by the laws. @category laws @since 0.1.0 */
export interface LawOptions {
  /**
   * Tolerance of the finite-difference laws; unset fields default by dtype
   * (`defaultTolerance`: 1e-6 in float64, as autograd).
   */
  readonly tolerance?: Partial<Tolerance>
  /**
   * Tolerance of the laws that compare two exact computations and only differ by rounding
   * (adjointness, linearity, replay); relative to the sum of absolute terms.
   * @defaultValue `{ atol: 1e-12, rtol: 1e-10 }` in float64, `{ atol: 1e-5, rtol: 1e-5 }` in float32
   */
  readonly roundoff?: Partial<Pick<Tolerance, 'atol' | 'rtol'>>
  /** The full Jacobian is compared when (input elements × output elements) is at most this. @defaultValue 36 */
  readonly maxJacobianEntries?: number
  /**
   * Why the target is affine rather than linear (`f(0) ≠ 0`, e.g. `pad` with a fill value).
   * When set, the linearity law checks `x ↦ f(x) − f(0)` instead of `f`.
   */
  readonly affine?: string
  /**
   * Named axes (`[name, size]`) the instances' collectives (`psum`, …) reduce over: run the law
   * inside `withAxisEnv(axisEnv, …)` (src/core/axisEnv), as the law suites do.
   */
  readonly axisEnv?: ReadonlyArray<readonly [string, number]>
}

/**
 * One generated case: the instance, its output, which float inputs are differentiated (the
 * others are held fixed, so rules also meet symbolic zeros), and random directions: two
 * tangents and a second point per input, two cotangents for the output, two scalars.
 *
 * @category laws
 * @since 0.1.0
 */
export interface Probe {
  readonly name: string
  readonly instance: Instance
  readonly call: (...inputs: NdArray[]) => NdArray
  readonly output: NdArray
  readonly wrt: ReadonlyArray<number>
  readonly tangents: ReadonlyArray<NdArray>
  readonly tangents2: ReadonlyArray<NdArray>
  readonly others: ReadonlyArray<NdArray>
  readonly cotangent: NdArray
  readonly cotangent2: NdArray
  readonly a: number
  readonly b: number
}

/**
 * A law's violation: the message names the law, the target, its params and inputs, and what
 * disagreed. (fast-check adds the seed and path to replay it.)
 *
 * @example
 * import { LawViolation } from 'wengert/laws'
 * const e = new LawViolation('adjoint', 'sin', 'differs')
 * assert.ok(e.message.startsWith('adjoint law failed for sin'))
 * @category laws
 * @since 0.1.0
 */
export class LawViolation extends Error {
  constructor(
    readonly law: string,
    readonly target: string,
    detail: string,
  ) {
    super(`${law} law failed for ${target}: ${detail}`)
    this.name = 'LawViolation'
  }
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** True for a primitive (as opposed to a plain function). */
export const isPrimitiveTarget = (t: LawTarget): t is AnyPrimitive =>
  typeof t === 'object' && t.multipleResults !== true

/** All results of a `multipleResults` primitive, flattened and concatenated into one vector. */
const concatenated = (prim: AnyMultiPrimitive, params: unknown, xs: ReadonlyArray<NdArray>): NdArray => {
  const outs = bindMulti(prim, xs, params)
  const dtype = outs.find((y) => isFloat(y.dtype))?.dtype ?? 'float64'
  return concatenate(
    outs.map((y) => reshape(convertElementType(y, dtype), [y.size])),
    0,
  )
}

/** The printed name of a target. */
export const targetName = (t: LawTarget): string => (typeof t === 'object' ? t.name : t.name || 'function')

/** The function a law evaluates: the primitive bound with params, or the function itself. */
export const evaluator =
  (t: LawTarget, params: unknown) =>
  (...xs: NdArray[]): NdArray =>
    isPrimitiveTarget(t) ? bind(t, xs, params) : typeof t === 'object' ? concatenated(t, params, xs) : t(...xs)

const normalize = (i: Instance | ReadonlyArray<NdArray>): Instance =>
  Array.isArray(i) ? { inputs: i as ReadonlyArray<NdArray>, params: undefined } : (i as Instance)

const describeArray = (x: NdArray): string =>
  x.size <= 12 ? String(x).replace(/\s+/g, ' ') : `${x.dtype}[${x.shape.join(',')}]`

/** A one-line description of a probe for counterexamples and messages. */
export const describeProbe = (p: Pick<Probe, 'name' | 'instance' | 'wrt'>): string => {
  const params = p.instance.params === undefined ? '' : ` ${JSON.stringify(p.instance.params)}`
  const inputs = p.instance.inputs.map((x, i) => `x${i}=${describeArray(x)}`).join(', ')
  return `${p.name}${params} at ${inputs}; differentiating inputs [${p.wrt.join(', ')}]`
}

/** The arbitrary of probes for a target over its instances. */
export const probes = (
  target: LawTarget,
  instances: fc.Arbitrary<Instance | ReadonlyArray<NdArray>>,
): fc.Arbitrary<Probe> =>
  instances.map(normalize).chain((instance) => {
    const call = evaluator(target, instance.params)
    const output = call(...instance.inputs)
    const floats = instance.inputs.flatMap((x, i) =>
      isFloat(x.dtype) && !(instance.fixed ?? []).includes(i) ? [i] : [],
    )
    const directions = (): fc.Arbitrary<NdArray[]> =>
      fc.tuple(...instance.inputs.map((x) => (isFloat(x.dtype) ? cotangentFor(x) : fc.constant(x))))
    return fc
      .record({
        wrt: fc.subarray(floats, { minLength: floats.length > 0 ? 1 : 0 }),
        tangents: directions(),
        tangents2: directions(),
        others: fc.tuple(
          ...instance.inputs.map((x) =>
            isFloat(x.dtype) ? ndarray({ shape: x.shape, dtype: x.dtype }) : fc.constant(x),
          ),
        ),
        cotangent: cotangentFor(output),
        cotangent2: cotangentFor(output),
        a: real({ min: -2, max: 2 }),
        b: real({ min: -2, max: 2 }),
      })
      .map((r): Probe => {
        const probe: Probe = { name: targetName(target), instance, call, output, ...r }
        return Object.assign(probe, { [fc.toStringMethod]: () => describeProbe(probe) })
      })
  })

/** The float inputs of a probe. */
export const floatInputs = (p: Probe): number[] =>
  p.instance.inputs.flatMap((x, i) => (isFloat(x.dtype) && !(p.instance.fixed ?? []).includes(i) ? [i] : []))

/** `p.call` as a function of the inputs listed in `which` (the others held at the instance). */
export const restrict =
  (p: Probe, which: ReadonlyArray<number>) =>
  (...ws: NdArray[]): NdArray => {
    const xs = [...p.instance.inputs]
    which.forEach((i, k) => {
      xs[i] = ws[k] as NdArray
    })
    return p.call(...xs)
  }

/** Picks the entries `which` of a per-input list. */
export const pick = <T>(list: ReadonlyArray<T>, which: ReadonlyArray<number>): T[] => which.map((i) => list[i] as T)

/** The dtypes that set a probe's tolerances: the differentiated inputs' and the output's. */
const dtypesOf = (p: Probe, which: ReadonlyArray<number>): DType[] => [
  ...pick(p.instance.inputs, which).map((x) => x.dtype),
  p.output.dtype,
]

/** Finite-difference tolerance of a probe. */
export const fdTolerance = (p: Probe, which: ReadonlyArray<number>, o: LawOptions): Tolerance => ({
  ...defaultTolerance(dtypesOf(p, which)),
  ...o.tolerance,
})

/** Rounding-only tolerance of a probe. */
export const roundoffTolerance = (
  p: Probe,
  which: ReadonlyArray<number>,
  o: LawOptions,
): Pick<Tolerance, 'atol' | 'rtol'> => ({
  ...(dtypesOf(p, which).includes('float32') ? { atol: 1e-5, rtol: 1e-5 } : { atol: 1e-12, rtol: 1e-10 }),
  ...o.roundoff,
})

/** The float64 values of an array. */
export const data = (x: NdArray): Float64Array => Float64Array.from(x.toTypedArray() as ArrayLike<number>)

/** An array of `like`'s shape and dtype holding `values`. */
export const withValues = (like: NdArray, values: ArrayLike<number>): NdArray => {
  const d = like.toTypedArray()
  for (let i = 0; i < d.length; i++) d[i] = values[i] as number
  return new NdArray(like.shape, like.dtype, d)
}

/** Same shape, same dtype. */
export const sameAval = (
  a: { readonly shape: ReadonlyArray<number>; readonly dtype: DType },
  b: { readonly shape: ReadonlyArray<number>; readonly dtype: DType },
): boolean => a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i])

/** `dtype[shape]` for messages. */
export const avalText = (a: { readonly shape: ReadonlyArray<number>; readonly dtype: DType }): string =>
  `${a.dtype}[${a.shape.join(',')}]`

/**
 * The input domain of every registered primitive: arbitraries of inputs and params that are
 * consistent with each other (a reshape target of the right size, in-range gather indices), with
 * values where the laws hold (log on positive inputs, denominators away from 0, no ties for
 * max). The table is a mapped type over the primitive names, so a primitive without a domain
 * does not compile.
 *
 * @category laws
 * @since 0.1.0
 */
import * as fc from 'fast-check'
import type { Aval } from '../src/core/zero'
import type { PrimitiveName, RegisteredPrimitive } from '../src/core/primitives'
import { array } from '../src/ndarray/create'
import type { DType } from '../src/ndarray/dtype'
import type { NdArray } from '../src/ndarray/NdArray'
import type { Shape } from '../src/ndarray/shape'
import { decompositionDomains } from './decompositionDomains'
import { convDomains } from './convDomains'
import { scatterDomains } from './scatterDomains'
import { sortingDomains } from './sortingDomains'
import { randomDomains } from './randomDomains'
import { scipyLinalgDomains } from './scipyLinalgDomains'
import { householderDomains } from './householderDomains'
import { axes, broadcastableShapes, ndarray, permutation, real, shape } from './arbitraries'
import type { Instance, LawOptions } from './probe'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The params type of the primitive named `K`. @category laws @since 0.1.0 */
export type ParamsOf<K extends PrimitiveName> =
  Extract<RegisteredPrimitive, { readonly name: K }> extends {
    readonly shape: (avals: infer _A, params: infer P) => Aval
  }
    ? P
    : never

/**
 * Where a primitive's laws are checked: an arbitrary of instances (inputs with matching
 * params), plus law options (tolerances, an `affine` reason).
 *
 * @category laws
 * @since 0.1.0
 */
export interface Domain<K extends PrimitiveName = PrimitiveName> extends LawOptions {
  readonly instances: fc.Arbitrary<Instance<ParamsOf<K>>>
}

/** One domain per registered primitive. @category laws @since 0.1.0 */
export type Domains = { readonly [K in PrimitiveName]: Domain<K> }

// -------------------------------------------------------------------------------------
// builders
// -------------------------------------------------------------------------------------

type NoParams = Record<string, never>
const NONE: NoParams = {}

const sizeOf = (s: Shape): number => s.reduce((a, b) => a * b, 1)

/** Shapes that may have zero-length axes (empty arrays are part of every movement op's domain). */
const anyShape = (
  c: { readonly minRank?: number; readonly maxRank?: number; readonly maxDim?: number } = {},
): fc.Arbitrary<Shape> =>
  fc.oneof({ weight: 4, arbitrary: shape(c) }, { weight: 1, arbitrary: shape({ ...c, minDim: 0 }) })
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/** A collective over the axis named 'i' (see the `axisEnv` of its domain). */
const collective = (): fc.Arbitrary<Instance<{ readonly axes: ReadonlyArray<string> }>> =>
  ndarray({ shape: anyShape() }).map((x) => ({ inputs: [x], params: { axes: ['i'] } }))

const noParams = (...inputs: NdArray[]): Instance<NoParams> => ({ inputs, params: NONE })

/** An array of `shape` whose elements come from `elements`. */
const arrayOf = (s: Shape, elements: fc.Arbitrary<number | boolean>, dtype: DType = 'float64'): fc.Arbitrary<NdArray> =>
  fc.array(elements, { minLength: sizeOf(s), maxLength: sizeOf(s) }).map((xs) => array(xs, { shape: s, dtype }))

const double = (min: number, max: number): fc.Arbitrary<number> => real({ min, max })

/** Numbers with `lo ≤ |v| ≤ hi`, either sign (denominators, reciprocals). */
const awayFromZero = (lo: number, hi: number): fc.Arbitrary<number> => fc.oneof(double(lo, hi), double(-hi, -lo))

/** Numbers that often tie or sit on integers and halves (comparisons, rounding). */
const tieProne = fc.oneof(fc.constantFrom(-2.5, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2.5), double(-3, 3))

const unary = (elements: fc.Arbitrary<number | boolean>, dtype: DType = 'float64'): fc.Arbitrary<Instance<NoParams>> =>
  anyShape()
    .chain((s) => arrayOf(s, elements, dtype))
    .map((x) => noParams(x))

const binary = (
  ex: fc.Arbitrary<number | boolean>,
  ey: fc.Arbitrary<number | boolean> = ex,
  dtype: DType = 'float64',
): fc.Arbitrary<Instance<NoParams>> =>
  fc
    .oneof(
      { weight: 4, arbitrary: broadcastableShapes(2) },
      { weight: 1, arbitrary: broadcastableShapes(2, { minDim: 0 }) },
    )
    .chain(([a, b]) => fc.tuple(arrayOf(a as Shape, ex, dtype), arrayOf(b as Shape, ey, dtype)))
    .map(([x, y]) => noParams(x, y))

/** Two broadcastable arrays whose elements are all distinct (no ties between or within). */
const distinctPair: fc.Arbitrary<Instance<NoParams>> = broadcastableShapes(2).chain(([a, b]) => {
  const sa = a as Shape
  const sb = b as Shape
  return ndarray({ shape: [sizeOf(sa) + sizeOf(sb)], distinct: true, min: -3, max: 3 }).map((z) => {
    const d = z.toTypedArray()
    return noParams(array(d.slice(0, sizeOf(sa)), { shape: sa }), array(d.slice(sizeOf(sa)), { shape: sb }))
  })
})

/** A reduction over canonical axes. */
const reduction = (
  x: (s: Shape) => fc.Arbitrary<NdArray>,
  shapes: fc.Arbitrary<Shape> = shape(),
): fc.Arbitrary<Instance<{ readonly axes: ReadonlyArray<number> }>> =>
  shapes.chain((s) => fc.tuple(x(s), axes(s))).map(([v, ax]) => ({ inputs: [v], params: { axes: ax } }))

/** An index reduction along one axis (rank ≥ 1). */
const argReduction: fc.Arbitrary<Instance<{ readonly axis: number }>> = shape({ minRank: 1 })
  .chain((s) => fc.tuple(arrayOf(s, tieProne), fc.integer({ min: 0, max: s.length - 1 })))
  .map(([x, axis]) => ({ inputs: [x], params: { axis } }))

/** Prime factors of n (n ≥ 1). */
const factors = (n: number): number[] => {
  const out: number[] = []
  let r = n
  for (let p = 2; p * p <= r; p++) {
    while (r % p === 0) {
      out.push(p)
      r /= p
    }
  }
  if (r > 1) out.push(r)
  return out
}

/** A shape of size n: the prime factors of n dealt into 1..3 axes (or rank 0 when n = 1). */
const shapeOfSize = (n: number): fc.Arbitrary<ReadonlyArray<number>> => {
  if (n === 0) return shape({ minRank: 1, minDim: 0 }).map((s) => (s.includes(0) ? s : [0, ...s.slice(1)]))
  const ps = factors(n)
  return fc.integer({ min: n > 1 ? 1 : 0, max: 3 }).chain((rank) =>
    rank === 0
      ? fc.constant<ReadonlyArray<number>>([])
      : fc
          .array(fc.integer({ min: 0, max: rank - 1 }), { minLength: ps.length, maxLength: ps.length })
          .map((assign) => {
            const dims = new Array<number>(rank).fill(1)
            ps.forEach((p, i) => {
              dims[assign[i] as number] = (dims[assign[i] as number] as number) * p
            })
            return dims as ReadonlyArray<number>
          }),
  )
}

/** broadcast_in_dim params for an input shape: increasing dims into a rank ≥ r output. */
const broadcastTarget = (
  s: Shape,
): fc.Arbitrary<{ readonly shape: ReadonlyArray<number>; readonly dims: ReadonlyArray<number> }> => {
  const r = s.length
  return fc.integer({ min: r, max: Math.min(r + 2, 4) }).chain((rank) =>
    fc
      .tuple(
        fc.subarray(range(rank), { minLength: r, maxLength: r }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: rank, maxLength: rank }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: r, maxLength: r }),
      )
      .map(([dims, fill, stretch]) => {
        const out = [...fill]
        dims.forEach((d, i) => {
          out[d] = s[i] === 1 ? (stretch[i] as number) : (s[i] as number)
        })
        return { shape: out, dims }
      }),
  )
}

/** In-range int32 indices into an axis of length n. */
const indices = (s: Shape, n: number): fc.Arbitrary<NdArray> =>
  ndarray({ shape: s, dtype: 'int32', min: 0, max: n - 1 })

const DTYPES: ReadonlyArray<DType> = ['float64', 'float32', 'int32', 'bool']

// -------------------------------------------------------------------------------------
// domains
// -------------------------------------------------------------------------------------

/**
 * Every registered primitive's domain. A new primitive fails to compile until it has one here.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { domains } from 'wengert/laws'
 * const [inst] = fc.sample(domains.log.instances, { numRuns: 1, seed: 1 })
 * assert.ok((inst!.inputs[0]!.toTypedArray() as Float64Array).every((v) => v > 0))
 * const [g] = fc.sample(domains.gather.instances, { numRuns: 1, seed: 2 })
 * assert.strictEqual(g!.inputs[1]!.dtype, 'int32')
 * @category laws
 * @since 0.1.0
 */
export const domains: Domains = {
  // ---- element-wise, unary
  neg: { instances: unary(double(-3, 3)) },
  exp: { instances: unary(double(-2, 2)) },
  expm1: { instances: unary(double(-2, 2)) },
  // the kink at 0 is away from the finite differences
  abs: { instances: unary(awayFromZero(0.2, 3)) },
  log: { instances: unary(double(0.2, 3)) },
  log1p: { instances: unary(double(-0.7, 3)) },
  sin: { instances: unary(double(-3, 3)) },
  cos: { instances: unary(double(-3, 3)) },
  sqrt: { instances: unary(double(0.2, 3)) },
  reciprocal: { instances: unary(awayFromZero(0.5, 2)) },
  tanh: { instances: unary(double(-3, 3)) },
  asinh: { instances: unary(double(-3, 3)) },
  sinh: { instances: unary(double(-3, 3)) },
  cosh: { instances: unary(double(-3, 3)) },
  acosh: { instances: unary(double(1.2, 4)) },
  atanh: { instances: unary(double(-0.8, 0.8)) },
  logistic: { instances: unary(double(-4, 4)) },
  erf: { instances: unary(double(-3, 3)) },
  sign: { instances: unary(tieProne) },
  floor: { instances: unary(tieProne) },
  ceil: { instances: unary(tieProne) },
  round: { instances: unary(tieProne) },
  is_nan: { instances: ndarray({ nonFinite: true }).map((x) => noParams(x)) },
  is_finite: { instances: ndarray({ nonFinite: true }).map((x) => noParams(x)) },
  not: { instances: unary(fc.boolean(), 'bool') },
  // ---- element-wise, binary (broadcasting)
  add: { instances: binary(double(-3, 3)) },
  sub: { instances: binary(double(-3, 3)) },
  mul: { instances: binary(double(-3, 3)) },
  div: { instances: binary(double(-3, 3), awayFromZero(0.5, 2)) },
  // no ties, so max is differentiable everywhere the laws look
  max: { instances: distinctPair },
  // positive base: x^y is real and smooth there
  pow: { instances: binary(double(0.5, 2), double(-2, 2)) },
  // y away from 0 keeps atan2 off its branch cut (the negative x axis) and away from the origin
  atan2: { instances: binary(awayFromZero(0.3, 2), double(-2, 2)) },
  // y is a tanh output, in (−1, 1)
  tanh_backward: { instances: binary(double(-0.95, 0.95), double(-3, 3)) },
  // ---- comparisons and logic
  eq: { instances: binary(tieProne) },
  ne: { instances: binary(tieProne) },
  gt: { instances: binary(tieProne) },
  ge: { instances: binary(tieProne) },
  lt: { instances: binary(tieProne) },
  le: { instances: binary(tieProne) },
  and: { instances: binary(fc.boolean(), fc.boolean(), 'bool') },
  or: { instances: binary(fc.boolean(), fc.boolean(), 'bool') },
  // ---- bit operations (integer-valued: the laws check shapes, dtypes and zero derivatives)
  bitwise_and: { instances: binary(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -300, max: 300 }), 'int32') },
  bitwise_or: { instances: binary(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -300, max: 300 }), 'int32') },
  bitwise_xor: { instances: binary(fc.boolean(), fc.boolean(), 'bool') },
  // shifts beyond the width (≥ 32) are part of the domain: they give 0 (or −1)
  shift_left: { instances: binary(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -2, max: 40 }), 'int32') },
  shift_right_arithmetic: {
    instances: binary(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -2, max: 40 }), 'int32'),
  },
  shift_right_logical: {
    instances: binary(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -2, max: 40 }), 'int32'),
  },
  bitwise_not: { instances: unary(fc.integer({ min: -128, max: 127 }), 'int8') },
  population_count: { instances: unary(fc.integer({ min: -1000, max: 1000 }), 'int32') },
  // ---- reductions
  reduce_sum: { instances: reduction((s) => ndarray({ shape: s }), anyShape()) },
  reduce_max: { instances: reduction((s) => ndarray({ shape: s, distinct: true })) },
  reduce_and: { instances: reduction((s) => ndarray({ shape: s, dtype: 'bool' }), anyShape()) },
  reduce_or: { instances: reduction((s) => ndarray({ shape: s, dtype: 'bool' }), anyShape()) },
  argmax: { instances: argReduction },
  cumsum: {
    instances: anyShape({ minRank: 1 })
      .chain((s) => fc.tuple(ndarray({ shape: s }), fc.integer({ min: 0, max: s.length - 1 }), fc.boolean()))
      .map(([x, axis, reverse]) => ({ inputs: [x], params: { axis, reverse } })),
  },
  argmin: { instances: argReduction },
  // ---- movement
  reshape: {
    instances: anyShape()
      .chain((s) => fc.tuple(ndarray({ shape: s }), shapeOfSize(sizeOf(s))))
      .map(([x, to]) => ({ inputs: [x], params: { shape: to } })),
  },
  broadcast_in_dim: {
    instances: anyShape()
      .chain((s) => fc.tuple(ndarray({ shape: s }), broadcastTarget(s)))
      .map(([x, params]) => ({ inputs: [x], params })),
  },
  transpose: {
    instances: anyShape()
      .chain((s) => fc.tuple(ndarray({ shape: s }), permutation(s.length)))
      .map(([x, perm]) => ({ inputs: [x], params: { perm } })),
  },
  slice: {
    instances: anyShape({ maxDim: 5 })
      .chain((s) =>
        fc.tuple(
          ndarray({ shape: s }),
          fc.tuple(
            ...s.map((d) =>
              fc
                .integer({ min: 0, max: d })
                .chain((start) =>
                  fc.tuple(fc.constant(start), fc.integer({ min: start, max: d }), fc.integer({ min: 1, max: 3 })),
                ),
            ),
          ),
        ),
      )
      .map(([x, per]) => ({
        inputs: [x],
        params: { starts: per.map((p) => p[0]), limits: per.map((p) => p[1]), steps: per.map((p) => p[2]) },
      })),
  },
  pad: {
    instances: anyShape()
      .chain((s) =>
        fc.tuple(
          ndarray({ shape: s }),
          fc.tuple(
            ...s.map(() =>
              fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
            ),
          ),
          fc.oneof(fc.constant(0), double(-2, 2)),
        ),
      )
      .map(([x, per, value]) => ({
        inputs: [x],
        params: { lo: per.map((p) => p[0]), hi: per.map((p) => p[1]), interior: per.map((p) => p[2]), value },
      })),
    affine: 'pad writes its fill value where there is no input: f(0) is the fill value, not 0',
  },
  flip: {
    instances: anyShape()
      .chain((s) => fc.tuple(ndarray({ shape: s }), axes(s)))
      .map(([x, ax]) => ({ inputs: [x], params: { axes: ax } })),
  },
  concatenate: {
    instances: anyShape({ minRank: 1 }).chain((base) =>
      fc
        .tuple(
          fc.integer({ min: 0, max: base.length - 1 }),
          fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
        )
        .chain(([axis, widths]) =>
          fc
            .tuple(...widths.map((w) => ndarray({ shape: base.map((d, i) => (i === axis ? w : d)) })))
            .map((xs) => ({ inputs: xs, params: { axis } })),
        ),
    ),
  },
  gather: {
    instances: anyShape({ minRank: 1 }).chain((s0) =>
      fc.tuple(fc.integer({ min: 0, max: s0.length - 1 }), anyShape({ maxRank: 2 })).chain(([axis, is]) => {
        const s = s0.map((d, i) => (i === axis ? Math.max(d, 1) : d))
        return fc
          .tuple(ndarray({ shape: s }), indices(is, s[axis] as number))
          .map(([x, idx]) => ({ inputs: [x, idx], params: { axis } }))
      }),
    ),
  },
  scatter_add: {
    instances: anyShape({ minRank: 1 }).chain((out0) =>
      fc.tuple(fc.integer({ min: 0, max: out0.length - 1 }), anyShape({ maxRank: 2 })).chain(([axis, is]) => {
        const out = out0.map((d, i) => (i === axis ? Math.max(d, 1) : d))
        return fc
          .tuple(
            ndarray({ shape: [...out.slice(0, axis), ...is, ...out.slice(axis + 1)] }),
            indices(is, out[axis] as number),
          )
          .map(([u, idx]) => ({ inputs: [u, idx], params: { axis, shape: out } }))
      }),
    ),
  },
  // ---- linear algebra
  matmul: {
    instances: fc
      .record({
        batch: shape({ maxRank: 2, maxDim: 2 }),
        m: fc.integer({ min: 0, max: 3 }),
        k: fc.integer({ min: 0, max: 3 }),
        n: fc.integer({ min: 0, max: 3 }),
        transA: fc.boolean(),
        transB: fc.boolean(),
      })
      .chain(({ batch, m, k, n, transA, transB }) =>
        fc
          .tuple(
            ndarray({ shape: [...batch, ...(transA ? [k, m] : [m, k])] }),
            ndarray({ shape: [...batch, ...(transB ? [n, k] : [k, n])] }),
          )
          .map(([a, b]) => ({ inputs: [a, b], params: { transA, transB } })),
      ),
  },
  // ---- misc
  select: {
    instances: fc
      .oneof(
        { weight: 4, arbitrary: broadcastableShapes(3) },
        { weight: 1, arbitrary: broadcastableShapes(3, { minDim: 0 }) },
      )
      .chain(([c, x, y]) =>
        fc.tuple(
          ndarray({ shape: c as Shape, dtype: 'bool' }),
          ndarray({ shape: x as Shape }),
          ndarray({ shape: y as Shape }),
        ),
      )
      .map(([c, x, y]) => noParams(c, x, y)),
  },
  convert_element_type: {
    instances: fc
      .tuple(fc.constantFrom(...DTYPES), fc.constantFrom(...DTYPES))
      .chain(([from, to]) =>
        ndarray({ dtype: from, shape: anyShape() }).map((x) => ({ inputs: [x], params: { dtype: to } })),
      ),
  },
  stop_gradient: { instances: ndarray({ shape: anyShape() }).map((x) => noParams(x)) },
  // ---- special functions (src/core/primitives/special.ts)
  lgamma: { instances: unary(double(0.3, 5)) },
  digamma: { instances: unary(double(0.3, 5)) },
  polygamma: {
    instances: anyShape()
      .chain((s) => fc.tuple(arrayOf(s, double(0.5, 5)), fc.integer({ min: 0, max: 3 })))
      .map(([x, m]) => ({ inputs: [x], params: { m } })),
  },
  // the a-derivative's own a-derivative has no rule (JAX has none), so the second-order law
  // cannot differentiate a: held fixed here, first-order ∂/∂a is tested in test/ops/special.test.ts
  // nextafter has no derivative (JAX has none): both inputs held fixed
  // collectives inside one named axis of 3 elements that maps none of the operands: psum is
  // x·3, pmax/pmin the identity (no derivative rule, as in JAX: held fixed)
  psum: { instances: collective(), axisEnv: [['i', 3]] },
  pmax: { instances: collective().map((i) => ({ ...i, fixed: [0] })), axisEnv: [['i', 3]] },
  pmin: {
    instances: collective().map((i) => ({ ...i, fixed: [0] })),
    axisEnv: [
      ['j', 2],
      ['i', 3],
    ],
  },
  nextafter: { instances: binary(double(-5, 5), double(-5, 5)).map((i) => ({ ...i, fixed: [0, 1] })) },
  // the bytes of float64 arrays as int32 pairs, float32 ones as int32, int32 pairs back as float64
  bitcast_convert_type: {
    instances: fc.oneof(
      anyShape().chain((s) =>
        arrayOf(s, double(-5, 5)).map((x) => ({ inputs: [x], params: { newDtype: 'int32' as const } })),
      ),
      anyShape().chain((s) =>
        arrayOf(s, double(-5, 5), 'float32').map((x) => ({ inputs: [x], params: { newDtype: 'int32' as const } })),
      ),
      anyShape().chain((s) =>
        arrayOf([...s, 2], fc.integer({ min: -1e6, max: 1e6 }), 'int32').map((x) => ({
          inputs: [x],
          params: { newDtype: 'float32' as const },
        })),
      ),
    ),
  },
  // binary64's own layout: the rounding is the identity, so finite differences apply (the
  // narrowing itself is tested against NumPy in test/ops/floatBits.test.ts)
  reduce_precision: {
    instances: unary(double(-5, 5)).map((i) => ({ ...i, params: { exponentBits: 11, mantissaBits: 52 } })),
  },
  igamma: { instances: binary(double(0.5, 5), double(0.3, 6)).map((i) => ({ ...i, fixed: [0] })) },
  igammac: { instances: binary(double(0.5, 5), double(0.3, 6)).map((i) => ({ ...i, fixed: [0] })) },
  igamma_grad_a: { instances: binary(double(0.5, 5), double(0.3, 6)).map((i) => ({ ...i, fixed: [0] })) },
  random_gamma_grad: { instances: binary(double(0.5, 5), double(0.3, 6)).map((i) => ({ ...i, fixed: [0] })) },
  // a and b have no derivative rule (JAX has none): held fixed; x inside (0, 1)
  regularized_incomplete_beta: {
    instances: broadcastableShapes(3)
      .chain(([a, b, x]) =>
        fc.tuple(
          arrayOf(a as Shape, double(0.5, 5)),
          arrayOf(b as Shape, double(0.5, 5)),
          arrayOf(x as Shape, double(0.05, 0.95)),
        ),
      )
      .map(([a, b, x]) => ({ ...noParams(a, b, x), fixed: [0, 1] })),
  },
  // the order s has no derivative rule: held fixed
  zeta: { instances: binary(double(1.5, 4), double(0.5, 3)).map((i) => ({ ...i, fixed: [0] })) },
  erfc: { instances: unary(double(-3, 3)) },
  erf_inv: { instances: unary(double(-0.9, 0.9)) },
  ndtri: { instances: unary(double(0.05, 0.95)) },
  log_ndtr: { instances: unary(double(-5, 5)) },
  // i0e has a kink at 0 (|x|), i1e a kink in its second derivative: both away from it
  bessel_i0e: { instances: unary(awayFromZero(0.2, 5)) },
  bessel_i1e: { instances: unary(awayFromZero(0.2, 5)) },
  logit: { instances: unary(double(0.1, 0.9)) },
  entr: { instances: unary(double(0.2, 3)) },
  xlogy: { instances: binary(double(-3, 3), double(0.3, 3)) },
  xlog1py: { instances: binary(double(-3, 3), double(-0.6, 3)) },
  // ---- decompositions (laws/decompositionDomains.ts)
  ...decompositionDomains,
  // ---- convolution and windowed reductions
  ...convDomains,
  ...scatterDomains,
  // ---- running scans (laws/sortingDomains.ts)
  ...sortingDomains,
  // ---- random (laws/randomDomains.ts)
  ...randomDomains,
  // ---- expm, lu_pivots_to_permutation (laws/scipyLinalgDomains.ts)
  ...scipyLinalgDomains,
  // ---- LAPACK-form reductions without derivative rules (laws/householderDomains.ts)
  ...householderDomains,
}

/**
 * Arbitraries (fast-check generators) of shapes, arrays, axes and cotangents. Each builder takes
 * a documented constraints object and composes with `.map`, `.chain` and `.filter`; arrays are
 * finite (no NaN, no infinities) and small by default, so laws stay fast and shrink well.
 *
 * @category laws
 * @since 0.1.0
 */
import * as fc from 'fast-check'
import { array } from '../src/ndarray/create'
import type { DType } from '../src/ndarray/dtype'
import type { NdArray } from '../src/ndarray/NdArray'
import type { Shape } from '../src/ndarray/shape'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Constraints of {@link shape}. @category laws @since 0.1.0 */
export interface ShapeConstraints {
  /** Fewest axes. @defaultValue 0 */
  readonly minRank?: number
  /** Most axes. @defaultValue 3 */
  readonly maxRank?: number
  /** Smallest axis length. @defaultValue 1 */
  readonly minDim?: number
  /** Largest axis length. @defaultValue 3 */
  readonly maxDim?: number
}

/** Constraints of {@link ndarray}. @category laws @since 0.1.0 */
export interface NdArrayConstraints {
  /** A fixed shape or an arbitrary of shapes. @defaultValue `shape()` */
  readonly shape?: Shape | fc.Arbitrary<Shape>
  /** Element type. @defaultValue `'float64'` */
  readonly dtype?: DType
  /** Smallest element (float and int32 dtypes). @defaultValue -2 */
  readonly min?: number
  /** Largest element (float and int32 dtypes). @defaultValue 2 */
  readonly max?: number
  /**
   * Elements pairwise at least `(max − min) / (2·size)` apart (float dtypes): no ties, so
   * `max`, `reduce_max` and sorting have a unique derivative. @defaultValue false
   */
  readonly distinct?: boolean
  /** Allow NaN and ±Infinity among the elements (float dtypes). @defaultValue false */
  readonly nonFinite?: boolean
}

/** Constraints of {@link real}. @category laws @since 0.1.0 */
export interface RealConstraints {
  /** Smallest value. @defaultValue -2 */
  readonly min?: number
  /** Largest value. @defaultValue 2 */
  readonly max?: number
}

/** Constraints of {@link axes}. @category laws @since 0.1.0 */
export interface AxesConstraints {
  /** Fewest axes chosen. @defaultValue 0 */
  readonly minLength?: number
  /** Most axes chosen. @defaultValue the rank */
  readonly maxLength?: number
}

/** Constraints of {@link cotangentFor}. @category laws @since 0.1.0 */
export interface CotangentConstraints {
  /** Largest absolute element. @defaultValue 1 */
  readonly scale?: number
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const sizeOf = (s: Shape): number => s.reduce((a, b) => a * b, 1)

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i])

/** Builds an array from generated elements; the unmapper lets fast-check shrink given values. */
const fromElements = (s: Shape, dtype: DType) => ({
  map: (xs: ReadonlyArray<number | boolean>): NdArray => array(xs, { shape: s, dtype }),
  unmap: (v: unknown): Array<number | boolean> => {
    if (typeof v !== 'object' || v === null || !('shape' in v) || !('dtype' in v) || !('toTypedArray' in v))
      throw new Error('not an NdArray')
    const x = v as NdArray
    if (!sameShape(x.shape, s) || x.dtype !== dtype) throw new Error('not an NdArray of this shape and dtype')
    const data = Array.from(x.toTypedArray() as ArrayLike<number>)
    return dtype === 'bool' ? data.map((d) => d !== 0) : data
  },
})

/** Resolution of {@link real}: values are multiples of (max − min)/2·STEPS. */
const STEPS = 2 ** 30

const elements = (c: NdArrayConstraints, dtype: DType): fc.Arbitrary<number | boolean> => {
  const min = c.min ?? -2
  const max = c.max ?? 2
  switch (dtype) {
    case 'bool':
      return fc.boolean()
    case 'int32':
    case 'int64':
    case 'int16':
    case 'int8':
    case 'uint8':
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    case 'float32':
    case 'float64': {
      const f = dtype === 'float32' ? real({ min, max }).map(Math.fround, (v) => v as number) : real({ min, max })
      return c.nonFinite === true
        ? fc.oneof({ weight: 4, arbitrary: f }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) })
        : f
    }
  }
}

/** `size` distinct values in [min, max], pairwise at least (max − min)/(2·size) apart. */
const distinctElements = (size: number, min: number, max: number, dtype: DType): fc.Arbitrary<number[]> => {
  const step = (max - min) / Math.max(size, 1)
  const slots = Array.from({ length: size }, (_, i) => i)
  return fc
    .tuple(
      fc.shuffledSubarray(slots, { minLength: size, maxLength: size }),
      fc.array(real({ min: 0, max: 0.5 }), { minLength: size, maxLength: size }),
    )
    .map(([perm, jitter]) =>
      perm.map((p, i) => {
        const v = min + (p + 0.25 + (jitter[i] as number)) * step
        return dtype === 'float32' ? Math.fround(v) : v
      }),
    )
}

// -------------------------------------------------------------------------------------
// builders
// -------------------------------------------------------------------------------------

/**
 * Real numbers spread evenly over `[min, max]`, shrinking towards the value nearest 0.
 *
 * NOTE: not `fc.double`, which is uniform over the bit patterns of doubles: most of its values
 * in [−1, 1] are below 1e-100, so tangents and inputs would almost all be negligible and the
 * derivative laws would pass trivially.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { real } from 'wengert/laws'
 * const xs = fc.sample(real({ min: -1, max: 1 }), { numRuns: 200, seed: 1 })
 * assert.ok(xs.every((x) => x >= -1 && x <= 1))
 * assert.ok(xs.filter((x) => Math.abs(x) > 0.1).length > 100)
 * @category laws
 * @since 0.1.0
 */
export const real = (c: RealConstraints = {}): fc.Arbitrary<number> => {
  const min = c.min ?? -2
  const max = c.max ?? 2
  if (!(min <= max) || !Number.isFinite(min) || !Number.isFinite(max))
    throw new RangeError(`real: expected finite min <= max, got [${min}, ${max}]`)
  if (min <= 0 && max >= 0) {
    // k in [−STEPS, STEPS] maps onto [min, 0] and [0, max]; k = 0 is 0
    return fc.integer({ min: -STEPS, max: STEPS }).map(
      (k) => (k >= 0 ? (k / STEPS) * max : (-k / STEPS) * min),
      (v) => {
        if (typeof v !== 'number') throw new Error('not a number')
        return Math.round(v >= 0 ? (max === 0 ? 0 : (v / max) * STEPS) : min === 0 ? 0 : (-v / min) * STEPS)
      },
    )
  }
  // an interval on one side of 0 shrinks towards its end nearest 0
  const near = min > 0 ? min : max
  const far = min > 0 ? max : min
  return fc.integer({ min: 0, max: STEPS }).map(
    (k) => near + (k / STEPS) * (far - near),
    (v) => {
      if (typeof v !== 'number') throw new Error('not a number')
      return Math.round(((v - near) / (far - near)) * STEPS)
    },
  )
}

/**
 * Shapes: a list of `minRank..maxRank` axis lengths, each in `minDim..maxDim`.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { shape } from 'wengert/laws'
 * const shapes = fc.sample(shape({ maxRank: 2, maxDim: 4 }), { numRuns: 50, seed: 1 })
 * assert.ok(shapes.every((s) => s.length <= 2 && s.every((d) => d >= 1 && d <= 4)))
 * @category laws
 * @since 0.1.0
 */
export const shape = (c: ShapeConstraints = {}): fc.Arbitrary<Shape> =>
  fc.array(fc.integer({ min: c.minDim ?? 1, max: c.maxDim ?? 3 }), {
    minLength: c.minRank ?? 0,
    maxLength: c.maxRank ?? 3,
  })

/**
 * Arrays of a given (or generated) shape and dtype with elements in `[min, max]`; finite unless
 * `nonFinite`, tie-free when `distinct`.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { ndarray } from 'wengert/laws'
 * const [x] = fc.sample(ndarray({ shape: [2, 3], min: 0.5, max: 2 }), { numRuns: 1, seed: 7 })
 * assert.deepStrictEqual(x!.shape, [2, 3])
 * assert.strictEqual(x!.dtype, 'float64')
 * assert.ok((x!.toArray() as number[][]).flat().every((v) => v >= 0.5 && v <= 2))
 * @category laws
 * @since 0.1.0
 */
export const ndarray = (c: NdArrayConstraints = {}): fc.Arbitrary<NdArray> => {
  const dtype = c.dtype ?? 'float64'
  const shapes: fc.Arbitrary<Shape> =
    c.shape === undefined ? shape() : c.shape instanceof fc.Arbitrary ? c.shape : fc.constant(c.shape)
  return shapes.chain((s) => {
    const n = sizeOf(s)
    const { map, unmap } = fromElements(s, dtype)
    if (c.distinct === true && (dtype === 'float32' || dtype === 'float64')) {
      return distinctElements(n, c.min ?? -2, c.max ?? 2, dtype).map(map, (v) => unmap(v) as number[])
    }
    return fc.array(elements(c, dtype), { minLength: n, maxLength: n }).map(map, unmap)
  })
}

/**
 * `n` shapes that broadcast together by NumPy's rules: each is a trailing part of one output
 * shape with some axes set to 1.
 *
 * @example
 * import * as fc from 'fast-check'
 * import { broadcastableShapes } from 'wengert/laws'
 * import { zeros, add } from 'wengert'
 * for (const [a, b] of fc.sample(broadcastableShapes(2), { numRuns: 30, seed: 3 })) {
 *   assert.doesNotThrow(() => add(zeros(a!), zeros(b!)))
 * }
 * @category laws
 * @since 0.1.0
 */
export const broadcastableShapes = (n: number, c: ShapeConstraints = {}): fc.Arbitrary<ReadonlyArray<Shape>> =>
  shape(c).chain((out) =>
    fc
      .array(
        fc.tuple(
          fc.integer({ min: 0, max: out.length }),
          fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
        ),
        {
          minLength: n,
          maxLength: n,
        },
      )
      .map((specs) =>
        specs.map(([rank, ones]) =>
          out.slice(out.length - rank).map((d, i) => (ones[out.length - rank + i] === true ? 1 : d)),
        ),
      ),
  )

/**
 * Canonical axes of a shape: a sorted list of distinct, non-negative axis numbers (what
 * reductions and `flip` take as params).
 *
 * @example
 * import * as fc from 'fast-check'
 * import { axes } from 'wengert/laws'
 * for (const a of fc.sample(axes([2, 3, 4], { minLength: 1 }), { numRuns: 30, seed: 2 })) {
 *   assert.ok(a.length >= 1 && a.every((x, i) => x >= 0 && x < 3 && (i === 0 || x > a[i - 1]!)))
 * }
 * @category laws
 * @since 0.1.0
 */
export const axes = (s: Shape, c: AxesConstraints = {}): fc.Arbitrary<ReadonlyArray<number>> =>
  fc.subarray(
    Array.from({ length: s.length }, (_, i) => i),
    { minLength: c.minLength ?? 0, maxLength: c.maxLength ?? s.length },
  )

/**
 * A permutation of `0..n-1` (transpose params).
 *
 * @example
 * import * as fc from 'fast-check'
 * import { permutation } from 'wengert/laws'
 * const [p] = fc.sample(permutation(4), { numRuns: 1, seed: 5 })
 * assert.deepStrictEqual([...p!].sort(), [0, 1, 2, 3])
 * @category laws
 * @since 0.1.0
 */
export const permutation = (n: number): fc.Arbitrary<ReadonlyArray<number>> => {
  const ids = Array.from({ length: n }, (_, i) => i)
  return fc.shuffledSubarray(ids, { minLength: n, maxLength: n })
}

/**
 * A cotangent (or tangent) for a value of the given shape and dtype: elements in
 * `[−scale, scale]` (bool: any; int32: −1, 0 or 1).
 *
 * @example
 * import * as fc from 'fast-check'
 * import { cotangentFor } from 'wengert/laws'
 * const [c] = fc.sample(cotangentFor({ shape: [3], dtype: 'float32' }), { numRuns: 1, seed: 4 })
 * assert.deepStrictEqual(c!.shape, [3])
 * assert.strictEqual(c!.dtype, 'float32')
 * @category laws
 * @since 0.1.0
 */
export const cotangentFor = (
  aval: { readonly shape: Shape; readonly dtype: DType },
  c: CotangentConstraints = {},
): fc.Arbitrary<NdArray> => ndarray({ shape: aval.shape, dtype: aval.dtype, min: -(c.scale ?? 1), max: c.scale ?? 1 })
